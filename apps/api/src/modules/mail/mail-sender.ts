import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';
import { runAsMember, tenantManager } from '../../database/tenant-context.js';
import { Keyring } from '../keyring/keyring.js';
import { mailMember } from './mail-actor.js';
import { absoluteLink, renderMail } from './mail-render.js';
import { isPermanentFailure, MailTransport } from './mail-transport.js';

/** Tries per message before it is parked (the first plus five retries, about half an hour in all). */
export const MAX_ATTEMPTS = 6;
/** Delivery runs look at this many due messages of each kind; the next run (a minute later at most) takes the rest. */
const BATCH = 200;

/** Seconds to wait after the `attempts`-th failure: 1, 2, 4, 8, 16 minutes, never more than an hour. */
export const retryDelaySeconds = (attempts: number): number => Math.min(60 * 2 ** Math.max(0, attempts - 1), 3600);

/** The context a message's link is sealed under: the row it belongs to, so it opens nowhere else. */
export const outboxLinkContext = (organisationId: string, id: string): string => `outbox:${organisationId}:${id}:link`;
export const accountOutboxLinkContext = (id: string): string => `account_outbox:${id}:link`;

export interface DeliveryRun {
  sent: number;
  retrying: number;
  parked: number;
  rewrapped: number;
}

interface ClaimedRow {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  link_sealed: string | null;
  attempts: number;
}

type Outcome = 'sent' | 'retrying' | 'parked' | 'skipped';

/**
 * Sends the outbox (docs/SECURITY.md, "Mail and secrets"). Each message is claimed, sent and marked
 * in ONE transaction: `SELECT … FOR UPDATE SKIP LOCKED` takes the row, the mail goes out, and
 * `sent_at` is written before COMMIT. A second worker skips a row another holds and, once that
 * commits, no longer finds it unsent, so each message goes once. (The one gap SMTP itself leaves: a
 * process that dies after the server accepted but before COMMIT sends it again on the next run.)
 * A failure is recorded in the same transaction with when to try next; after MAX_ATTEMPTS, or at once
 * on a permanent SMTP refusal (5yz), the message is parked with the error kept and its link erased.
 */
