import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { DataSource } from 'typeorm';

// migrations/ sits outside every Nx project by design (ARCHITECTURE.md, the dependency diagram); the API is its only runner.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { MIGRATIONS } from '../../../../migrations/index.js';

export const APP_ROLE = 'hoh_app';
export const MIGRATIONS_TABLE = 'hoh_migrations';
// Any fixed 64-bit key; every process that migrates this database takes the same one.
const MIGRATION_LOCK_KEY = 7_130_525_001n;

/**
 * Applies pending migrations as the owner, holding a PostgreSQL advisory lock so that several
 * processes booting at once migrate exactly once. Returns the names applied.
 */
export async function runMigrations(ownerUrl: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: ownerUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    const ds = new DataSource({
      type: 'postgres',
      url: ownerUrl,
      migrations: MIGRATIONS,
      migrationsTableName: MIGRATIONS_TABLE,
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: false,
    });
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
    await lock.end();
  }
}

/** Sets the login password of the request-serving role and returns its connection URL. */
export async function prepareAppRole(ownerUrl: string, password: string | undefined): Promise<string> {
  const secret = password ?? randomBytes(24).toString('base64url');
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    // ALTER ROLE takes no bind parameters; quote_literal does the escaping server-side.
    const { rows } = await client.query<{ sql: string }>(
      `SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', $1::text, $2::text) AS sql`,
      [APP_ROLE, secret],
    );
    // Several processes booting at once would race on the role's catalog row ("tuple concurrently
    // updated"); the migration lock queues them.
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    await client.query(rows[0]!.sql);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = encodeURIComponent(secret);
  return url.toString();
}
