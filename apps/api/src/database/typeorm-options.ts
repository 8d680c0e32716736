import type { DataSourceOptions } from 'typeorm';

import type { AppConfig } from '../config/app-config.js';
import { DeadlineClient } from './deadline-client.js';
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
    // Availability bounds (docs/SECURITY.md, "Timeouts"): a request waits at most 2 s for a pooled
    // connection or a new one, and a query at most statement_timeout + 0.5 s even when the server
    // cannot enforce its own timeout (frozen, partitioned); then the request answers 503.
    extra: {
      Client: DeadlineClient,
      connectionTimeoutMillis: 2000,
      statement_timeout: config.env.DB_STATEMENT_TIMEOUT_MS,
      query_timeout: config.env.DB_STATEMENT_TIMEOUT_MS + 500,
      idle_in_transaction_session_timeout: 30000,
      application_name: 'hand-on-heart-api',
    },
  };
}
