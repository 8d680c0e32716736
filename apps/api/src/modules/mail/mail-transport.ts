import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

import { AppConfig } from '../../config/app-config.js';
import { repoRoot } from '../../config/repo-root.js';

export interface MailMessage {
  /** Names the .eml file in file mode (a message written twice lands on the same file) and goes in a header. */
  id: string;
  to: { name?: string; email: string };
  subject: string;
  text: string;
  html: string;
  /** Printed on the terminal in embedded file mode, so a developer can follow it without a mail client. */
  link?: string | null;
  headers?: Record<string, string>;
}

/** The whole send, connection included, must end well inside the database's 30 s idle-in-transaction limit. */
export const SEND_DEADLINE_MS = 20_000;

/**
 * An SMTP reply that will not change on retry (RFC 5321 5yz: no such mailbox, refused). 4yz replies
 * and connection failures are worth trying again.
 */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Where the product's mail goes (docs/SECURITY.md, "Mail and secrets"): SMTP through nodemailer when
 * SMTP_HOST is set; otherwise each message is built by nodemailer's stream transport (real MIME)
 * and written as DATA_DIR/mail/<id>.eml. Only in embedded mode (no DATABASE_URL, the `npm start`
 * developer setup) is each file-mode message also announced on the terminal with its link: in a
 * server deployment links are secrets, and JSON logs are shipped and kept.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger('mail');
  private readonly transport: Transporter;
  readonly mode: 'smtp' | 'files';
  readonly folder: string;
  readonly from: string;
  /** Whether file-mode messages are announced on stdout (embedded developer mode, outside tests). */
  readonly announces: boolean;

  constructor(private readonly config: AppConfig) {
    const env = config.env;
    this.folder = resolve(repoRoot(), env.DATA_DIR, 'mail');
    this.from = env.MAIL_FROM ?? `Hand on Heart <no-reply@${new URL(config.publicUrl).hostname}>`;
    this.mode = env.SMTP_HOST ? 'smtp' : 'files';
    this.announces = this.mode === 'files' && !env.DATABASE_URL && env.NODE_ENV !== 'test';
    this.transport = env.SMTP_HOST
      ? createTransport({
          host: env.SMTP_HOST,
          port: env.SMTP_PORT,
          secure: env.SMTP_SECURITY === 'tls',
          requireTLS: env.SMTP_SECURITY === 'starttls',
          ignoreTLS: env.SMTP_SECURITY === 'none',
          auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASSWORD ?? '' } : undefined,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 15_000,
          disableFileAccess: true,
          disableUrlAccess: true,
        })
      : createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    if (this.mode === 'files' && env.DATABASE_URL) {
      this.logger.warn(`SMTP_HOST is unset: mail is written as .eml files under ${this.folder} and nobody receives it. Set SMTP_HOST (docs/SECURITY.md, "Mail and secrets").`);
    }
  }

  /** Sends one message, or throws (SMTP's error carries `responseCode`; see isPermanentFailure). */
  async deliver(message: MailMessage): Promise<void> {
    const mail = {
      from: this.from,
      to: message.to.name ? { name: message.to.name, address: message.to.email } : message.to.email,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: { 'X-Hoh-Message': message.id, 'Auto-Submitted': 'auto-generated', ...message.headers },
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`The mail server did not accept the message within ${SEND_DEADLINE_MS / 1000} s`)), SEND_DEADLINE_MS);
      timer.unref();
    });
    try {
      const info = (await Promise.race([this.transport.sendMail(mail), deadline])) as { message?: Buffer };
      if (this.mode === 'smtp') return;
      await mkdir(this.folder, { recursive: true });
      await writeFile(join(this.folder, `${message.id}.eml`), info.message ?? Buffer.alloc(0));
      if (this.announces) {
        // Deliberately stdout, not the JSON logger: a developer's terminal only (see the class comment).
        process.stdout.write(`\n✉  Mail to ${message.to.email}: ${message.subject}\n${message.link ? `   ${message.link}\n` : ''}   (saved as ${join(this.folder, `${message.id}.eml`)})\n\n`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
