import { Module } from '@nestjs/common';

import { ActionsModule } from '../actions/actions.module.js';
import { AssessmentsModule } from '../assessments/assessments.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { DemoSeeder } from './demo-seeder.js';

@Module({ imports: [AuthModule, OrganisationsModule, AssessmentsModule, ActionsModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
