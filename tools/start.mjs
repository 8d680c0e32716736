// `npm start`: build only when sources are newer than the last build, then run the API (which
// serves the web app and, without DATABASE_URL, an embedded PostgreSQL) in this process.
import { pathToFileURL } from 'node:url';

import { build } from './build.mjs';
import { apiMain, buildIsStale } from './lib.mjs';

if (buildIsStale()) {
  console.log('Sources changed since the last build (or first start): building…');
  const code = await build();
  if (code !== 0) {
    console.error('The build failed; fix the errors above and run npm start again.');
    process.exit(code);
  }
}
process.env.NODE_ENV ??= 'production';
await import(pathToFileURL(apiMain).href);
