import pg from 'pg';

import { preparedNameOf } from './prepared-statements.js';

/** What pg rejects a query with when query_timeout passes without an answer. */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * The pg client of every pool. It sends statements marked with prepared() by name (planned once per
 * connection), and it gives up on its connection when a query outlives query_timeout. pg alone rejects
 * the late query but keeps the connection waiting for its answer: the transaction's ROLLBACK then
 * queues behind it for another timeout, and the pool hands the stuck client to the next request. A
 * server that stops answering (frozen process, network partition) would so cost every request its
 * full timeout, twice. Destroying the socket fails every queued query at once ("Connection
 * terminated"), and the pool discards the client, so the request answers 503 within one timeout.
 *
 * Only published API: a subclass overriding `query`, pg's `{ name, text, values }` query form, and
 * `connection.stream` (both declared in @types/pg).
 */
export class DeadlineClient extends pg.Client {
  // `any` here only: Client.query has a dozen overloads (promise, callback, stream, config objects) and
  // this override must accept them all and return what the base returns, untouched.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // TypeORM calls query(text, parameters); a text marked with prepared() goes out as a named statement.
    const [text, values] = args as [unknown, unknown];
    const name = typeof text === 'string' && args.length <= 2 && (values === undefined || Array.isArray(values)) ? preparedNameOf(text) : undefined;
    const result: unknown = name === undefined ? super.query(...(args as Parameters<pg.Client['query']>)) : super.query({ name, text: text as string, values: (values as unknown[] | undefined) ?? [] });
    // The promise form is what TypeORM uses; callbacks and streams pass through untouched.
    if (typeof (result as { catch?: unknown } | null)?.catch !== 'function') return result;
    return (result as Promise<unknown>).catch((error: unknown) => {
      if (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE) this.connection.stream.destroy();
      throw error;
    });
  }
}
