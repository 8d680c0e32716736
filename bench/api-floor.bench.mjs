// api.floor.ratio: a static route through Nest + Fastify (GET /api/health/live, no database)
// against a bare node:http server sending the same body, both in their own process, measured in
// the same run with interleaved rounds (TRUST-AND-SPEED B5). Server CPU-µs per request is read
// from /proc for each side. Target: Nest ≥ 0.6 × bare node:http req/s.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from '../tools/build.mjs';
import { apiMain, buildIsStale } from '../tools/lib.mjs';

const ROUNDS = 3;
const ROUND_MS = 3_000;
const WARMUP_MS = 1_500;
const CONNECTIONS = 16;
const BUSY_LOAD = 1.5;
const BODY = JSON.stringify({ status: 'alive' });

const BARE = `
const http = require('node:http');
const body = ${JSON.stringify(BODY)};
http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }); res.end(body); })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 Hz)
}

async function waitFor(url, child, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before it answered ${url}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A closed loop: CONNECTIONS concurrent keep-alive clients, each sending the next request on reply. */
function load(url, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let count = 0;
  let errors = 0;
  const until = Date.now() + ms;
  const one = () =>
    new Promise((resolve) => {
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) count++;
          else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const loop = async () => {
    while (Date.now() < until) await one();
  };
  return Promise.all(Array.from({ length: CONNECTIONS }, loop)).then(() => {
    agent.destroy();
    return { count, errors };
  });
}

async function measure(url, pid, ms) {
  const t0 = process.hrtime.bigint();
  const c0 = cpuTicks(pid);
  const { count, errors } = await load(url, ms);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuUs = ((cpuTicks(pid) - c0) * 10_000) / Math.max(count, 1);
  return { rps: count / seconds, cpuUs, errors };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  if (buildIsStale() && (await build()) !== 0) throw new Error('the production build failed');
  if (!existsSync(apiMain)) throw new Error('no API build');
  const nestPort = 43100 + Math.floor(Math.random() * 500);
  const barePort = nestPort + 600;
  const throttle = { THROTTLE_SIGN_IN_PER_ACCOUNT: '5', THROTTLE_SIGN_IN_PER_IP: '20', THROTTLE_SIGN_UP_PER_IP: '20' };
  ctx.log(`throttling limits for this run: ${JSON.stringify(throttle)} (the floor route is not throttled)`);
  const nest = spawn(process.execPath, [apiMain], {
    cwd: ctx.root,
    env: { ...process.env, ...throttle, DATABASE_URL: '', NODE_ENV: 'production', PORT: String(nestPort), EMBEDDED_PG_PORT: String(nestPort + 1200), DATA_DIR: mkdtempSync(join(tmpdir(), 'hoh-bench-')), DEMO_SEED: 'false', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const bare = spawn(process.execPath, ['-e', BARE], { env: { ...process.env, PORT: String(barePort) }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const nestUrl = `http://127.0.0.1:${nestPort}/api/health/live`;
    const bareUrl = `http://127.0.0.1:${barePort}/`;
    await waitFor(nestUrl, nest);
    await waitFor(bareUrl, bare);
    await load(nestUrl, WARMUP_MS);
    await load(bareUrl, WARMUP_MS);
    const busyBefore = ctx.loadAverage() > BUSY_LOAD;
    const ratios = [];
    const nestRps = [];
    const bareRps = [];
    const nestCpu = [];
    const bareCpu = [];
    for (let r = 0; r < ROUNDS; r++) {
      const b = await measure(bareUrl, bare.pid, ROUND_MS);
      const n = await measure(nestUrl, nest.pid, ROUND_MS);
      if (n.errors || b.errors) throw new Error(`errors during round ${r}: nest ${n.errors}, bare ${b.errors}`);
      ratios.push(n.rps / b.rps);
      nestRps.push(n.rps);
      bareRps.push(b.rps);
      nestCpu.push(n.cpuUs);
      bareCpu.push(b.cpuUs);
      ctx.log(`round ${r + 1}: nest ${n.rps.toFixed(0)} req/s (${n.cpuUs.toFixed(0)} CPU-µs/req), node:http ${b.rps.toFixed(0)} req/s (${b.cpuUs.toFixed(0)} CPU-µs/req)`);
    }
    const ratio = median(ratios);
    const pass = ratio >= 0.6 ? true : busyBefore ? 'inconclusive' : false;
    const note = busyBefore ? `1-minute load above ${BUSY_LOAD} before the rounds (other work on the machine)` : undefined;
    return [
      { id: 'api.floor.ratio', value: median(nestRps), unit: 'req/s', baseline: median(bareRps), ratio, target: '≥ 0.6', pass, ...(note ? { note } : {}) },
      { id: 'api.floor.cpu_us', value: median(nestCpu), unit: 'CPU-µs/req', baseline: median(bareCpu), ratio: median(nestCpu) / median(bareCpu), target: null, pass: null },
    ];
  } finally {
    nest.kill('SIGTERM');
    bare.kill('SIGTERM');
    await new Promise((r) => (nest.exitCode !== null ? r() : nest.once('exit', r)));
  }
}
