import { createHash } from 'node:crypto';

const nameOfText = new Map<string, string>();
const textOfName = new Map<string, string>();

// A cached plan whose result columns change (a migration adds a column behind `SELECT *` or
// `RETURNING *`) fails with "cached plan must not change result type" on that connection until it
// closes, so a rolling deploy would break running processes. Listing the columns avoids that. A
// migration that changes the type of a column these statements return has the same effect: ship
// it with a restart of the API processes (a deploy restarts them anyway), not under running ones.
const STAR = /\bSELECT\s+\*|\bRETURNING\s+\*|\w\.\*/i;

/**
 * Marks a constant SQL text as a named, server-side prepared statement: on each pooled connection
 * PostgreSQL parses and plans it once, then runs it from the cached plan (the pg client in
 * deadline-client.ts sends the name). For the statements every request sends (session lookup,
 * tenant setting, score input, dashboard, answer write) planning costs more than running: the score
 * input took ~870 PostgreSQL CPU-µs per call unprepared and ~345 prepared (bench/, issue 9).
 *
 * Only for texts fixed in the code: each distinct text keeps a plan on every connection, so dynamic
 * SQL (varying IN lists, optional filters) stays unprepared. Row-level security stays exact: the
 * policies read current_setting('app.org_id') when they run, never at planning time, and PostgreSQL
 * re-plans a cached statement when the role or the schema changes.
 */
export function prepared(sql: string): string {
  if (nameOfText.has(sql)) return sql;
  if (STAR.test(sql)) throw new Error(`prepared statements must list their columns (no * in the select list or RETURNING): ${sql.slice(0, 120)}`);
  const name = `hoh_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
  // Two texts with one name would make pg refuse the second on every connection that ran the first.
  if (textOfName.has(name)) throw new Error(`prepared statement name collision for ${name}`);
  nameOfText.set(sql, name);
  textOfName.set(name, sql);
  return sql;
}

/** The statement name the pg client sends for a text marked with prepared(), else undefined. */
export const preparedNameOf = (sql: string): string | undefined => nameOfText.get(sql);
