import { Global, Module } from '@nestjs/common';

import { ScoringInputRepository } from './scoring-input.repository.js';
import { ScoringService } from './scoring.service.js';

@Global()
@Module({ providers: [ScoringService, ScoringInputRepository], exports: [ScoringService] })
export class ScoringModule {}
