import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { prepareAppRole, runMigrations } from '../../src/database/migrate.js';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: run API e2e tests through jest so global-setup.mjs starts PostgreSQL`);
  return value;
}

const TEMPLATE_LOCK = 7_130_525_002;

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  drop: () => Promise<void>;
}

/**
 * A fresh database for one test file, cloned from a template that the first caller migrates
 * (under an advisory lock, so parallel jest workers migrate it once).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const clusterUrl = env('HOH_TEST_OWNER_URL');
  const runId = env('HOH_TEST_RUN_ID');
  const template = `hoh_tpl_${runId}`;
  const name = `hoh_t_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      // Idempotent: TypeORM applies only what is missing, so every worker may call it.
      await runMigrations(withDatabase(clusterUrl, template));
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(clusterUrl, name);
  const appUrl = await prepareAppRole(ownerUrl, env('HOH_TEST_APP_PASSWORD'));
  return {
    name,
    ownerUrl,
    appUrl,
    drop: async () => {
      const c = new pg.Client({ connectionString: clusterUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
