import { Module } from '@nestjs/common';

import { ActionsModule } from '../actions/actions.module.js';
import { AnswersService } from './answers.service.js';
import { AttestationService } from './attestation.service.js';
import { AssessmentsController } from './assessments.controller.js';
import { AssessmentsService } from './assessments.service.js';

@Module({
  imports: [ActionsModule],
  controllers: [AssessmentsController],
  providers: [AssessmentsService, AnswersService, AttestationService],
  exports: [AnswersService, AttestationService, AssessmentsService],
})
export class AssessmentsModule {}
