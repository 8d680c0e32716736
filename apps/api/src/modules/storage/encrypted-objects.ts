import { createHash } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import { AppError } from '../../common/app-error.js';
import { currentMember } from '../../database/tenant-context.js';
import { type BlobStore, BlobStoreError, type BlobStoreKind } from './blob-store.js';
import { decryptObject, encryptObject, ObjectIntegrityError, objectAad, objectName } from './object-cipher.js';
import { StorageKeys } from './storage-keys.js';

/** Nest's token for the configured BlobStore (an interface has no runtime class). */
export const BLOB_STORE = Symbol('BlobStore');

/** Where a file's encrypted bytes are: the store kind and the object's name in it. */
export interface ObjectLocation {
  store: BlobStoreKind;
  key: string;
}

const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Evidence files in the object store, encrypted at rest (docs/PRODUCT.md §6.6):
 * AES-256-GCM under the organisation's data key with a fresh nonce per object, bound to the
 * organisation and the plaintext's SHA-256; named by HMAC-SHA-256 of that hash under the
 * organisation's name key, so someone with the bucket alone can neither read a file nor confirm
 * whether a file they hold is there, and names say nothing about ids. Every read is decrypted and
 * its SHA-256 checked against the row's: damaged or misplaced objects are an error, never content.
 */
@Injectable()
export class EncryptedObjects {
  private readonly logger = new Logger('storage');

  constructor(
    @Inject(BLOB_STORE) readonly store: BlobStore,
    private readonly keys: StorageKeys,
  ) {}

  /** Encrypts and stores `plaintext` (whose SHA-256 the caller computed) for the caller's organisation. */
  async put(plaintext: Buffer, sha256: string): Promise<ObjectLocation> {
    const org = currentMember().organisationId;
    const { dataKey, nameKey } = await this.keys.current();
    const key = objectName(nameKey, sha256);
    try {
      await this.store.put(key, encryptObject(dataKey, objectAad(org, sha256), plaintext));
    } catch (error) {
      throw this.unavailable(error);
    }
    return { store: this.store.kind, key };
  }

  /** The plaintext of a stored object of the caller's organisation, checked against `sha256`. */
  async get(location: ObjectLocation, sha256: string): Promise<Buffer> {
    if (location.store !== this.store.kind) {
      this.logger.error(`An object is in the ${location.store} store but STORAGE_BACKEND is ${this.store.kind}`);
      throw new AppError('INTERNAL_ERROR', `This file is kept in the ${location.store} store, which this server is not configured for. Ask your administrator to check STORAGE_BACKEND (docs/DEPLOYING.md, "Storage").`);
    }
    let object: Buffer | null;
    try {
      object = await this.store.get(location.key);
    } catch (error) {
      throw this.unavailable(error);
    }
    if (!object) throw damaged(`The file of this evidence is missing from storage (object ${location.key})`);
    const org = currentMember().organisationId;
    const { dataKey } = await this.keys.current();
    let plaintext: Buffer;
    try {
      plaintext = decryptObject(dataKey, objectAad(org, sha256), object);
    } catch (error) {
      if (error instanceof ObjectIntegrityError) throw damaged(`${error.message} (object ${location.key})`);
      throw error;
    }
    if (sha256Hex(plaintext) !== sha256) throw damaged(`The file decrypted but its SHA-256 is not the recorded one (object ${location.key})`);
    return plaintext;
  }

  private unavailable(error: unknown): AppError {
    this.logger.error(error instanceof BlobStoreError || error instanceof Error ? error.message : String(error));
    return new AppError('INTERNAL_ERROR', 'Evidence storage is not answering right now, so nothing was stored or read. Try again in a few minutes; if it keeps failing, tell your administrator.');
  }
}

/** A damaged or missing object: the user cannot fix it; the operator restores it from the backup taken with the database. */
function damaged(detail: string): AppError {
  new Logger('storage').error(detail);
  return new AppError(
    'INTERNAL_ERROR',
    'This file is damaged in storage, so it is not shown (its SHA-256 no longer matches what was uploaded). Ask your administrator to restore the evidence store from the backup taken with the database (docs/DEPLOYING.md, "Storage").',
  );
}
