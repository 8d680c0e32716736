import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { Injectable, Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';

import { AppConfig } from '../../config/app-config.js';
import { repoRoot } from '../../config/repo-root.js';

export interface OutgoingMail {
  /** Names the file, so a message written twice lands on the same file rather than beside it. */
  id: string;
  to: { name: string; email: string };
  subject: string;
  text: string;
  /** Path inside the web app; the message carries it under PUBLIC_URL. */
  link: string;
}

/** PUBLIC_URL (which may carry a path) joined with an app path, without doubling the slash. */
export function absoluteLink(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * Mail until real SMTP lands (the accounts issue): each message is built by nodemailer's stream
 * transport (real MIME, headers encoded) and written as an .eml file under DATA_DIR/mail, one file
 * per message named by its notification id, which any mail client opens.
 */
@Injectable()
export class MailWriter {
  private readonly logger = new Logger('mail');
  private readonly transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  readonly folder: string;
  private readonly from: string;

  constructor(private readonly config: AppConfig) {
    this.folder = resolve(repoRoot(), config.env.DATA_DIR, 'mail');
    this.from = `Hand on Heart <no-reply@${new URL(config.publicUrl).hostname}>`;
  }

  /** Writes each message; a failure is logged and the rest still go (the in-app notification stands). */
  async send(mails: OutgoingMail[]): Promise<number> {
    if (mails.length === 0) return 0;
    await mkdir(this.folder, { recursive: true });
    let written = 0;
    for (const mail of mails) {
      const url = absoluteLink(this.config.publicUrl, mail.link);
      try {
        const info = await this.transport.sendMail({
          from: this.from,
          to: { name: mail.to.name, address: mail.to.email },
          subject: mail.subject,
          text: `${mail.text}\n\nOpen it: ${url}\n`,
          html: `<p>${escapeHtml(mail.text).replace(/\n/g, '<br>')}</p><p><a href="${escapeHtml(url)}">Open it in Hand on Heart</a></p>`,
          headers: { 'X-Hoh-Notification': mail.id },
        });
        await writeFile(join(this.folder, `${mail.id}.eml`), info.message as Buffer);
        written += 1;
      } catch (error) {
        this.logger.error(`Could not write mail ${mail.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return written;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
