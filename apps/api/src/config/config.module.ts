import { type DynamicModule, Global, Module } from '@nestjs/common';

import { AppConfig } from './app-config.js';
import { Clock } from './clock.js';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: config.clock },
      ],
      exports: [AppConfig, Clock],
    };
  }
}
