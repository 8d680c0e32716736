import { type DynamicModule, Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ZodValidationPipe } from 'nestjs-zod';

import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { buildTypeOrmOptions } from './database/typeorm-options.js';
import { ActionsModule } from './modules/actions/actions.module.js';
import { AssessmentsModule } from './modules/assessments/assessments.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { DashboardModule } from './modules/dashboard/dashboard.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { CalendarModule } from './modules/calendar/calendar.module.js';
import { DemoModule } from './modules/demo/demo.module.js';
import { DrillsModule } from './modules/drills/drills.module.js';
import { EvidenceModule } from './modules/evidence/evidence.module.js';
import { FrameworksModule } from './modules/frameworks/frameworks.module.js';
import { GroupsModule } from './modules/groups/groups.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { JobsModule } from './modules/jobs/jobs.module.js';
import { MembersModule } from './modules/members/members.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { OrganisationsModule } from './modules/organisations/organisations.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { ScoringModule } from './modules/scoring/scoring.module.js';
import { SsoModule } from './modules/sso/sso.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Fail fast at boot: the database was reachable a moment ago, when migrations ran.
        TypeOrmModule.forRoot({ ...buildTypeOrmOptions(config), retryAttempts: 2, retryDelay: 1000 }),
        HealthModule,
        AuthModule,
        AuditModule,
        OrganisationsModule,
        MembersModule,
        ScoringModule,
        AssessmentsModule,
        ActionsModule,
        DashboardModule,
        EvidenceModule,
        ReportsModule,
        FrameworksModule,
        DemoModule,
        NotificationsModule,
        JobsModule,
        DrillsModule,
        CalendarModule,
        GroupsModule,
        SsoModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
      ],
    };
  }
}
