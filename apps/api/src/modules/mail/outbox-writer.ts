import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Keyring } from '../keyring/keyring.js';
import { LINK_PLACEHOLDER } from './mail-render.js';
import { accountOutboxLinkContext, outboxLinkContext } from './mail-sender.js';
import { MailQueue } from './mail-queue.js';

export interface QueuedMail {
  kind: string;
  recipient: string;
  subject: string;
  /** Plain text; `{{link}}` marks where the link goes (the sender puts it back, under PUBLIC_URL). */
  body: string;
  /** Path inside the web app, e.g. `/invitations/hoh_inv_…`. A secret when it carries a token: sealed, never stored in clear. */
  linkPath: string | null;
  data?: Record<string, unknown>;
}

/**
 * Writes mail for the sender (mail-sender.ts) inside the caller's transaction, so a message exists
 * exactly when what it announces was committed. Organisation mail goes to `outbox` (row-level
 * security: the organisation's own record); mail that belongs to a person and no organisation
 * (password reset) goes to `account_outbox` (docs/SECURITY.md, "Mail and secrets").
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly keyring: Keyring,
    private readonly queue: MailQueue,
  ) {}

  /** Inside `organisationId`'s tenant transaction. Answers the message id. */
  async organisationMail(manager: EntityManager, organisationId: string, mail: QueuedMail): Promise<string> {
    const id = randomUUID();
    const sealed = mail.linkPath === null ? null : await this.keyring.seal(mail.linkPath, outboxLinkContext(organisationId, id));
    await manager.query(
      `INSERT INTO outbox (organisation_id, id, kind, recipient, subject, body, data, link_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [organisationId, id, mail.kind, mail.recipient, mail.subject, checkedBody(mail), JSON.stringify(mail.data ?? {}), sealed],
    );
    this.queue.kick();
    return id;
  }

  /** Account mail for `userId`; call kick() after the transaction commits (or use it outside one). */
  async accountMail(manager: EntityManager, userId: string, mail: QueuedMail): Promise<string> {
    const id = randomUUID();
    const sealed = mail.linkPath === null ? null : await this.keyring.seal(mail.linkPath, accountOutboxLinkContext(id));
    await manager.query(`INSERT INTO account_outbox (id, user_id, kind, recipient, subject, body, link_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      id,
      userId,
      mail.kind,
      mail.recipient,
      mail.subject,
      checkedBody(mail),
      sealed,
    ]);
    return id;
  }

  kick(): void {
    this.queue.kick();
  }
}

/** A body with a link must say where it goes, and one without must not promise one. */
function checkedBody(mail: QueuedMail): string {
  if ((mail.linkPath !== null) !== mail.body.includes(LINK_PLACEHOLDER)) {
    throw new Error(`Mail ${mail.kind}: the body must carry ${LINK_PLACEHOLDER} exactly when a link is given`);
  }
  return mail.body;
}
