import { Module } from '@nestjs/common';

import { StorageModule } from '../storage/storage.module.js';
import { EvidenceContentMover } from './evidence-content-mover.js';
import { EvidenceController } from './evidence.controller.js';
import { EvidenceRepository } from './evidence.repository.js';
import { EvidenceService } from './evidence.service.js';

@Module({
  imports: [StorageModule],
  controllers: [EvidenceController],
  providers: [EvidenceService, EvidenceRepository, EvidenceContentMover],
  exports: [EvidenceService, EvidenceRepository, EvidenceContentMover, StorageModule],
})
export class EvidenceModule {}
