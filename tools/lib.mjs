// Small helpers shared by the repo scripts (start, build, test, migrate, bench).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const apiMain = join(root, 'apps/api/dist/apps/api/src/main.js');
/** Where the web app is built and served from: WEB_DIST_DIR (as the API reads it) or apps/web/dist. */
export const webDist = () => resolve(root, process.env.WEB_DIST_DIR || 'apps/web/dist');
/**
 * Written into the web output after a whole build (API + that web folder), so a build into another
 * WEB_DIST_DIR (the startup bench) never marks apps/web/dist as current.
 */
export const buildStampOf = (webDir) => join(webDir, '.build-stamp');

/** Runs a command with inherited output; resolves with its exit code (never rejects). */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolvePromise(127));
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
