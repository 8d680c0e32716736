import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { AppEnv } from '../../config/env.schema.js';
import { EnvError } from '../../config/env.schema.js';
import { repoRoot } from '../../config/repo-root.js';
import { LocalKeyProvider, MASTER_KEY_BYTES, parseMasterKey } from './key-provider.js';

/** Where embedded mode keeps its generated master key, beside the generated database password. */
export const masterKeyFile = (env: Pick<AppEnv, 'DATA_DIR'>): string => resolve(repoRoot(), env.DATA_DIR, 'secrets', 'master-key');

/**
 * The generated key of an embedded installation: read it, or create it once. Several processes may
 * start at the same moment (the API and worker.ts, parallel test files), so the key is written to a
 * private temporary file and hard-linked into place, which fails if another process won: everyone
 * then reads the one key that landed, never a half-written one.
 */
export function embeddedMasterKey(file: string): Buffer {
  try {
    return parseMasterKey(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new EnvError(`The generated master key in ${file} is unreadable or damaged (${(error as Error).message}). Restore it from a backup: without it, sealed secrets cannot be opened.`);
  }
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  return parseMasterKey(readFileSync(file, 'utf8'));
}

/**
 * The local key provider for this process: MASTER_KEY (with MASTER_KEY_PREVIOUS for rotation), or
 * in embedded mode (no DATABASE_URL) the key generated into DATA_DIR. A server deployment must set
 * it: a key generated on one machine would leave every other process unable to open what it sealed.
 */
export function localKeyProvider(env: Pick<AppEnv, 'MASTER_KEY' | 'MASTER_KEY_PREVIOUS' | 'DATABASE_URL' | 'DATA_DIR'>): LocalKeyProvider {
  const retired = (env.MASTER_KEY_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseMasterKey);
  if (env.MASTER_KEY) return new LocalKeyProvider(parseMasterKey(env.MASTER_KEY), retired);
  if (env.DATABASE_URL) {
    throw new EnvError(
      'Invalid environment; fix these variables and start again:\n  - MASTER_KEY: is required when DATABASE_URL is set; every API and worker process needs the same one. Create it with: openssl rand -base64 32',
    );
  }
  return new LocalKeyProvider(embeddedMasterKey(masterKeyFile(env)), retired);
}
