import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';

import { buildConfig, createApp } from '../../src/bootstrap.js';
import { parseEnv } from '../../src/config/env.schema.js';
import { prepareAppRole, runMigrations } from '../../src/database/migrate.js';
import { loadEmbeddedPostgres } from '../../src/database/postgres-runtime.mjs';
import getPort from 'get-port';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import type { TestApp } from '../support/test-app.js';
import { expectNoLostWrite, expectOnlySuccessOr503Within5s, underLoad } from './outage-load.js';

/**
 * The real thing (issue 8 §5, docs/API.md §13): PostgreSQL itself is stopped under load
 * and started again, and then frozen (SIGSTOP on the postmaster and every backend) and thawed. A
 * dedicated embedded PostgreSQL serves this file so the cluster the other suites share is never
 * touched. Every request must end within 5 s as a success or a 503 DATABASE_UNAVAILABLE with
 * Retry-After (no hang, no 500, no crash), the API must recover by itself within 10 s of PostgreSQL
 * being back, and every acknowledged (2xx) write must be in the database afterwards.
 */
interface Embedded {
  start: () => Promise<void>;
  stop: () => Promise<void>;
  initialise: () => Promise<void>;
}

/** The postmaster's pid (first line of postmaster.pid) and every process it forked. */
function postgresPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return [postmaster, ...children];
}

describe('real PostgreSQL outage: stopped, then frozen, under load', () => {
  let embedded: Embedded;
  let dataDir: string;
  let ownerUrl: string;
  let app: NestFastifyApplication;
  let t: TestApp;
  let owner: SignedInUser;
  let base: string;
  let frozen: number[] = [];
  const summary: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hoh-outage-pg-'));
    const port = await getPort();
    const password = randomBytes(12).toString('hex');
    const EmbeddedPostgres = await loadEmbeddedPostgres((m) => console.warn(m));
    embedded = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      // Kept on stop (the test restarts it); the folder is removed in afterAll.
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on', '-c', 'max_connections=100'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await embedded.initialise();
    await embedded.start();
    const admin = new pg.Client({ connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE hoh_outage');
    await admin.end();
    ownerUrl = `postgres://postgres:${password}@127.0.0.1:${port}/hoh_outage`;
    await runMigrations(ownerUrl);
    const appUrl = await prepareAppRole(ownerUrl, randomBytes(18).toString('base64url'));
    const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: process.env['OUTAGE_LOG'] ?? 'silent', DEMO_SEED: 'false', THROTTLE_SIGN_UP_PER_IP: '100000' });
    app = await createApp(buildConfig(env, { ownerUrl, appUrl, embedded: null }, null));
    await app.getHttpAdapter().getInstance().ready();
    const server = app.getHttpServer();
    // signUp and as() only ever use http(); the other members belong to the shared-cluster harness.
    t = { http: () => request(server) } as Pick<TestApp, 'http'> as TestApp;
    owner = await signUp(t);
    base = `/api/v1/orgs/${orgOf(owner)}`;
  }, 120_000);

  afterAll(async () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    console.log(`real outage: ${summary.join('; ')}`);
    await app?.close();
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  async function ownerQuery<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  it('answers 503 with Retry-After within 5 s while PostgreSQL is stopped, recovers within 10 s of its restart, and loses no acknowledged write', async () => {
    const run = await underLoad(t, owner, { label: 'stopped', disrupt: () => embedded.stop(), restore: () => embedded.start(), holdMs: 4000 });
    summary.push(run.summary);
    const { outcomes, refused, recoveredAfterMs } = run;
    expect(refused.length).toBeGreaterThan(0);
    expectOnlySuccessOr503Within5s(outcomes);
    expect(recoveredAfterMs).toBeLessThan(10_000);
    expect(outcomes.filter((o) => o.phase === 'after' && o.status < 300).length).toBeGreaterThan(0);
    await expectNoLostWrite(outcomes, owner, ownerQuery);
    const verify = await as(t, owner).get(`${base}/audit-log/verify`).expect(200);
    expect(verify.body).toMatchObject({ intact: true });
  }, 90_000);

  it('answers 503 within 5 s while PostgreSQL is frozen (SIGSTOP), recovers within 10 s of SIGCONT, and loses no acknowledged write', async () => {
    const run = await underLoad(t, owner, {
      label: 'frozen',
      disrupt: () => {
        frozen = postgresPids(dataDir);
        for (const pid of frozen) process.kill(pid, 'SIGSTOP');
        return Promise.resolve();
      },
      restore: () => {
        for (const pid of frozen) process.kill(pid, 'SIGCONT');
        frozen = [];
        return Promise.resolve();
      },
      // Longer than the 5 s bound, so a request waiting on the frozen server cannot pass by luck.
      holdMs: 8000,
    });
    summary.push(run.summary);
    const { outcomes, refused, recoveredAfterMs } = run;
    expect(refused.length).toBeGreaterThan(0);
    expectOnlySuccessOr503Within5s(outcomes);
    expect(recoveredAfterMs).toBeLessThan(10_000);
    await expectNoLostWrite(outcomes, owner, ownerQuery);
    const verify = await as(t, owner).get(`${base}/audit-log/verify`).expect(200);
    expect(verify.body).toMatchObject({ intact: true });
  }, 90_000);
});
