import { Module } from '@nestjs/common';

import { ActionsModule } from '../actions/actions.module.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { DrillsController } from './drills.controller.js';
import { DrillsPublicController } from './drills-public.controller.js';
import { DrillsRepository } from './drills.repository.js';
import { DrillsService } from './drills.service.js';

/** Incident drills (issue 30): stores its record through the evidence service, signs it with the report key, and puts follow-ups on the remediation board. */
@Module({ imports: [ActionsModule, EvidenceModule, ReportsModule], controllers: [DrillsController, DrillsPublicController], providers: [DrillsService, DrillsRepository] })
export class DrillsModule {}
