import { Module } from '@nestjs/common';

import { ActionsModule } from '../actions/actions.module.js';
import { AssessmentsModule } from '../assessments/assessments.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { GroupsModule } from '../groups/groups.module.js';
import { PeersModule } from '../peers/peers.module.js';
import { GroupReportsController } from './group-reports.controller.js';
import { GroupReportsService } from './group-reports.service.js';
import { ReportModelGatherer } from './report-model.gatherer.js';
import { ReportVerificationController } from './report-verification.controller.js';
import { ReportWorker } from './report-worker.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';
import { SigningKeyService } from './signing-key.service.js';

@Module({
  imports: [AuthModule, ActionsModule, AssessmentsModule, GroupsModule, PeersModule],
  controllers: [ReportsController, ReportVerificationController, GroupReportsController],
  providers: [ReportsService, ReportModelGatherer, SigningKeyService, ReportWorker, GroupReportsService],
  exports: [ReportsService, SigningKeyService],
})
export class ReportsModule {}
