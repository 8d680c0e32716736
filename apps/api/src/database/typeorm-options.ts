import type { DataSourceOptions } from 'typeorm';

import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';

/** The one source of TypeORM options for serving requests (as hoh_app, never the owner). */
export function buildTypeOrmOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.appDatabaseUrl,
    entities: ENTITIES,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: config.env.DB_POOL_SIZE,
    extra: {
      connectionTimeoutMillis: 5000,
      statement_timeout: config.env.DB_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: 30000,
      application_name: 'hand-on-heart-api',
    },
  };
}
