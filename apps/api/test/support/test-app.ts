import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';

import { buildConfig, createApp } from '../../src/bootstrap.js';
import type { Clock } from '../../src/config/clock.js';
import { ENV_VARS, parseEnv } from '../../src/config/env.schema.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  /** A fresh supertest request against the in-process server (no port). */
  http: () => ReturnType<typeof request>;
  /** Runs SQL as the database owner (for assertions and fault injection only). */
  ownerQuery: <T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<T[]>;
  /** Runs SQL as the owner on the cluster's maintenance database (to alter the test database itself). */
  clusterQuery: <T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<T[]>;
  /** Runs SQL as hoh_app, the role the API serves requests with. */
  appQuery: <T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<T[]>;
  /** Runs SQL as hoh_app inside a transaction with the tenant set, as the API does per request. */
  appQueryAs: <T extends pg.QueryResultRow = pg.QueryResultRow>(organisationId: string, sql: string, params?: unknown[]) => Promise<T[]>;
  close: () => Promise<void>;
}

async function queryAs<T extends pg.QueryResultRow>(url: string, organisationId: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
    const rows = (await client.query<T>(sql, params)).rows;
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The query deadline the product ships with (its default in env.schema.ts), for the suites that test deadlines and outages. */
export const PRODUCTION_STATEMENT_TIMEOUT_MS = String(ENV_VARS.DB_STATEMENT_TIMEOUT_MS.schema.parse(undefined));

/** Boots the production app (same configureApp) on its own database clone; `clock` replaces the system clock (support/test-clock.ts). */
export async function startTestApp(envOverrides: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  // Every test request comes from 127.0.0.1, so per-IP sign-up limits are lifted unless a test sets them.
  // Scheduled jobs stay off unless a test turns them on (apps/api/test/jobs): they would poll in every suite.
  // A longer query deadline than production's 2.5 s: jest loads modules into the suite's process as
  // they are first imported (the report renderer took 1.8 s on a quiet machine, more beside another
  // suite), stalling the event loop, and a deadline measured across that stall failed requests the
  // database had answered. The suites about deadlines and outages set production's value themselves.
  // Evidence objects go to a folder of this app's own (not the developer's DATA_DIR/objects), unless a test names a store.
  const storageDir = mkdtempSync(join(tmpdir(), 'hoh-objects-'));
  const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SEED: 'false', THROTTLE_SIGN_UP_PER_IP: '100000', JOBS_WORKER: 'false', DB_STATEMENT_TIMEOUT_MS: '8000', STORAGE_DIR: storageDir, ...envOverrides });
  const app = await createApp(buildConfig(env, { ownerUrl: db.ownerUrl, appUrl: db.appUrl, embedded: null }, null, options.clock));
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer();
  return {
    app,
    db,
    http: () => request(server),
    ownerQuery: (sql, params) => query(db.ownerUrl, sql, params),
    clusterQuery: (sql, params) => query(process.env['HOH_TEST_OWNER_URL'] ?? '', sql, params),
    appQuery: (sql, params) => query(db.appUrl, sql, params),
    appQueryAs: (organisationId, sql, params) => queryAs(db.appUrl, organisationId, sql, params),
    close: async () => {
      await app.close();
      await db.drop();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
