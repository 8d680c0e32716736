// `npm run migrate`: apply pending migrations (to DATABASE_URL, or to the embedded database) and exit.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

import { build } from './build.mjs';
import { buildIsStale, root } from './lib.mjs';

if (buildIsStale() && (await build()) !== 0) process.exit(1);
await import(pathToFileURL(join(root, 'apps/api/dist/apps/api/src/migrate-cli.js')).href);
