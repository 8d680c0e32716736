// Starts one embedded PostgreSQL for the whole API e2e run (unless DATABASE_URL names a server).
// Each test file then clones a migrated template database (see support/test-app.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { loadEmbeddedPostgres } from '../src/database/postgres-runtime.mjs';
import getPort from 'get-port';

export default async function globalSetup() {
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  process.env.HOH_TEST_RUN_ID = runId;
  process.env.HOH_TEST_APP_PASSWORD = randomBytes(18).toString('base64url');
  if (process.env.DATABASE_URL) {
    process.env.HOH_TEST_OWNER_URL = process.env.DATABASE_URL;
  } else {
    // Test servers take their ports from the OS (get-port), never a random draw from a fixed range:
    // such ranges lie inside Linux's ephemeral range (32768–60999), where another test's outbound
    // connection can already hold the port (EADDRINUSE, seen with two jest workers).
    const port = await getPort();
    const password = randomBytes(12).toString('hex');
    const EmbeddedPostgres = await loadEmbeddedPostgres((m) => console.warn(m));
    const embedded = new EmbeddedPostgres({
      databaseDir: mkdtempSync(join(tmpdir(), 'hoh-test-pg-')),
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: userInfo().uid === 0, // root must run PostgreSQL as another user; anyone else runs it as themselves
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await embedded.initialise();
    await embedded.start();
    globalThis.__HOH_PG__ = embedded;
    process.env.HOH_TEST_OWNER_URL = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  }
  const client = new pg.Client({ connectionString: process.env.HOH_TEST_OWNER_URL });
  await client.connect();
  await client.query(`CREATE DATABASE hoh_tpl_${runId}`);
  await client.end();
}
