import { Logger } from '@nestjs/common';

import { jsonLogger, prepareDatabase } from './bootstrap.js';
import { EnvError, parseEnv } from './config/env.schema.js';

/** `npm run migrate`: prepareDatabase migrates under the advisory lock; then stop and exit. */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  Logger.overrideLogger(jsonLogger(env.LOG_LEVEL));
  const db = await prepareDatabase(env);
  await db.embedded?.stop();
  new Logger('migrate').log('Migrations are up to date');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  },
);
