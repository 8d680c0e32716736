import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { tmpdir, userInfo } from 'node:os';

import { loadEmbeddedPostgres, reachableByPostgres } from './postgres-runtime.mjs';

export interface EmbeddedDatabase {
  ownerUrl: string;
  dataDir: string;
  stop: () => Promise<void>;
}

interface Logger {
  info: (msg: string) => void;
  warn: (msg: string) => void;
}

function readOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster kept in `<dataDir>/pg`. Secrets for the
 * superuser live beside it in `<dataDir>/secrets`, readable only by this user.
 */
/**
 * The folder the embedded cluster really lives in: DATA_DIR, or a reachable stand-in under the temp
 * folder when the postgres user cannot reach DATA_DIR. The standalone worker uses it to find the
 * secrets of a cluster `npm start` runs.
 */
export function embeddedDataDir(requestedDataDir: string): { dataDir: string; movedFrom: string | null } {
  const dataDir = resolve(requestedDataDir);
  if (reachableByPostgres(dataDir)) return { dataDir, movedFrom: null };
  return { dataDir: join(tmpdir(), `hand-on-heart-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`), movedFrom: dataDir };
}

export async function startEmbeddedPostgres(requestedDataDir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  const { dataDir, movedFrom } = embeddedDataDir(requestedDataDir);
  if (movedFrom) {
    log.warn(
      `The postgres user cannot reach ${movedFrom} (a parent folder is private, e.g. a mode-700 home). ` +
        `Keeping the embedded database in ${dataDir} instead; set DATA_DIR to choose another reachable folder.`,
    );
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const secretsDir = join(dataDir, 'secrets');
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const password = readOrCreateSecret(join(secretsDir, 'postgres-superuser'));
  const pgDir = join(dataDir, 'pg');

  const EmbeddedPostgres = await loadEmbeddedPostgres((m: string) => log.warn(m));
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only root needs (and may create) the unprivileged postgres user; anyone else runs PostgreSQL as themselves.
    createPostgresUser: userInfo().uid === 0,
    // Loopback only: the embedded database is never reachable from the network.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (e: unknown) => log.warn(`embedded postgres: ${String(e).trim()}`),
  });

  const fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  if (fresh) {
    log.info(`Initialising the embedded PostgreSQL in ${pgDir} (first start only)`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    const pidFile = join(pgDir, 'postmaster.pid');
    const hint = existsSync(pidFile)
      ? ` A postgres process from an earlier run may still hold ${pgDir} (see ${pidFile}); stop it (kill <pid on its first line>) or choose another DATA_DIR.`
      : ` Is port ${port} in use? Set EMBEDDED_PG_PORT to a free port.`;
    throw new Error(`Could not start the embedded PostgreSQL.${hint} Cause: ${String(error)}`);
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'hand_on_heart'`);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE hand_on_heart`);
  } finally {
    await client.end();
  }
  return {
    ownerUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/hand_on_heart`,
    dataDir,
    stop: () => pg.stop(),
  };
}
