import { Module } from '@nestjs/common';

import { EvidenceController } from './evidence.controller.js';
import { EvidenceRepository } from './evidence.repository.js';
import { EvidenceService } from './evidence.service.js';

@Module({ controllers: [EvidenceController], providers: [EvidenceService, EvidenceRepository], exports: [EvidenceService, EvidenceRepository] })
export class EvidenceModule {}
