import { Module } from '@nestjs/common';

import { AnswersService } from './answers.service.js';
import { AssessmentsController } from './assessments.controller.js';
import { AssessmentsService } from './assessments.service.js';

@Module({ controllers: [AssessmentsController], providers: [AssessmentsService, AnswersService], exports: [AnswersService] })
export class AssessmentsModule {}
