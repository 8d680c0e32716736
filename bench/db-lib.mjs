// Database and API plumbing for the database-route benches: a migrated PostgreSQL (embedded in a
// temp folder, or DATABASE_URL's server when set), and the production API started against it.
//
//   startDatabase(ctx) → { ownerUrl, appUrl, appPassword, host, port, stop() }
//   startApi(ctx, { ownerUrl, appPassword, throttle }) → { child, base, stop() }   (base = http://127.0.0.1:<port>)
//   withHostPort(url, host, port) → the same URL pointing elsewhere (e.g. at a pg-proxy)
//   THROTTLE: the explicit limits every database bench runs with (printed by the caller)
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { apiMain } from '../tools/lib.mjs';
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

export async function startApi(ctx, { ownerUrl, appPassword, throttle = THROTTLE }) {
  const port = await freePort();
  const child = spawnNode(
    [apiMain],
    {
      ...throttle,
      DATABASE_URL: ownerUrl,
      APP_DATABASE_PASSWORD: appPassword,
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'hoh-bench-api-')),
      DEMO_SEED: 'false',
      LOG_LEVEL: 'silent',
    },
    { cwd: ctx.root },
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
