import { Global, Module } from '@nestjs/common';

import { AppConfig } from '../../config/app-config.js';
import { Keyring } from './keyring.js';
import { localKeyProvider } from './master-key.js';

/** One Keyring per process for every secret the product keeps (accounts now, evidence storage later). */
@Global()
@Module({
  providers: [{ provide: Keyring, inject: [AppConfig], useFactory: (config: AppConfig) => new Keyring(localKeyProvider(config.env)) }],
  exports: [Keyring],
})
export class KeyringModule {}
