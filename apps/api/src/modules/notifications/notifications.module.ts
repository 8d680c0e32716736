import { Module } from '@nestjs/common';

import { MailModule } from '../mail/mail.module.js';
import { MailWriter } from './mail-writer.js';
import { NotificationPreferencesController } from './notification-preferences.controller.js';
import { NotificationPreferencesService } from './notification-preferences.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

@Module({
  imports: [MailModule],
  controllers: [NotificationsController, NotificationPreferencesController],
  providers: [NotificationsService, NotificationPreferencesService, MailWriter],
  exports: [NotificationsService, NotificationPreferencesService, MailWriter],
})
export class NotificationsModule {}
