import 'reflect-metadata';

import { resolve } from 'node:path';

import { ConsoleLogger } from '@nestjs/common';

import { EnvError, parseEnv } from './config/env.schema.js';
import { repoRoot } from './config/repo-root.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const log = new ConsoleLogger('main', { json: true, colors: false });
  // Start the embedded PostgreSQL while the (heavy) application modules load: the two overlap,
  // which is most of a restart's time.
  const embedding = env.DATABASE_URL
    ? Promise.resolve(null)
    : startEmbeddedPostgres(resolve(repoRoot(), env.DATA_DIR), env.EMBEDDED_PG_PORT, {
        info: (m) => log.log(m),
        warn: (m) => log.warn(m),
      });
  embedding.catch(() => undefined); // awaited below; this only stops an early rejection being "unhandled"
  const { buildConfig, createApp, defaultWebDist, jsonLogger, prepareDatabase } = await import('./bootstrap.js');
  const { Logger } = await import('@nestjs/common');
  if (env.LOG_LEVEL !== 'silent') Logger.overrideLogger(jsonLogger(env.LOG_LEVEL));
  const logger = new Logger('main');
  const started = await embedding;
  const db = await prepareDatabase(env, started);
  const webDist = defaultWebDist(env);
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(buildConfig(env, db, webDist));
  } catch (error) {
    await db.embedded?.stop();
    throw error;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining requests, closing the database pool${db.embedded ? ' and stopping the embedded PostgreSQL' : ''}`);
    const timeout = <T>(p: Promise<T>) => Promise.race([p, new Promise((r) => setTimeout(r, 8000))]);
    await timeout(app.close()).catch((e: unknown) => logger.error(String(e)));
    if (db.embedded) await timeout(db.embedded.stop()).catch((e: unknown) => logger.error(String(e)));
    process.exit(0);
  };
  // embedded-postgres (through async-exit-hook) answers the first SIGINT/SIGTERM by stopping
  // PostgreSQL and exiting 143 at once, cutting off requests in flight. It keeps that role during
  // boot; from here on this process drains first and stops the database itself.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: env.PORT, host: env.HOST });
  const url = `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`;
  logger.log(`Hand on Heart is ready at ${url}  (API docs ${url}/api/docs)${webDist ? '' : ' — web app not built; run npm run build'}`);
}

main().catch((error: unknown) => {
  // Env errors are already a readable list; anything else gets its stack.
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
