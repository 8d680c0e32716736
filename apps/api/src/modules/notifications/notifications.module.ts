import { Module } from '@nestjs/common';

import { MailWriter } from './mail-writer.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, MailWriter],
  exports: [NotificationsService, MailWriter],
})
export class NotificationsModule {}
