// Production build: the libs and the API with tsc (project references, incremental), the web app
// with Vite. Writes a stamp that `npm start` compares file times against.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { bin, buildStamp, root, run } from './lib.mjs';

export async function build() {
  const started = Date.now();
  console.log('Building libraries and API (tsc -b)…');
  let code = await run(bin('tsc'), ['-b', 'apps/api/tsconfig.build.json']);
  if (code !== 0) return code;
  console.log('Building the web app (vite build)…');
  rmSync(join(root, 'apps/web/dist'), { recursive: true, force: true });
  code = await run(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: join(root, 'apps/web') });
  if (code !== 0) return code;
  writeFileSync(buildStamp, new Date().toISOString());
  console.log(`Build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(await build());
}
