// `npm start`: build only when sources are newer than the last build, then run the API (which
// serves the web app and, without DATABASE_URL, an embedded PostgreSQL) in this process.
import { pathToFileURL } from 'node:url';

import { build } from './build.mjs';
import { apiMain, buildIsStale } from './lib.mjs';

// --rebuild: build everything from scratch first, as on a fresh clone (used by the startup bench).
const rebuild = process.argv.includes('--rebuild');
if (rebuild || buildIsStale()) {
  console.log(rebuild ? 'Rebuilding everything (--rebuild)…' : 'Sources changed since the last build (or first start): building…');
  const code = await build({ force: rebuild });
  if (code !== 0) {
    console.error('The build failed; fix the errors above and run npm start again.');
    process.exit(code);
  }
}
process.env.NODE_ENV ??= 'production';
await import(pathToFileURL(apiMain).href);
