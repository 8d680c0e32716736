import { Module } from '@nestjs/common';

import { EvidenceModule } from '../evidence/evidence.module.js';
import { ActionsController } from './actions.controller.js';
import { ActionsRepository } from './actions.repository.js';
import { ActionsService } from './actions.service.js';

@Module({
  imports: [EvidenceModule],
  controllers: [ActionsController],
  providers: [ActionsService, ActionsRepository],
  exports: [ActionsService, ActionsRepository],
})
export class ActionsModule {}
