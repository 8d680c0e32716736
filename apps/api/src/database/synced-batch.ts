import pg from 'pg';

import { preparedNameOf } from './prepared-statements.js';

/** The parts of pg's connection (untyped in @types/pg) a batch writes with. */
interface Wire {
  parsedStatements: Record<string, string | undefined>;
  bind(message: { portal: string; statement: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string }): void;
  sync(): void;
}

// pg's own mapping of JavaScript values to parameters (arrays, dates, buffers, JSON), as its queries use.
const { prepareValue } = (pg as unknown as { utils: { prepareValue: (value: unknown) => unknown } }).utils;

interface Named {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * Several prepared statements in one extended-protocol batch closed by ONE Sync. Submitted like any
 * pg query (pipeline mode accepts subclasses of its Query); the results arrive as an array. Exported
 * for the bench's node:http + pg baseline, which replays the API's batches with it.
 */
export class SyncedBatch extends pg.Query {
  constructor(
    private readonly statements: Named[],
    done: (error: Error | undefined, results: pg.QueryResult[]) => void,
  ) {
    // 'extended' so that pg calls prepare() below rather than sending the text as a simple query.
    super({ text: statements[statements.length - 1]!.text, queryMode: 'extended' } as pg.QueryConfig, done as never);
  }

  // pg's Query calls prepare(connection) to write a parameterised statement; this writes them all.
  prepare(connection: Wire): void {
    try {
      for (const s of this.statements) {
        connection.bind({ portal: '', statement: s.name, values: s.values, valueMapper: prepareValue });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      }
    } catch (error) {
      // A value pg cannot send: stop writing, close the batch with its Sync so the connection stays in
      // step, and report the error (pg's own field for it) once the server has answered the part sent.
      (this as unknown as { _canceledDueToError: unknown })._canceledDueToError = error;
    }
    connection.sync();
  }
}

/**
 * Sends `statements` (texts marked with prepared()) on `client` as one batch with a single Sync, and
 * resolves with each one's result; null when this connection has not parsed all of them yet (send
 * them the usual way once, and later batches on it can go this way).
 *
 * PostgreSQL runs every statement before a Sync in one transaction and ends it at the Sync: it
 * commits, or after an error rolls back and skips the statements after the failed one. So a
 * set_config(..., true) in the first statement holds for the rest and ends with the batch, and no
 * BEGIN or COMMIT is sent. The server answers the whole batch with one write: with a Sync after each
 * statement (pg's pipeline mode) it writes and wakes the API once per statement. Measured on a
 * tenant setting and the dashboard's read, against BEGIN, both and COMMIT pipelined: client CPU
 * 142 → 100 µs and PostgreSQL's 572 → 455 µs per read (issue 9, docs/SCALING.md §5).
 *
 * On an error the promise rejects as soon as the server reports it; its Sync's answer follows on the
 * connection, and pg's pipeline mode hands every later reply to the right query, so the connection
 * may go back to the pool at once: the server has already ended the batch's transaction by the time
 * it reads the next statement sent on it.
 */
export function sendSynced(client: pg.PoolClient, statements: { text: string; values: unknown[] }[]): Promise<pg.QueryResult[]> | null {
  const wire = (client as unknown as { connection: Wire }).connection;
  const named: Named[] = [];
  for (const s of statements) {
    const name = preparedNameOf(s.text);
    if (name === undefined || wire.parsedStatements[name] !== s.text) return null;
    named.push({ name, text: s.text, values: s.values });
  }
  return new Promise<pg.QueryResult[]>((resolve, reject) => {
    client.query(new SyncedBatch(named, (error, results) => (error ? reject(error) : resolve(results))));
  });
}
