// `npm run db:reset`: delete the embedded database (stop `npm start` first). Never touches DATABASE_URL.
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { root } from './lib.mjs';

if (process.env.DATABASE_URL) {
  console.error('DATABASE_URL is set: db:reset only deletes the embedded database. Drop and recreate your server database yourself.');
  process.exit(1);
}
const dataDir = resolve(root, process.env.DATA_DIR || '.data');
const pidFile = join(dataDir, 'pg', 'postmaster.pid');
if (existsSync(pidFile)) {
  console.error(`The embedded PostgreSQL looks like it is running (${pidFile} exists). Stop npm start first.`);
  process.exit(1);
}
rmSync(dataDir, { recursive: true, force: true });
console.log(`Deleted ${dataDir}. The next npm start initialises a fresh database and seeds the demo.`);
