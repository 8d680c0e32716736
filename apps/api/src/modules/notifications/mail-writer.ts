import { Injectable, Logger } from '@nestjs/common';

import { AppConfig } from '../../config/app-config.js';
import { absoluteLink, escapeHtml } from '../mail/mail-render.js';
import { MailTransport } from '../mail/mail-transport.js';

export { absoluteLink };

export interface OutgoingMail {
  /** Names the file in file mode, so a message written twice lands on the same file rather than beside it. */
  id: string;
  to: { name: string; email: string };
  subject: string;
  text: string;
  /** Path inside the web app; the message carries it under PUBLIC_URL. */
  link: string;
}

/**
 * Notification mail (reminders): sent through the product's one mail transport (modules/mail), so
 * over SMTP when SMTP_HOST is set and otherwise written as DATA_DIR/mail/<notification id>.eml. Its
 * links carry no secret (they open a page the reader must sign in to), so unlike invitations and
 * resets they need no sealed outbox row; the in-app notification is the record, and a message that
 * fails is logged and not retried (the next reminder threshold mails again).
 */
@Injectable()
export class MailWriter {
  private readonly logger = new Logger('mail');

  constructor(
    private readonly config: AppConfig,
    private readonly transport: MailTransport,
  ) {}

  get folder(): string {
    return this.transport.folder;
  }

  /** Sends each message; a failure is logged and the rest still go (the in-app notification stands). Answers how many went. */
  async send(mails: OutgoingMail[]): Promise<number> {
    let written = 0;
    for (const mail of mails) {
      const url = absoluteLink(this.config.publicUrl, mail.link);
      try {
        await this.transport.deliver({
          id: mail.id,
          to: { name: mail.to.name, email: mail.to.email },
          subject: mail.subject,
          text: `${mail.text}\n\nOpen it: ${url}\n`,
          html: `<p>${escapeHtml(mail.text).replace(/\n/g, '<br>')}</p><p><a href="${escapeHtml(url)}">Open it in Hand on Heart</a></p>`,
          link: url,
          headers: { 'X-Hoh-Notification': mail.id },
        });
        written += 1;
      } catch (error) {
        this.logger.error(`Could not send mail ${mail.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return written;
  }
}
