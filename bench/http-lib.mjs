// Shared closed-loop HTTP load generator for the benches (README.md "Benchmarks"). Small on purpose:
//
//   closedLoop({ url (one or one per connection), connections, durationMs, request?, onResponse?, expect? })
//       → { count, errors, seconds, rps, p50, p95, p99, errorSamples }
//     `connections` keep-alive raw-socket clients each send the next request as soon as the previous
//     reply ends (a cheap generator: it shares a core with PostgreSQL).
//     `request(conn)` returns { method?, path?, headers?, body?, expect? } per request (body: string or
//     object → JSON; expect overrides the loop's); `onResponse(conn, res, text)` (res = { statusCode, headers (lower-case), text }) lets a
//     connection carry state forward (e.g. an ETag);
//     `expect` is the success status (default 200). Latencies in ms; p95/p99 over every sample.
//   measure(pid, loadOptions) → closedLoop result plus `cpuUs`: server CPU-µs per successful
//     request, from /proc/<pid>/stat (utime + stime) around the loop.
//   warmUp(load, { minMs, maxMs }) → 1-s windows until throughput is steady (two agree within 5%).
//   abRounds({ rounds, maxRounds = 5, a, b, log, rewarmMs = 2000 }) → interleaved B-then-A rounds,
//     each after rewarmMs of unmeasured load on its side, more (up to maxRounds) while the ratios
//     spread over 20% (R3); a/b are { name, pid, load } (load =
//     loadOptions for closedLoop); returns { a: [results], b: [results], ratios } with
//     ratio = a.rps / b.rps per round. Throws if any round had errors. spreadOf(xs) → (max − min) / median.
//   busyBefore(ctx, { threshold = 1.5, windowMs = 60_000 }) → true when the 1-minute load stayed
//     above the threshold for the whole window (polled every 2 s; returns false as soon as it drops)
//     and processes outside the bench's own tree then used over half a core (otherWorkCores(ms)).
//   verdict(ok, busy) → true | false | 'inconclusive' (a busy machine is not a failure; R4).
//   cpuPinning() → R2's CPU split (server on CPU 0, generator and PostgreSQL on CPU 1) and its note.
//   median(xs), percentile(xs, p), cpuTicks(pid), waitFor(url, child, ms), spawnNode(args, env, { cpu }),
//   stop(child), freePort().
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';

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

const canBind = (port) =>
  new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

