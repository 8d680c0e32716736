import { AppError } from './app-error.js';

// PostgreSQL's own text form of a timestamptz, e.g. "2026-11-28 17:33:30.160123+00". JS Dates keep
// only milliseconds, and a cursor rounded to them would repeat rows created in the same millisecond.
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keyset position (created_at, id) as an opaque cursor; select `created_at::text AS created_key` to build one. */
export function encodeCursor(createdKey: string, id: string): string {
  return Buffer.from(`${createdKey}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (cursor === undefined) return null;
  const [createdKey, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !createdKey || !id || !PG_TIMESTAMP.test(createdKey) || !UUID.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'cursor is not one this API issued; start again without it.', {
      details: [{ path: 'cursor', message: 'Use the nextCursor of the previous page' }],
    });
  }
  return [createdKey, id];
}