@Injectable()
export class MailSender {
  private readonly logger = new Logger('mail');

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly keyring: Keyring,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** One delivery run: every message due at `now`, organisation mail then account mail. */
  async deliverDue(now: Date = this.clock.now()): Promise<DeliveryRun> {
    const run: DeliveryRun = { sent: 0, retrying: 0, parked: 0, rewrapped: await this.rewrapPending() };
    const count = (outcome: Outcome) => {
      if (outcome !== 'skipped') run[outcome] += 1;
    };
    const due = await this.dataSource.query<{ organisation_id: string; id: string }[]>('SELECT organisation_id, id FROM hoh_outbox_due($1, $2)', [now, BATCH]);
    for (const row of due) {
      count(await runAsMember(this.dataSource, mailMember(row.organisation_id), () => this.sendOne(tenantManager(), 'outbox', row.id, outboxLinkContext(row.organisation_id, row.id), now)));
    }
    const accountDue = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM account_outbox WHERE sent_at IS NULL AND parked_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2',
      [now, BATCH],
    );
    for (const row of accountDue) {
      count(await this.dataSource.transaction((m) => this.sendOne(m, 'account_outbox', row.id, accountOutboxLinkContext(row.id), now)));
    }
    // Account mail (resets) is kept as long as organisation mail after it was sent, as the record that it went: one setting for both.
    await this.dataSource.query(`DELETE FROM account_outbox WHERE sent_at < $1::timestamptz - make_interval(days => $2)`, [now, this.config.env.OUTBOX_RETENTION_DAYS]);
    await this.dataSource.query(`DELETE FROM password_resets WHERE expires_at < $1::timestamptz - interval '1 day'`, [now]);
    if (run.sent + run.retrying + run.parked > 0) this.logger.log(`Mail run: ${run.sent} sent, ${run.retrying} to retry, ${run.parked} parked`);
    return run;
  }

  private async sendOne(m: EntityManager, table: 'outbox' | 'account_outbox', id: string, context: string, now: Date): Promise<Outcome> {
    // The claim: another worker holding this row makes it 'skipped' here, and a row it already sent no longer matches.
    const [row] = await m.query<ClaimedRow[]>(
      `SELECT id, recipient, subject, body, link_sealed, attempts FROM ${table}
       WHERE id = $1 AND sent_at IS NULL AND parked_at IS NULL AND next_attempt_at <= $2 FOR UPDATE SKIP LOCKED`,
      [id, now],
    );
    if (!row) return 'skipped';
    const attempts = row.attempts + 1;
    try {
      const path = row.link_sealed === null ? null : await this.keyring.openText(row.link_sealed, context);
      const link = path === null ? null : absoluteLink(this.config.publicUrl, path);
      const { text, html } = renderMail(row.body, link);
      await this.transport.deliver({ id: row.id, to: { email: row.recipient }, subject: row.subject, text, html, link });
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const park = attempts >= MAX_ATTEMPTS || isPermanentFailure(error);
      await m.query(
        `UPDATE ${table} SET attempts = $2, last_error = $3, next_attempt_at = $4::timestamptz + make_interval(secs => $5),
           parked_at = CASE WHEN $6 THEN $4::timestamptz END, link_sealed = CASE WHEN $6 THEN NULL ELSE link_sealed END
         WHERE id = $1`,
        [id, attempts, message, now, retryDelaySeconds(attempts), park],
      );
      this.logger.warn(`Mail ${id} (${table}) failed on try ${attempts}${park ? ', parked' : ''}: ${message}`);
      return park ? 'parked' : 'retrying';
    }
    // Sent: the link has done its job, so its sealed copy goes (nothing left to rotate or leak).
    await m.query(`UPDATE ${table} SET sent_at = $2, attempts = $3, last_error = NULL, link_sealed = NULL WHERE id = $1`, [id, now, attempts]);
    return 'sent';
  }

  /**
   * Rotation (docs/SECURITY.md): pending links sealed under a retired key are re-wrapped under the
   * active one, a batch per run, so MASTER_KEY_PREVIOUS can be dropped once this reaches zero.
   * Rows another worker holds are left for the next run.
   */
  async rewrapPending(): Promise<number> {
    const active = this.keyring.activeKeyId;
    let rewrapped = 0;
    const stale = await this.dataSource.query<{ organisation_id: string; id: string }[]>('SELECT organisation_id, id FROM hoh_outbox_to_rewrap($1, $2)', [active, BATCH]);
    for (const row of stale) {
      rewrapped += await runAsMember(this.dataSource, mailMember(row.organisation_id), () =>
        this.rewrapOne(tenantManager(), 'outbox', row.id, outboxLinkContext(row.organisation_id, row.id)),
      );
    }
    const accountStale = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM account_outbox WHERE sent_at IS NULL AND parked_at IS NULL AND link_sealed IS NOT NULL AND split_part(link_sealed, '.', 2) <> $1 LIMIT $2`,
      [active, BATCH],
    );
    for (const row of accountStale) {
      rewrapped += await this.dataSource.transaction((m) => this.rewrapOne(m, 'account_outbox', row.id, accountOutboxLinkContext(row.id)));
    }
    return rewrapped;
  }

  private async rewrapOne(m: EntityManager, table: 'outbox' | 'account_outbox', id: string, context: string): Promise<number> {
    const [row] = await m.query<{ link_sealed: string | null }[]>(`SELECT link_sealed FROM ${table} WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id]);
    if (!row?.link_sealed) return 0;
    const next = await this.keyring.rewrap(row.link_sealed, context);
    if (next === null) return 0;
    await m.query(`UPDATE ${table} SET link_sealed = $2 WHERE id = $1`, [id, next]);
    return 1;
  }
}
