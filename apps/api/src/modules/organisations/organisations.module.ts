import { Module } from '@nestjs/common';

import { OrganisationsController } from './organisations.controller.js';
import { OrganisationsService } from './organisations.service.js';
import { ProfileService } from './profile.service.js';

@Module({ controllers: [OrganisationsController], providers: [OrganisationsService, ProfileService], exports: [OrganisationsService, ProfileService] })
export class OrganisationsModule {}
