import 'reflect-metadata';

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { ConsoleLogger } from '@nestjs/common';

import { EnvError, parseEnv, type AppEnv } from './config/env.schema.js';
import { repoRoot } from './config/repo-root.js';
import { embeddedDataDir } from './database/embedded-postgres.js';

/** How long SIGTERM waits for the job in hand; past it the claim goes stale and another worker retakes it. */
const DRAIN_MS = 25_000;

/**
 * Where the worker finds the database: DATABASE_URL, or the embedded PostgreSQL that `npm start`
 * runs from DATA_DIR. The worker never starts a database of its own — two clusters on one data
 * folder would corrupt it — and never invents the hoh_app password, which would lock the API
 * processes out of their next connections.
 */
function databaseLogins(env: AppEnv): { ownerUrl: string; appPassword: string } {
  if (env.DATABASE_URL) {
    if (!env.APP_DATABASE_PASSWORD)
      throw new EnvError(
        'The report worker shares the database with the API processes: set APP_DATABASE_PASSWORD to the same value they use (16+ characters).',
      );
    return { ownerUrl: env.DATABASE_URL, appPassword: env.APP_DATABASE_PASSWORD };
  }
  const secrets = join(embeddedDataDir(resolve(repoRoot(), env.DATA_DIR)).dataDir, 'secrets');
  const superuser = join(secrets, 'postgres-superuser');
  const app = join(secrets, 'hoh-app');
  if (!existsSync(superuser) || !existsSync(app))
    throw new EnvError(
      `No embedded database secrets in ${secrets}. Start the API first (npm start, same DATA_DIR and EMBEDDED_PG_PORT), or set DATABASE_URL and APP_DATABASE_PASSWORD.`,
    );
  const password = readFileSync(superuser, 'utf8').trim();
  return {
    ownerUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.EMBEDDED_PG_PORT}/hand_on_heart`,
    appPassword: env.APP_DATABASE_PASSWORD ?? readFileSync(app, 'utf8').trim(),
  };
}

/**
 * The report worker on its own: `node apps/api/dist/apps/api/src/worker.js`. It runs the same
 * ReportWorker loop the API runs in-process (claims from the `reports` table with SKIP LOCKED), in a
 * Nest application context without HTTP, so API replicas can set REPORT_WORKER=false and PDF
 * rendering gets its own cores. Any number of workers may run; each takes one job at a time.
 */
async function main(): Promise<void> {
  // This process exists to render and run scheduled jobs: REPORT_WORKER and JOBS_WORKER in the
  // shared environment are meant for the API replicas.
  const env: AppEnv = { ...parseEnv(process.env), REPORT_WORKER: true, JOBS_WORKER: true };
  const { ownerUrl, appPassword } = databaseLogins(env);
  const { NestFactory } = await import('@nestjs/core');
  const { Logger } = await import('@nestjs/common');
  const { jsonLogger } = await import('./bootstrap.js');
  const { runMigrations, prepareAppRole } = await import('./database/migrate.js');
  const { AppConfig } = await import('./config/app-config.js');
  const { WorkerModule } = await import('./worker.module.js');
  if (env.LOG_LEVEL !== 'silent') Logger.overrideLogger(jsonLogger(env.LOG_LEVEL));
  const logger = new Logger('worker');

  // Migrations take an advisory lock, so a worker booting beside the API processes is safe either way round.
  const applied = await runMigrations(ownerUrl);
  if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
  const appUrl = await prepareAppRole(ownerUrl, appPassword);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(new AppConfig(env, appUrl, ownerUrl, null)), {
    logger: env.LOG_LEVEL === 'silent' ? false : jsonLogger(env.LOG_LEVEL),
    abortOnError: false,
  });
  await app.init();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing the report in hand, then closing the database pool`);
    // ReportWorker.onModuleDestroy stops claiming and awaits the current render; a render that
    // outlives DRAIN_MS stays `rendering` and is reclaimed by another worker once stale.
    const closed = await Promise.race([app.close().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), DRAIN_MS).unref())]).catch(
      (e: unknown) => {
        logger.error(String(e));
        return false;
      },
    );
    if (!closed) logger.warn(`Shutdown did not finish within ${DRAIN_MS} ms; the claimed job will be retried by another worker.`);
    process.exit(closed ? 0 : 1);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  logger.log(`Report worker ${process.pid} is polling for report jobs and running scheduled jobs`);
}

main().catch((error: unknown) => {
  const log = new ConsoleLogger('worker', { json: true, colors: false });
  if (error instanceof EnvError) console.error(error.message);
  else log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
