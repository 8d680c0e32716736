import { Module } from '@nestjs/common';

import { DashboardModule } from '../dashboard/dashboard.module.js';
import { GroupsController, OrganisationGroupsController } from './groups.controller.js';
import { GroupsService } from './groups.service.js';
import { OrganisationGroupsService } from './organisation-groups.service.js';

@Module({
  imports: [DashboardModule],
  controllers: [GroupsController, OrganisationGroupsController],
  providers: [GroupsService, OrganisationGroupsService],
  exports: [OrganisationGroupsService],
})
export class GroupsModule {}
