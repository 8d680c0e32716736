import { existsSync, readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

import { Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

import { AppModule } from './app.module.js';
import { configureApp, fastifyOptions } from './app.setup.js';
import { PinoNestLogger, processLogFormat, rootLogger } from './common/logging.js';
import { AppConfig } from './config/app-config.js';
import type { Clock } from './config/clock.js';
import { repoRoot } from './config/repo-root.js';
import { type AppEnv, EnvError } from './config/env.schema.js';
import { readDbRoleFacts, unsafeRoleReasons } from './database/db-role-facts.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { prepareAppRole, runMigrations } from './database/migrate.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { DEMO_LOGIN, DemoSeeder } from './modules/demo/demo-seeder.js';

export interface PreparedDatabase {
  ownerUrl: string;
  appUrl: string;
  embedded: EmbeddedDatabase | null;
}

const logger = new Logger('boot');

/** Nest's lines as pino JSON at LOG_LEVEL (the worker and `npm run migrate`, whose output is read by machines). */
export function jsonLogger(level: AppEnv['LOG_LEVEL'] = 'info'): LoggerService {
  return new PinoNestLogger(rootLogger(level, 'json'));
}

/** Nest's lines on the process's one logger: JSON, or short lines on a terminal (common/logging.ts). */
export function appLogger(env: AppEnv): LoggerService {
  return new PinoNestLogger(rootLogger(env.LOG_LEVEL, processLogFormat(env)));
}

function embeddedAppPassword(dataDir: string): string {
  const file = join(dataDir, 'secrets', 'hoh-app');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(24).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** Starts the embedded PostgreSQL in DATA_DIR (only when DATABASE_URL is unset). */
export function startEmbedded(env: AppEnv, log: { info: (m: string) => void; warn: (m: string) => void }): Promise<EmbeddedDatabase> {
  return startEmbeddedPostgres(resolve(repoRoot(), env.DATA_DIR), env.EMBEDDED_PG_PORT, log);
}

/**
 * Starts the embedded database when DATABASE_URL is unset (or takes one main.ts already started),
 * migrates, and readies the app role.
 */
export async function prepareDatabase(env: AppEnv, started: EmbeddedDatabase | null = null): Promise<PreparedDatabase> {
  let embedded: EmbeddedDatabase | null = started;
  let ownerUrl = env.DATABASE_URL;
  if (!ownerUrl) {
    embedded ??= await startEmbedded(env, { info: (m) => logger.log(m), warn: (m) => logger.warn(m) });
    ownerUrl = embedded.ownerUrl;
    logger.log(`Embedded PostgreSQL running on 127.0.0.1:${env.EMBEDDED_PG_PORT}, data in ${embedded.dataDir}`);
  }
  try {
    const applied = await runMigrations(ownerUrl).catch((error: unknown) => {
      const code = (error as { code?: string }).code;
      if (!code || !/^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|28P01|28000|3D000)$/.test(code)) throw error;
      const where = new URL(ownerUrl);
      throw new EnvError(
        `Cannot reach PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname} (${code}). ` +
          'Check DATABASE_URL (host, port, database, user, password) and that the server is running — or unset it to use the embedded database.',
      );
    });
    // The full list goes in the line's fields; the message stays one short line on a first start's terminal.
    if (applied.length > 0)
      logger.log({ msg: applied.length > 3 ? `Applied ${applied.length} migrations (${applied[0]} … ${applied.at(-1)})` : `Applied migrations: ${applied.join(', ')}`, migrations: applied });
    if (!embedded && !env.APP_DATABASE_PASSWORD) {
      logger.warn('APP_DATABASE_PASSWORD is unset: the hoh_app password was set afresh for this process. Set it when several API processes share the database.');
    }
    const password = env.APP_DATABASE_PASSWORD ?? (embedded ? embeddedAppPassword(embedded.dataDir) : undefined);
    const appUrl = await prepareAppRole(ownerUrl, password);
    return { ownerUrl, appUrl, embedded };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

export function defaultWebDist(env: AppEnv): string | null {
  const dir = resolve(repoRoot(), env.WEB_DIST_DIR ?? 'apps/web/dist');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

/** Builds the Nest application exactly as production runs it (also used by the e2e harness). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter(fastifyOptions(config)),
    // abortOnError: false makes a wiring error a thrown error (with its cause) instead of a silent process.exit.
    { logger: config.env.LOG_LEVEL === 'silent' ? false : appLogger(config.env), bufferLogs: false, abortOnError: false },
  );
  await configureApp(app, config);
  await app.init();

  // Refuse to serve through a login that could see past row-level security.
  const facts = await readDbRoleFacts(app.get(DataSource));
  const unsafe = unsafeRoleReasons(facts);
  if (unsafe.length > 0) {
    await app.close();
    throw new Error(`Refusing to start: the database login "${facts.role}" ${unsafe.join(', ')}. The API must connect as hoh_app (created by the migrations).`);
  }
  if (config.env.DEMO_SEED) await app.get(DemoSeeder).seedIfEmpty();
  return app;
}

/**
 * The demo sign-in, when the seeded demo account still opens with it (so `npm start` can print it
 * last on every start, not only the first); null when there is none or its password was changed.
 */
export async function demoLogin(app: NestFastifyApplication): Promise<typeof DEMO_LOGIN | null> {
  const rows = await app.get(DataSource).query<{ password_hash: string }[]>('SELECT password_hash FROM users WHERE email = $1', [DEMO_LOGIN.email]);
  const hash = rows[0]?.password_hash;
  return hash && (await app.get(PasswordHasher, { strict: false }).verify(hash, DEMO_LOGIN.password)) ? DEMO_LOGIN : null;
}

export function buildConfig(env: AppEnv, db: PreparedDatabase, webDistDir: string | null, clock?: Clock): AppConfig {
  return new AppConfig(env, db.appUrl, db.ownerUrl, webDistDir, clock);
}
