// Database and API plumbing for the database-route benches: a migrated PostgreSQL (embedded in a
// temp folder, or DATABASE_URL's server when set), and the production API started against it.
//
//   startDatabase(ctx) → { ownerUrl, appUrl, appPassword, host, port, stop() }
//   startApi(ctx, { ownerUrl, appPassword, throttle, cpu, nodeFlags }) → { child, base, stop() }   (base = http://127.0.0.1:<port>)
//   postgresPids(ownerUrl) → the local server's process ids (for pinning), [] when it is remote
//   withHostPort(url, host, port) → the same URL pointing elsewhere (e.g. at a pg-proxy)
//   THROTTLE: the explicit limits every database bench runs with (printed by the caller)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import pg from 'pg';

import { API_NODE_FLAGS, apiMain } from '../tools/lib.mjs';
import { freePort, spawnNode, stop, waitFor } from './http-lib.mjs';

// Sign-in limits stay at production-like values (benches use seeded sessions, never sign in).
export const THROTTLE = { THROTTLE_SIGN_IN_PER_ACCOUNT: '5', THROTTLE_SIGN_IN_PER_IP: '20', THROTTLE_SIGN_UP_PER_IP: '20' };

const dist = (ctx, p) => import(pathToFileURL(join(ctx.root, 'apps/api/dist/apps/api/src', p)).href);

export function withHostPort(url, host, port) {
  const u = new URL(url);
  u.hostname = host;
  u.port = String(port);
  return u.toString();
}

export async function startDatabase(ctx) {
  const { runMigrations, prepareAppRole } = await dist(ctx, 'database/migrate.js');
  let ownerUrl = process.env.DATABASE_URL;
  let embedded = null;
  if (!ownerUrl) {
    const { startEmbeddedPostgres } = await dist(ctx, 'database/embedded-postgres.js');
    const quiet = { info: () => {}, warn: (m) => ctx.log(m) };
    const dir = mkdtempSync(join(tmpdir(), 'hoh-bench-db-'));
    chmodSync(dir, 0o755); // run as root, PostgreSQL runs as the postgres user and must reach its folder
    embedded = await startEmbeddedPostgres(dir, await freePort(), quiet);
    ownerUrl = embedded.ownerUrl;
  }
  await runMigrations(ownerUrl);
  const appPassword = randomBytes(18).toString('base64url');
  const appUrl = await prepareAppRole(ownerUrl, appPassword);
  const u = new URL(ownerUrl);
  return { ownerUrl, appUrl, appPassword, host: u.hostname, port: Number(u.port || 5432), stop: async () => embedded?.stop() };
}

/**
 * The PostgreSQL server's processes on this machine (postmaster and its children), found from a
 * backend's parent; [] when the server is elsewhere. For pinning (cpuPinning) only.
 */
export async function postgresPids(ownerUrl) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    const ppid = (pid) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    const postmaster = ppid(rows[0].pid);
    const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
    return [postmaster, ...children];
  } catch {
    return [];
  } finally {
    await client.end();
  }
}

// The keyring's master key for bench APIs (required with DATABASE_URL); a bench seals nothing it keeps.
const BENCH_MASTER_KEY = process.env.MASTER_KEY ?? Buffer.alloc(32, 7).toString('base64');

/** `nodeFlags`: the API's V8 flags (API_NODE_FLAGS unless a bench compares them: v8-flags.bench.mjs). */
export async function startApi(ctx, { ownerUrl, appPassword, throttle = THROTTLE, cpu, nodeFlags = API_NODE_FLAGS }) {
  const port = await freePort();
  const child = spawnNode(
    [...nodeFlags, apiMain],
    {
      ...throttle,
      DATABASE_URL: ownerUrl,
      PUBLIC_URL: `http://127.0.0.1:${port}`, // required with DATABASE_URL
      MASTER_KEY: BENCH_MASTER_KEY, // required with DATABASE_URL
      APP_DATABASE_PASSWORD: appPassword,
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'hoh-bench-api-')),
      DEMO_SEED: 'false',
      LOG_LEVEL: 'silent',
    },
    { cwd: ctx.root, cpu },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/api/health/live`, child);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { child, base, stop: () => stop(child) };
}
