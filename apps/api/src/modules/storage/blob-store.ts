import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import type { AppEnv } from '../../config/env.schema.js';
import { EnvError } from '../../config/env.schema.js';
import { repoRoot } from '../../config/repo-root.js';
import type { S3BlobStore } from './s3-blob-store.js';

export type BlobStoreKind = 'filesystem' | 's3';

/**
 * Where encrypted objects live (docs/DEPLOYING.md, "Storage"). A store only ever sees ciphertext
 * under opaque names (storage/encrypted-objects.ts makes both), so either adapter can sit on shared
 * or third-party infrastructure. Objects are written whole and never changed in place.
 */
export interface BlobStore {
  readonly kind: BlobStoreKind;
  put(key: string, body: Buffer): Promise<void>;
  /** The object, or null when there is none under that key. */
  get(key: string): Promise<Buffer | null>;
}

/** A store that could not be reached or refused a call: the operator's to fix, not the user's. */
export class BlobStoreError extends Error {}

const SAFE_KEY = /^[a-z0-9]+(?:\/[a-z0-9]+)*$/;

export function checkKey(key: string): string {
  // Keys are made by this process from hex digests; anything else is a bug, never a path to follow.
  if (!SAFE_KEY.test(key)) throw new BlobStoreError(`Refusing object key ${JSON.stringify(key.slice(0, 80))}: object keys are lowercase hex segments`);
  return key;
}

/**
 * Objects as files under one folder. A write goes to a private temporary file that is flushed to
 * disk and renamed into place, so a reader never sees half an object and a crash leaves either the
 * old state or the whole new one.
 */
export class FilesystemBlobStore implements BlobStore {
  readonly kind = 'filesystem' as const;

  constructor(readonly root: string) {}

  private path(key: string): string {
    const parts = checkKey(key).split('/');
    const name = parts.pop()!;
    // Two hex characters of fan-out keep any one directory to a few thousand entries per organisation's worth.
    return join(this.root, ...parts, name.slice(0, 2), name);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

export interface S3StoreOptions {
  bucket: string;
  region: string;
  endpoint?: string | undefined;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

/**
 * The S3 adapter, loaded on first use: the AWS SDK is large, and a deployment on the filesystem
 * store (the default, and every test process but the storage suite) never needs it.
 */
export class LazyS3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private store: Promise<S3BlobStore> | undefined;

  constructor(readonly options: S3StoreOptions) {}

  /** The loaded adapter (the storage tests reach the bucket through its client). */
  s3(): Promise<S3BlobStore> {
    this.store ??= import('./s3-blob-store.js').then((m) => new m.S3BlobStore(this.options));
    return this.store;
  }

  async put(key: string, body: Buffer): Promise<void> {
    await (await this.s3()).put(key, body);
  }

  async get(key: string): Promise<Buffer | null> {
    return (await this.s3()).get(key);
  }

  /** Nest calls this at shutdown: the SDK keeps sockets open for reuse, which would hold the process. */
  async onModuleDestroy(): Promise<void> {
    if (this.store) (await this.store).onModuleDestroy();
  }
}

/** The store STORAGE_BACKEND names, configured from the environment. */
export function blobStoreFromEnv(env: AppEnv): BlobStore {
  if (env.STORAGE_BACKEND === 's3') {
    if (!env.S3_BUCKET) {
      throw new EnvError('Invalid environment; fix these variables and start again:\n  - S3_BUCKET: is required when STORAGE_BACKEND=s3; name an existing bucket');
    }
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      throw new EnvError('Invalid environment; fix these variables and start again:\n  - S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both, or neither to use the AWS SDK\'s default credentials');
    }
    return new LazyS3BlobStore({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
    });
  }
  return new FilesystemBlobStore(resolve(repoRoot(), env.STORAGE_DIR ?? join(env.DATA_DIR, 'objects')));
}
