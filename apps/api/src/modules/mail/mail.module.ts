import { Module } from '@nestjs/common';

import { KeyringModule } from '../keyring/keyring.module.js';
import { MailQueue } from './mail-queue.js';
import { MailSender } from './mail-sender.js';
import { MailTransport } from './mail-transport.js';
import { OutboxWriter } from './outbox-writer.js';

/** Mail that is sent (issue 27): writers for the outboxes, the sender the mail job runs, the SMTP or file transport. */
@Module({
  imports: [KeyringModule],
  providers: [MailTransport, MailSender, MailQueue, OutboxWriter],
  exports: [MailTransport, MailSender, MailQueue, OutboxWriter],
})
export class MailModule {}
