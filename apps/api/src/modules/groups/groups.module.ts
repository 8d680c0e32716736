import { Module } from '@nestjs/common';

import { DashboardModule } from '../dashboard/dashboard.module.js';
import { GroupMemberReadService } from './group-member-read.service.js';
import { GroupsController, OrganisationGroupsController } from './groups.controller.js';
import { GroupsService } from './groups.service.js';
import { OrganisationGroupsService } from './organisation-groups.service.js';

@Module({
  imports: [DashboardModule],
  controllers: [GroupsController, OrganisationGroupsController],
  providers: [GroupsService, OrganisationGroupsService, GroupMemberReadService],
  exports: [OrganisationGroupsService, GroupsService],
})
export class GroupsModule {}
