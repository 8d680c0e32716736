import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { MailModule } from '../mail/mail.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PeersModule } from '../peers/peers.module.js';
import { SsoModule } from '../sso/sso.module.js';
import { HousekeepingService } from './housekeeping.service.js';
import { JobRunner } from './job-runner.js';
import { RemindersService } from './reminders.service.js';
import { WeeklyDigestService } from './weekly-digest.service.js';

/** Scheduled work (issue 28): the pg-boss runner, housekeeping and reminders. */
@Module({
  imports: [NotificationsModule, MailModule, EvidenceModule, PeersModule, AuthModule, SsoModule],
  providers: [JobRunner, HousekeepingService, RemindersService, WeeklyDigestService],
  exports: [JobRunner, HousekeepingService, RemindersService],
})
export class JobsModule {}
