import { Module } from '@nestjs/common';

import { AppConfig } from '../../config/app-config.js';
import { blobStoreFromEnv } from './blob-store.js';
import { BLOB_STORE, EncryptedObjects } from './encrypted-objects.js';
import { StorageKeys } from './storage-keys.js';

/** The object store for evidence files, encrypted at rest (issue 29; docs/DEPLOYING.md, "Storage"). */
@Module({
  providers: [{ provide: BLOB_STORE, inject: [AppConfig], useFactory: (config: AppConfig) => blobStoreFromEnv(config.env) }, StorageKeys, EncryptedObjects],
  exports: [BLOB_STORE, StorageKeys, EncryptedObjects],
})
export class StorageModule {}
