// api.floor.ratio: a static route through Nest + Fastify (GET /api/health/live, no database)
// against a bare node:http server sending the same bytes (PB-1): the same body and the same
// response headers, copied from the API's own answer (the security headers every response carries
// are the product's, not the framework's; x-request-id is a fresh UUID per response on both
// sides). Both run in their own process, measured in
// the same run with interleaved rounds (README.md "Benchmarks"). Server CPU-µs per request is read
// from /proc for each side. Target: Nest ≥ 0.6 × bare node:http req/s. R2: each server on CPU 0,
// the load generator (this process) on CPU 1.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from '../tools/build.mjs';
import { API_NODE_FLAGS, apiMain, buildIsStale } from '../tools/lib.mjs';
import { AB_MAX_ROUNDS, AB_ROUND_MS, AB_ROUNDS, abRounds, busyBefore, busyNote, cpuPinning, freePort, median, spawnNode, stop, verdict, waitFor, warmUp } from './http-lib.mjs';

const CONNECTIONS = 16;
const BODY = JSON.stringify({ status: 'alive' });

const BARE = `
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const body = ${JSON.stringify(BODY)};
const headers = JSON.parse(process.env.HEADERS);
http.createServer((req, res) => { res.writeHead(200, { ...headers, 'x-request-id': randomUUID(), 'content-length': Buffer.byteLength(body) }); res.end(body); })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;
// Per connection or per message, set by each server itself.
const OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-request-id']);

export async function run(ctx) {
  if (buildIsStale() && (await build()) !== 0) throw new Error('the production build failed');
  if (!existsSync(apiMain)) throw new Error('no API build');
  const [nestPort, barePort, pgPort] = [await freePort(), await freePort(), await freePort()];
  const throttle = { THROTTLE_SIGN_IN_PER_ACCOUNT: '5', THROTTLE_SIGN_IN_PER_IP: '20', THROTTLE_SIGN_UP_PER_IP: '20' };
  ctx.log(`throttling limits for this run: ${JSON.stringify(throttle)} (the floor route is not throttled)`);
  const pinning = cpuPinning();
  const nest = spawnNode([...API_NODE_FLAGS, apiMain], { ...throttle, DATABASE_URL: '', NODE_ENV: 'production', PORT: String(nestPort), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: mkdtempSync(join(tmpdir(), 'hoh-bench-')), DEMO_SEED: 'false', LOG_LEVEL: 'silent' }, { cwd: ctx.root, cpu: pinning.SERVER_CPU });
  let bare = null;
  try {
    const nestUrl = `http://127.0.0.1:${nestPort}/api/health/live`;
    const bareUrl = `http://127.0.0.1:${barePort}/`;
    await waitFor(nestUrl, nest);
    const sample = await fetch(nestUrl);
    if ((await sample.text()) !== BODY) throw new Error(`${nestUrl} no longer answers ${BODY}; update BODY`);
    const headers = Object.fromEntries([...sample.headers].filter(([name]) => !OWN_HEADERS.has(name)));
    bare = spawnNode(['-e', BARE], { PORT: String(barePort), HEADERS: JSON.stringify(headers) }, { cpu: pinning.SERVER_CPU });
    await waitFor(bareUrl, bare);
    pinning.pinGenerator();
    ctx.log(pinning.note);
    const busy = await busyBefore(ctx);
    await warmUp({ url: nestUrl, connections: CONNECTIONS });
    await warmUp({ url: bareUrl, connections: CONNECTIONS });
    const rounds = await abRounds({
      rounds: AB_ROUNDS,
      maxRounds: AB_MAX_ROUNDS,
      a: { name: 'nest', pid: nest.pid, load: { url: nestUrl, connections: CONNECTIONS, durationMs: AB_ROUND_MS } },
      b: { name: 'node:http', pid: bare.pid, load: { url: bareUrl, connections: CONNECTIONS, durationMs: AB_ROUND_MS } },
      log: ctx.log,
    });
    const ratio = median(rounds.ratios);
    const nestCpu = median(rounds.a.map((x) => x.cpuUs));
    const bareCpu = median(rounds.b.map((x) => x.cpuUs));
    const note = [pinning.note, ...(busy ? [busyNote()] : [])].join('; ');
    return [
      { id: 'api.floor.ratio', value: median(rounds.a.map((x) => x.rps)), unit: 'req/s', baseline: median(rounds.b.map((x) => x.rps)), ratio, target: '≥ 0.6', pass: verdict(ratio >= 0.6, busy), ...(note ? { note } : {}) },
      { id: 'api.floor.cpu_us', value: nestCpu, unit: 'CPU-µs/req', baseline: bareCpu, ratio: nestCpu / bareCpu, target: null, pass: null },
    ];
  } finally {
    pinning.release();
    await Promise.all([stop(nest), stop(bare)]);
  }
}
