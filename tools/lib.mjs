// Small helpers shared by the repo scripts (start, build, test, migrate, bench).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const apiMain = join(root, 'apps/api/dist/apps/api/src/main.js');
/**
 * V8 flags for every process that runs the API or the worker: npm start (package.json), the
 * Dockerfile, docker-compose's worker and the benches (apps/api/src/config/node-flags.spec.ts keeps
 * them equal). A 64 MB young generation instead of V8's 16 MB: a request allocates many short-lived
 * objects (rows, parsed JSON, the engine's result, the response), and the scavenger took ~11% of a
 * score read's CPU. Measured A/B on this 2-core VM: 1,018 → 864 API CPU-µs per score read. Costs
 * up to ~130 MB more resident memory under load, none when idle.
 *
 * No allocation-site pretenuring: V8 watches which allocation sites' objects survive a scavenge and,
 * past a threshold, allocates that site's objects straight in the old generation from then on. Under
 * a steady load of requests a burst of survivors (requests in flight across a pause) is enough to
 * pretenure sites of per-request objects (pg rows and fields, guard closures); those then die in the
 * old generation, only a full GC frees them, and while dead they still point at young objects, which
 * the scavenger must keep and copy. Measured on the score read (one API alone, as the benches run it):
 * scavenge p50 8.6–10.4 ms with pretenuring, 1.6–2.1 ms without; the dashboard's 5.7 ms → 1.5–1.7 ms
 * and its p99 21 → 14–17 ms. Writes, PDF rendering and startup measured unchanged (docs/SCALING.md §5).
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=64', '--no-allocation-site-pretenuring'];
/** Where the web app is built and served from: WEB_DIST_DIR (as the API reads it) or apps/web/dist. */
export const webDist = () => resolve(root, process.env.WEB_DIST_DIR || 'apps/web/dist');
/**
 * Written into the web output after a whole build (API + that web folder), so a build into another
 * WEB_DIST_DIR (the startup bench) never marks apps/web/dist as current.
 */
export const buildStampOf = (webDir) => join(webDir, '.build-stamp');

/** The 1-minute load average (the benches' measure of other work on the machine). */
export function loadAverage() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return os.loadavg()[0] ?? 0;
  }
}

/** Runs a command with inherited output; resolves with its exit code (never rejects). */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolvePromise(127));
  });
}

/**
 * Runs a command with its output (stdout and stderr, interleaved as written) kept, for steps that run
 * beside others and print whole afterwards; resolves with its exit code and that output (never rejects).
 */
export function runCaptured(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const chunks = [];
    const child = spawn(command, args, { cwd: root, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('exit', (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8') }));
    child.on('error', (error) => resolvePromise({ code: 127, output: String(error) }));
  });
}

export const bin = (name) => join(root, 'node_modules/.bin', name);

const SOURCE_ROOTS = ['apps/api/src', 'apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts', 'apps/web/public', 'libs', 'migrations', 'package-lock.json', 'tsconfig.base.json'];
const SKIP = new Set(['node_modules', 'dist', '.data']);

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when a source file is newer than the last successful build (cheap: file times only). */
export function buildIsStale(webDir = webDist()) {
  const stamp = buildStampOf(webDir);
  if (!existsSync(stamp) || !existsSync(apiMain) || !existsSync(join(webDir, 'index.html'))) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCE_ROOTS.some((p) => newestMtime(join(root, p)) > built);
}
