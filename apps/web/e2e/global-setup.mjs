// Starts the production build (API + built web app + its own embedded PostgreSQL in a temp folder)
// for the browser tests, exactly as `npm start` serves it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import getPort from 'get-port';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  return candidates.find((p) => existsSync(p));
}

export default async function globalSetup() {
  const chromium = chromiumPath();
  if (!chromium) {
    const message = 'Chromium not found (set CHROMIUM_PATH or `apt-get install -y chromium`): browser tests cannot run.';
    if (process.env.CI === 'true') throw new Error(`${message} CI requires them.`);
    console.warn(`\n\n*** ${message} They are SKIPPED locally. ***\n\n`);
    process.env.HOH_BROWSER_SKIP = '1';
    return;
  }
  process.env.HOH_CHROMIUM = chromium;
  // While iterating on a spec, point at a server you already started (`npm start`-style) instead of
  // booting one per run; CI never sets this.
  if (process.env.HOH_BROWSER_REUSE_URL) {
    process.env.HOH_BROWSER_BASE_URL = process.env.HOH_BROWSER_REUSE_URL;
    return;
  }
  const main = join(root, 'apps/api/dist/apps/api/src/main.js');
  if (!existsSync(main) || !existsSync(join(root, 'apps/web/dist/index.html'))) {
    throw new Error('The production build is missing: run `npm run build` (npm test does it first).');
  }
  const port = await getPort();
  const pgPort = await getPort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hoh-browser-'));
  // Every spec signs people up from 127.0.0.1: the per-IP sign-up limit (20 an hour) is lifted, as
  // the API suites lift it (test/support/test-app.ts); sign-in throttling stays as shipped. The SSO
  // spec's OpenID provider runs on http://localhost, which only SSO_ALLOW_HTTP_LOOPBACK_ISSUERS admits.
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, DEMO_SEED: 'true', LOG_LEVEL: 'warn', THROTTLE_SIGN_UP_PER_IP: '100000', SSO_ALLOW_HTTP_LOOPBACK_ISSUERS: 'true' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  globalThis.__HOH_SERVER__ = child;
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode} before it was healthy`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('The server did not become healthy within 90 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env.HOH_BROWSER_BASE_URL = base;
  // Where the server writes its mail as .eml files (no SMTP here), for specs that follow a mailed link.
  process.env.HOH_BROWSER_DATA_DIR = dataDir;
  // The database owner's address, for the few specs that must set up what no route can make (an
  // assessment on an older bank version). Found where the server keeps its embedded secrets.
  const { embeddedDataDir } = await import(join(root, 'apps/api/dist/apps/api/src/database/embedded-postgres.js'));
  const secret = join(embeddedDataDir(dataDir).dataDir, 'secrets', 'postgres-superuser');
  process.env.HOH_BROWSER_DB_URL = `postgres://postgres:${encodeURIComponent(readFileSync(secret, 'utf8').trim())}@127.0.0.1:${pgPort}/hand_on_heart`;
}
