import 'reflect-metadata';

import { resolve } from 'node:path';

import { PinoNestLogger, processLogFormat, readyMessages, rootLogger } from './common/logging.js';
import { EnvError, parseEnv } from './config/env.schema.js';
import { repoRoot } from './config/repo-root.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  // JSON lines, or short ones for a person at a terminal (common/logging.ts); the same logger serves
  // these first lines, Nest and Fastify.
  const format = processLogFormat(env);
  const early = new PinoNestLogger(rootLogger(env.LOG_LEVEL, format));
  // Start the embedded PostgreSQL while the (heavy) application modules load: the two overlap,
  // which is most of a restart's time.
  const embedding = env.DATABASE_URL
    ? Promise.resolve(null)
    : startEmbeddedPostgres(resolve(repoRoot(), env.DATA_DIR), env.EMBEDDED_PG_PORT, {
        info: (m) => early.log(m, 'main'),
        warn: (m) => early.warn(m, 'main'),
      });
  embedding.catch(() => undefined); // awaited below; this only stops an early rejection being "unhandled"
  const { appLogger, buildConfig, createApp, defaultWebDist, demoLogin, prepareDatabase } = await import('./bootstrap.js');
  const { Logger } = await import('@nestjs/common');
  if (env.LOG_LEVEL !== 'silent') Logger.overrideLogger(appLogger(env));
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
  // What a newcomer needs, last: where it runs, the docs, how to sign in, how to stop. The demo
  // login is printed on every start while the seeded account still opens with it.
  const demo = env.DEMO_SEED ? await demoLogin(app).catch(() => null) : null;
  for (const message of readyMessages(format, { url, demo, webBuilt: webDist !== null, dataDir: db.embedded?.dataDir ?? null })) logger.log(message);
}

main().catch((error: unknown) => {
  // Env errors are already a readable list; anything else gets its stack.
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