function ephemeralLow() {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

const handedOut = new Set();

/**
 * A random port that is free right now, below the kernel's ephemeral range and never the same twice
 * in one process (a fixed range collides with parallel runs). A port from listen(0) comes from the
 * ephemeral range, and in the seconds before a server binds it an outgoing connection (the API's
 * pool, a health poll) may take it as its own local port: the floor bench's baseline once failed to
 * start with EADDRINUSE that way.
 */
export async function freePort() {
  const low = Math.min(ephemeralLow(), 32768);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
    if (handedOut.has(port) || !(await canBind(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found below ${low}`);
}

/** `options.cpu`: start the process pinned to that CPU (when pinning is available; see cpuPinning). */
export function spawnNode(args, env, { cpu, ...options } = {}) {
  const spawnOptions = { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'], ...options };
  // taskset execs node in place, so the child's pid is the server's.
  if (cpu !== undefined && cpuPinning().available) return spawn('taskset', ['-c', String(cpu), process.execPath, ...args], spawnOptions);
  return spawn(process.execPath, args, spawnOptions);
}

let pinningInfo = null;

/**
 * The pinning rule of README.md "Benchmarks": the server under test on CPU 0, this process (the load generator) and
 * PostgreSQL on CPU 1, so the three stop preempting one another at random and a server's tail
 * latency is its own. Needs two CPUs and util-linux's taskset; without them nothing is pinned and
 * `note` says so (it goes into the results table).
 *   available, note, SERVER_CPU (0), pinGenerator(), pinProcesses(pids) (to CPU 1), release()
 */
export function cpuPinning() {
  if (!pinningInfo) {
    const cpus = os.cpus().length;
    const taskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
    const available = cpus >= 2 && taskset;
    const set = (pid, list) => spawnSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' }).status === 0;
    pinningInfo = {
      available,
      SERVER_CPU: 0,
      note: available ? 'pinned (R2): server on CPU 0; load generator and PostgreSQL on CPU 1' : `not pinned: ${cpus < 2 ? `${cpus} CPU` : 'no taskset'}`,
      pinGenerator: () => available && set(process.pid, '1'),
      pinProcesses: (pids) => available && pids.every((pid) => set(pid, '1')),
      release: () => available && set(process.pid, `0-${cpus - 1}`),
    };
  }
  return pinningInfo;
}

export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
}

/**
 * One keep-alive HTTP/1.1 connection on a raw socket, one request in flight. The benches' load
 * generator shares a core with PostgreSQL (R2), so it must be cheap: node:http's client spent
 * 300-500 CPU-µs per request there, this about a tenth of that. Responses need a content-length or
 * chunked encoding (both servers measured send one); anything else fails the request loudly.
 */
class RawConnection {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.socket = null;
    this.waiting = null;
  }

  open() {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
      socket.once('connect', () => resolve());
      socket.once('error', reject);
      socket.on('data', (chunk) => this.onData(chunk));
      socket.on('error', (e) => this.fail(e));
      socket.on('close', () => this.fail(new Error('connection closed before the response ended')));
      this.socket = socket;
    });
  }

  fail(error) {
    this.socket?.destroy();
    this.socket = null;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(error);
  }

  async send(bytes) {
    if (!this.socket || this.socket.destroyed) await this.open();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject, buf: null, head: null };
      this.socket.write(bytes);
    });
  }

  onData(chunk) {
    const w = this.waiting;
    if (!w) return this.fail(new Error('bytes arrived with no request in flight'));
    w.buf = w.buf ? Buffer.concat([w.buf, chunk]) : chunk;
    if (!w.head) {
      const end = w.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = w.buf.toString('latin1', 0, end).split('\r\n');
      const headers = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const statusCode = Number(lines[0].split(' ')[1]);
      const chunked = /chunked/i.test(headers['transfer-encoding'] ?? '');
      const length = headers['content-length'] !== undefined ? Number(headers['content-length']) : statusCode === 204 || statusCode === 304 ? 0 : null;
      if (length === null && !chunked) return this.fail(new Error(`response ${statusCode} has neither content-length nor chunked encoding`));
      w.head = { statusCode, headers, chunked, length };
      w.buf = w.buf.subarray(end + 4);
    }
    let body;
    if (w.head.chunked) {
      body = dechunk(w.buf);
      if (!body) return;
    } else {
      if (w.buf.length < w.head.length) return;
      body = w.buf.subarray(0, w.head.length);
    }
    this.waiting = null;
    if (/close/i.test(w.head.headers.connection ?? '')) {
      this.socket.removeAllListeners('close');
      this.socket.destroy();
      this.socket = null;
    }
    w.resolve({ statusCode: w.head.statusCode, headers: w.head.headers, text: body.toString('utf8') });
  }

  close() {
    this.socket?.removeAllListeners('close');
    this.socket?.destroy();
    this.socket = null;
  }
}

/** The body of a complete chunked message, or null while chunks are still arriving. */
function dechunk(buf) {
  const parts = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(buf.toString('latin1', at, eol), 16);
    if (size === 0) return buf.indexOf('\r\n', eol + 2) < 0 ? null : Buffer.concat(parts);
    if (buf.length < eol + 2 + size + 2) return null;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

export async function closedLoop({ url, connections, durationMs, request, onResponse, expect = 200 }) {
  // One base URL, or one per connection (connection c uses urls[c % n]: one loop over several servers).
  const bases = (Array.isArray(url) ? url : [url]).map((u) => new URL(u));
  const baseOf = (conn) => bases[conn % bases.length];
  const latencies = [];
  const errorSamples = [];
  let count = 0;
  let errors = 0;
  const until = Date.now() + durationMs;
  const pool = Array.from({ length: connections }, (_, conn) => new RawConnection(baseOf(conn).hostname, Number(baseOf(conn).port || 80)));
  const one = async (conn) => {
    const spec = request ? request(conn) : {};
    const base = baseOf(conn);
    const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    const what = `${spec.method ?? 'GET'} ${spec.path ?? `${base.pathname}${base.search}`}`;
    let head = `${what} HTTP/1.1\r\nHost: ${base.host}\r\n`;
    const headers = { ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...spec.headers };
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    const bytes = body === undefined ? `${head}\r\n` : `${head}\r\n${body}`;
    const started = process.hrtime.bigint();
    try {
      const res = await pool[conn].send(bytes);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.statusCode === (spec.expect ?? expect)) count++;
      else {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${what} → ${res.statusCode} ${res.text.slice(0, 300)}`);
      }
      onResponse?.(conn, res, res.text);
    } catch (e) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(`${what} → ${String(e)}`);
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async (_, conn) => {
      while (Date.now() < until) await one(conn);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const c of pool) c.close();
  return { count, errors, seconds, rps: count / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), errorSamples };
}

/**
 * Warms a server until its throughput is steady: 1-second windows of `load` until two in a row
 * agree within 5% (at least `minMs`, at most `maxMs`). The API's JIT and pools take longer than R3's
 * fixed 3 s to settle (its CPU per request kept falling through the first rounds), and a round that
 * measures warm-up is no figure of the server. At least 20 s: pinned to one busy core, the API's
 * JIT compiles on that same core, so optimised code for a route arrives late. Its throughput rises
 * in steps that two 1-s windows can agree on: with 3 s, then 8 s, the first round of each route
 * still ran at 60–70% of the rounds after it (dashboard 929 req/s, then 1,500).
 * Returns { ms, rps } of the warm-up.
 */
