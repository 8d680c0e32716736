// Shared closed-loop HTTP load generator for the benches (TRUST-AND-SPEED §B5). Small on purpose:
//
//   closedLoop({ url, connections, durationMs, request?, onResponse?, expect? })
//       → { count, errors, seconds, rps, p50, p95, p99, errorSamples }
//     `connections` keep-alive clients each send the next request as soon as the previous reply ends.
//     `request(conn)` returns { method?, path?, headers?, body? } per request (body: string or object →
//     JSON); `onResponse(conn, res, text)` lets a connection carry state forward (e.g. an ETag);
//     `expect` is the success status (default 200). Latencies in ms; p95/p99 over every sample.
//   measure(pid, loadOptions) → closedLoop result plus `cpuUs`: server CPU-µs per successful
//     request, from /proc/<pid>/stat (utime + stime) around the loop.
//   abRounds({ rounds, a, b, log }) → interleaved B-then-A rounds; a/b are { name, pid, load }
//     (load = loadOptions for closedLoop); returns { a: [results], b: [results], ratios } with
//     ratio = a.rps / b.rps per round. Throws if any round had errors.
//   busyBefore(ctx, { threshold = 1.5, windowMs = 60_000 }) → true when the 1-minute load stayed
//     above the threshold for the whole window (polled every 2 s; returns false as soon as it drops).
//   verdict(ok, busy) → true | false | 'inconclusive' (a busy machine is not a failure; R4).
//   median(xs), percentile(xs, p), cpuTicks(pid), waitFor(url, child, ms), spawnNode(args, env),
//   stop(child), freePort().
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export const BUSY_LOAD = 1.5;
const TICK_US = 10_000; // /proc/<pid>/stat counts in clock ticks of 1/100 s (CLK_TCK = 100 on Linux)

export function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function waitFor(url, child, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before it answered ${url}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A port the OS says is free right now (a random fixed range collides with parallel runs). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function spawnNode(args, env, options = {}) {
  return spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'], ...options });
}

export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
}

export async function closedLoop({ url, connections, durationMs, request, onResponse, expect = 200 }) {
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const errorSamples = [];
  let count = 0;
  let errors = 0;
  const until = Date.now() + durationMs;
  const one = (conn) =>
    new Promise((resolve) => {
      const spec = request ? request(conn) : {};
      const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
      const headers = { ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...spec.headers };
      const started = process.hrtime.bigint();
      const req = http.request(
        { host: base.hostname, port: base.port, path: spec.path ?? `${base.pathname}${base.search}`, method: spec.method ?? 'GET', headers, agent },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === expect) count++;
            else {
              errors++;
              if (errorSamples.length < 3) errorSamples.push(`${res.statusCode} ${text.slice(0, 300)}`);
            }
            onResponse?.(conn, res, text);
            resolve();
          });
        },
      );
      req.on('error', (e) => {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(String(e));
        resolve();
      });
      req.end(body);
    });
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async (_, conn) => {
      while (Date.now() < until) await one(conn);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return { count, errors, seconds, rps: count / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), errorSamples };
}

export async function measure(pid, loadOptions) {
  const c0 = cpuTicks(pid);
  const result = await closedLoop(loadOptions);
  return { ...result, cpuUs: ((cpuTicks(pid) - c0) * TICK_US) / Math.max(result.count, 1) };
}

export async function abRounds({ rounds, a, b, log }) {
  const out = { a: [], b: [], ratios: [] };
  for (let r = 0; r < rounds; r++) {
    const rb = await measure(b.pid, b.load);
    const ra = await measure(a.pid, a.load);
    if (ra.errors || rb.errors) {
      throw new Error(`errors during round ${r + 1}: ${a.name} ${ra.errors} ${ra.errorSamples.join(' | ')}; ${b.name} ${rb.errors} ${rb.errorSamples.join(' | ')}`);
    }
    out.a.push(ra);
    out.b.push(rb);
    out.ratios.push(ra.rps / rb.rps);
    const show = (x) => `${x.rps.toFixed(0)} req/s (${x.cpuUs.toFixed(0)} CPU-µs/req, p99 ${x.p99.toFixed(1)} ms)`;
    log?.(`round ${r + 1}: ${a.name} ${show(ra)}, ${b.name} ${show(rb)}`);
  }
  return out;
}

export async function busyBefore(ctx, { threshold = BUSY_LOAD, windowMs = 60_000 } = {}) {
  const deadline = Date.now() + windowMs;
  for (;;) {
    if (ctx.loadAverage() <= threshold) return false;
    if (Date.now() >= deadline) return true;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

export const verdict = (ok, busy) => (ok ? true : busy ? 'inconclusive' : false);

export const busyNote = (threshold = BUSY_LOAD) => `1-minute load stayed above ${threshold} for the 60 s before the rounds (other work on the machine)`;
