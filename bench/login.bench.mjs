// api.login.ratio: sign-in throughput through the production API (POST /api/v1/auth/sign-in:
// throttle counter, user lookup, argon2id verify, throttle refund, session insert, /me reads)
// against a bare node:http server that only runs argon2.verify on a hash made by the API's own
// PasswordHasher (so the same argon2id parameters, read back from the hash). Both run in their own
// node process with the same UV_THREADPOOL_SIZE (argon2 runs on the libuv pool), measured in the same
// run with interleaved rounds; server CPU-µs per request beside req/s. Target ≥ 0.7.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { API_NODE_FLAGS } from '../tools/lib.mjs';
import { abRounds, busyBefore, busyNote, closedLoop, freePort, median, spawnNode, stop, verdict, waitFor } from './http-lib.mjs';

const ROUNDS = 3;
const ROUND_MS = 5_000;
const WARMUP_MS = 2_000;
const CONNECTIONS = 8;
const USERS = 8;
const PASSWORD = 'correct horse battery staple 42';
// Explicit for the run (printed). Successful sign-ins clear the account bucket and refund the IP,
// so these only have to be above what the run could ever count.
const THROTTLE = { THROTTLE_SIGN_IN_PER_ACCOUNT: '1000', THROTTLE_SIGN_IN_PER_IP: '100000', THROTTLE_SIGN_UP_PER_IP: '100000' };

// The baseline: argon2.verify, nothing else, behind node:http.
const BARE = `
import http from 'node:http';
import { createRequire } from 'node:module';
const argon2 = createRequire(process.env.ROOT + '/package.json')('argon2');
const { PasswordHasher } = await import(process.env.HASHER);
const hash = await new PasswordHasher().hash(process.env.PASSWORD);
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const text = Buffer.concat(chunks).toString('utf8');
    if (text === '') { res.writeHead(204); res.end(); return; } // the readiness probe
    const ok = await argon2.verify(hash, JSON.parse(text).password);
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok }));
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

export async function run(ctx) {
  const dist = join(ctx.root, 'apps/api/dist/apps/api/src');
  // Only the API is needed; an incremental tsc build in place (never deletes the web build).
  execFileSync(process.execPath, [join(ctx.root, 'node_modules/typescript/bin/tsc'), '-b', 'apps/api/tsconfig.build.json'], { cwd: ctx.root, stdio: 'inherit' });
  const threadpool = process.env.UV_THREADPOOL_SIZE ?? '4';
  ctx.log(`throttling limits for this run: ${JSON.stringify(THROTTLE)}; UV_THREADPOOL_SIZE=${threadpool} in both processes`);
  const [apiPort, barePort, pgPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'hoh-bench-login-'));
  chmodSync(dataDir, 0o755); // reachable by the postgres user when running as root; the secrets folder inside stays 0700
  const api = spawnNode([...API_NODE_FLAGS, join(dist, 'main.js')], { ...THROTTLE, UV_THREADPOOL_SIZE: threadpool, DATABASE_URL: '', NODE_ENV: 'production', PORT: String(apiPort), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, DEMO_SEED: 'false', LOG_LEVEL: 'silent', REPORT_WORKER: 'false' }, { cwd: ctx.root });
  const bare = spawnNode(['--input-type=module', '-e', BARE], { UV_THREADPOOL_SIZE: threadpool, PORT: String(barePort), ROOT: ctx.root, PASSWORD, HASHER: pathToFileURL(join(dist, 'modules/auth/password-hasher.js')).href }, { cwd: ctx.root });
  try {
    const apiBase = `http://127.0.0.1:${apiPort}`;
    await waitFor(`${apiBase}/api/health/live`, api);
    await waitFor(`http://127.0.0.1:${barePort}/`, bare);
    const bodies = [];
    for (let i = 0; i < USERS; i++) {
      const email = `login-${i}-${Date.now()}@bench.example`;
      const res = await fetch(`${apiBase}/api/v1/auth/sign-up`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Login ${i}`, email, password: PASSWORD, organisationName: `Login org ${i}` }),
      });
      if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      bodies.push({ email, password: PASSWORD });
    }
    const apiUrl = `${apiBase}/api/v1/auth/sign-in`;
    const bareUrl = `http://127.0.0.1:${barePort}/`;
    const loadOf = (url) => ({ url, connections: CONNECTIONS, durationMs: ROUND_MS, request: (conn) => ({ method: 'POST', body: bodies[conn % bodies.length] }) });
    await closedLoop({ ...loadOf(apiUrl), durationMs: WARMUP_MS });
    await closedLoop({ ...loadOf(bareUrl), durationMs: WARMUP_MS });
    const busy = await busyBefore(ctx);
    const { a, b, ratios } = await abRounds({
      rounds: ROUNDS,
      a: { name: 'API sign-in', pid: api.pid, load: loadOf(apiUrl) },
      b: { name: 'argon2.verify', pid: bare.pid, load: loadOf(bareUrl) },
      log: ctx.log,
    });
    const ratio = median(ratios);
    const pass = verdict(ratio >= 0.7, busy);
    const cpuA = median(a.map((x) => x.cpuUs));
    const cpuB = median(b.map((x) => x.cpuUs));
    return [
      {
        id: 'api.login.ratio',
        value: median(a.map((x) => x.rps)),
        unit: 'sign-ins/s',
        baseline: median(b.map((x) => x.rps)),
        ratio,
        target: '≥ 0.7',
        pass,
        note: `${CONNECTIONS} connections, UV_THREADPOOL_SIZE=${threadpool}, API p99 ${median(a.map((x) => x.p99)).toFixed(0)} ms${busy ? `; ${busyNote()}` : ''}`,
      },
      { id: 'api.login.cpu_us', value: cpuA, unit: 'CPU-µs/req', baseline: cpuB, ratio: cpuA / cpuB, target: null, pass: null },
    ];
  } finally {
    await Promise.all([stop(api), stop(bare)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
