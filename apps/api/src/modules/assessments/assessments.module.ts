import { Module } from '@nestjs/common';

import { ActionsModule } from '../actions/actions.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { GroupsModule } from '../groups/groups.module.js';
import { MembersModule } from '../members/members.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { PeersModule } from '../peers/peers.module.js';
import { AnswersService } from './answers.service.js';
import { AttestationService } from './attestation.service.js';
import { AssessmentsController } from './assessments.controller.js';
import { AssessmentsRepository } from './assessments.repository.js';
import { AssessmentsService } from './assessments.service.js';
import { BankMappings, BankUpgrade } from './upgrade.service.js';

@Module({
  imports: [ActionsModule, AuthModule, EvidenceModule, GroupsModule, MembersModule, OrganisationsModule, PeersModule],
  controllers: [AssessmentsController],
  providers: [AssessmentsService, AssessmentsRepository, AnswersService, AttestationService, BankMappings, BankUpgrade],
  exports: [AnswersService, AttestationService, AssessmentsService],
})
export class AssessmentsModule {}
