import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';

import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { buildTypeOrmOptions } from './database/typeorm-options.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { JobsModule } from './modules/jobs/jobs.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { ScoringModule } from './modules/scoring/scoring.module.js';

/**
 * What the standalone report worker (worker.ts) needs and nothing more: configuration, the hoh_app
 * pool, scoring, the audit chain and the reports feature (whose ReportWorker does the work). The
 * reports controllers come along with their module but are never mounted: there is no HTTP here.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    // buildTypeOrmOptions always answers the postgres variant; naming it lets poolSize be overridden.
    const options = buildTypeOrmOptions(config) as Extract<DataSourceOptions, { type: 'postgres' }>;
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...options,
          // One job at a time needs few connections; the name tells workers apart in pg_stat_activity.
          poolSize: Math.min(config.env.DB_POOL_SIZE, 4),
          extra: { ...(options.extra as Record<string, unknown> | undefined), application_name: 'hand-on-heart-worker' },
          retryAttempts: 2,
          retryDelay: 1000,
        }),
        ScoringModule,
        AuditModule,
        ReportsModule,
        JobsModule,
      ],
    };
  }
}