export async function warmUp(load, { minMs = 20_000, maxMs = 30_000 } = {}) {
  const started = Date.now();
  let previous = 0;
  for (;;) {
    const { rps } = await closedLoop({ ...load, durationMs: 1_000 });
    const elapsed = Date.now() - started;
    if ((elapsed >= minMs && previous > 0 && Math.abs(rps - previous) / previous <= 0.05) || elapsed >= maxMs) return { ms: elapsed, rps };
    previous = rps;
  }
}

export async function measure(pid, loadOptions) {
  const c0 = cpuTicks(pid);
  const result = await closedLoop(loadOptions);
  return { ...result, cpuUs: ((cpuTicks(pid) - c0) * TICK_US) / Math.max(result.count, 1) };
}

/** (max − min) / median: how far a set of rounds disagrees (R3 adds rounds above 20%). */
export const spreadOf = (xs) => (Math.max(...xs) - Math.min(...xs)) / median(xs);

/**
 * Rounds for the request-path figures (R3 says 3, or 5 when they spread over 20%; these are more and
 * shorter, for a measured reason). Each of this VM's two vCPUs has slow periods of 5–10 s in which
 * the same work costs 1.5–2× the CPU: in 40 one-second windows of score reads (session 7), the API's
 * CPU per read stayed at 300–400 µs while PostgreSQL's doubled to 510–620 µs for 7 s, and later the
 * API's rose to 550–670 µs for 6 s while PostgreSQL's stayed put. One such period decided a 4-s round,
 * and with 3 rounds two of them. With rounds shorter than those periods and more of them, the median
 * is a state the machine is in most of the time; the rounds, their spread and the CPU per request are
 * all still logged, so a slow period stays visible.
 */
export const AB_ROUNDS = 5;
export const AB_MAX_ROUNDS = 9;
export const AB_ROUND_MS = 2_500;

/**
 * R3: `rounds` interleaved B-then-A rounds, and up to `maxRounds` when their ratios spread by more
 * than 20% (a VM whose speed drifts between rounds: more rounds make the median steadier). Each side
 * runs `rewarmMs` of unmeasured load right before each of its rounds: it sat idle through the other
 * side's round (and A through B's whole warm-up before round 1), and a server measured straight after
 * 20 s idle answered its first 3 s with p99 51 and 85 ms where the rounds after gave 21–29 ms.
 */
export async function abRounds({ rounds, maxRounds = Math.max(rounds, 5), a, b, log, rewarmMs = 2_000 }) {
  const out = { a: [], b: [], ratios: [] };
  const measured = async (side) => {
    if (rewarmMs > 0) await closedLoop({ ...side.load, durationMs: rewarmMs });
    return measure(side.pid, side.load);
  };
  for (let r = 0; r < rounds || (r < maxRounds && spreadOf(out.ratios) > 0.2); r++) {
    if (r === rounds) log?.(`ratios spread ${(spreadOf(out.ratios) * 100).toFixed(0)}% over ${r} rounds: one more (R3, up to ${maxRounds})`);
    const rb = await measured(b);
    const ra = await measured(a);
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

/**
 * True when the machine was busy with other work before a figure's rounds: the 1-minute load stayed
 * above `threshold` for `windowMs`, and over the last 5 s processes outside this bench's own tree
 * (its servers, PostgreSQL and its autovacuum, Chromium) used more than half a core. The load
 * average alone also counts the bench's own previous phase, which decays for about a minute after
 * it and is not "other work on the machine".
 */
export async function busyBefore(ctx, { threshold = BUSY_LOAD, windowMs = 60_000 } = {}) {
  const deadline = Date.now() + windowMs;
  for (;;) {
    if (ctx.loadAverage() <= threshold) return false;
    if (Date.now() >= deadline) return (await otherWorkCores(5_000)) > 0.5;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

const busyTicks = () => {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  return f.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
};

/** CPU ticks of this process and every descendant, from /proc (children are found through their ppid). */
function ownTreeTicks() {
  const stats = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const f = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ');
      // utime + stime, plus cutime + cstime: a child that ended in between is then counted in its parent.
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  const inTree = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = stats.get(p)?.ppid ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of stats) if (inTree(pid)) ticks += s.ticks;
  return ticks;
}

/** Cores used over `ms` by processes outside this bench's own tree. */
export async function otherWorkCores(ms) {
  const [b0, o0, t0] = [busyTicks(), ownTreeTicks(), Date.now()];
  await new Promise((r) => setTimeout(r, ms));
  const [b1, o1, t1] = [busyTicks(), ownTreeTicks(), Date.now()];
  const hz = 100;
  return Math.max(0, b1 - b0 - (o1 - o0)) / hz / ((t1 - t0) / 1000);
}

export const verdict = (ok, busy) => (ok ? true : busy ? 'inconclusive' : false);

export const busyNote = (threshold = BUSY_LOAD) => `1-minute load stayed above ${threshold} for the 60 s before the rounds, and processes outside the bench used over half a core (other work on the machine)`;
