// Production build: the libs and the API with tsc (project references, incremental), the web app
// with Vite. Writes a stamp that `npm start` compares file times against.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { bin, buildStampOf, root, run, webDist } from './lib.mjs';

/**
 * `force` rebuilds every TypeScript project from scratch, as on a fresh clone (the startup bench's
 * first start). The web app goes to WEB_DIST_DIR when set, so a bench can build beside the
 * apps/web/dist that running browser tests serve instead of deleting it under them.
 */
export async function build({ force = false } = {}) {
  const started = Date.now();
  const webDir = webDist();
  // Side by side: tsc and Vite each use about one core, and the web build reads the libs' sources
  // (vite.config.ts aliases), never the tsc output.
  console.log(`Building libraries and API (tsc -b${force ? ' --force' : ''}) and the web app (vite build)…`);
  rmSync(webDir, { recursive: true, force: true });
  const codes = await Promise.all([
    run(bin('tsc'), ['-b', 'apps/api/tsconfig.build.json', ...(force ? ['--force'] : [])]),
    run(bin('vite'), ['build', '--logLevel', 'warn', '--outDir', webDir, '--emptyOutDir'], { cwd: join(root, 'apps/web') }),
  ]);
  const code = codes.find((c) => c !== 0);
  if (code !== undefined) return code;
  writeFileSync(buildStampOf(webDir), new Date().toISOString());
  console.log(`Build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(await build({ force: process.argv.includes('--force') }));
}
