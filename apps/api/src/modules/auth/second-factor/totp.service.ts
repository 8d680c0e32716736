import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { DataSource, type EntityManager } from 'typeorm';

import type { TotpEnrolment } from '@hoh/contracts';

import { AppError } from '../../../common/app-error.js';
import { Clock } from '../../../config/clock.js';
import { Keyring } from '../../keyring/keyring.js';

/** The name authenticator apps show above the code. */
export const TOTP_ISSUER = 'Hand on Heart';
const PERIOD_SECONDS = 30;
/** ±1 time step (docs/PRODUCT.md §2.7): a phone clock 30 s off, or a code typed as it turns over, still works. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;

/** Where a person's TOTP secret belongs: authenticated with the sealed value, so it opens for no other row. */
export const totpContext = (userId: string) => `totp:${userId}`;

/** The base32 secret in groups of four, for people who type it instead of scanning. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

interface FactorRow {
  secret_sealed: string;
  confirmed_at: Date | null;
  last_step: string | null;
}

/**
 * TOTP (RFC 6238, otplib): SHA-1, 6 digits, 30 s. The 160-bit secret is made here, shown once at
 * enrolment and kept sealed by the keyring (its key id beside it). It counts only after a first
 * valid code confirms it. Each accepted code moves `last_step` forward, and a code whose step is not
 * after it is refused, so a code seen over a shoulder or in a log cannot be used again. Time comes
 * from the injected Clock.
 */
@Injectable()
export class TotpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
    private readonly clock: Clock,
  ) {}

  /**
   * Rotation (docs/SECURITY.md): secrets sealed under a retired master key are re-wrapped under the
   * active one, a batch per run (the storage job, every 5 minutes), so MASTER_KEY_PREVIOUS can go once
   * this reaches zero. Only the data key is re-wrapped; a secret changed meanwhile is left for the next run.
   */
  async rewrapPending(limit = 100): Promise<number> {
    const active = this.keyring.activeKeyId;
    const stale = await this.dataSource.query<{ user_id: string; secret_sealed: string }[]>(
      'SELECT user_id, secret_sealed FROM totp_factors WHERE key_id <> $1 ORDER BY user_id LIMIT $2',
      [active, limit],
    );
    let rewrapped = 0;
    for (const row of stale) {
      const next = await this.keyring.rewrap(row.secret_sealed, totpContext(row.user_id));
      if (next === null) continue;
      const [done] = await this.dataSource.query<{ n: number }[]>(
        `WITH u AS (UPDATE totp_factors SET secret_sealed = $3, key_id = $4 WHERE user_id = $1 AND secret_sealed = $2 RETURNING 1) SELECT count(*)::int AS n FROM u`,
        [row.user_id, row.secret_sealed, next, active],
      );
      rewrapped += done?.n ?? 0;
    }
    return rewrapped;
  }

  private epoch(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  private async row(userId: string, manager: Pick<EntityManager, 'query'> = this.dataSource.manager): Promise<FactorRow | undefined> {
    const [row] = await manager.query<FactorRow[]>('SELECT secret_sealed, confirmed_at, last_step FROM totp_factors WHERE user_id = $1', [userId]);
    return row;
  }

  async enabled(userId: string): Promise<{ enabled: boolean; confirmedAt: Date | null }> {
    const row = await this.row(userId);
    const confirmedAt = row?.confirmed_at ?? null;
    return { enabled: confirmedAt !== null, confirmedAt };
  }

  /** A new secret to confirm; replaces an unconfirmed one. 409 while a confirmed one is on (disable it first). */
  async begin(userId: string, email: string): Promise<TotpEnrolment> {
    const secret = generateSecret();
    const sealed = await this.keyring.seal(secret, totpContext(userId));
    const rows = await this.dataSource.query<unknown[]>(
      `WITH put AS (
         INSERT INTO totp_factors AS t (user_id, secret_sealed, key_id) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, key_id = EXCLUDED.key_id, created_at = now(), last_step = NULL
           WHERE t.confirmed_at IS NULL
         RETURNING 1)
       SELECT 1 FROM put`,
      [userId, sealed, this.keyring.keyIdOf(sealed) ?? this.keyring.activeKeyId],
    );
    if (rows.length === 0) {
      throw new AppError('INVALID_STATE', 'Two-factor authentication with an authenticator app is already on. To move it to another app, turn it off first (with a current code), then set it up again.');
    }
    return { uri: generateURI({ issuer: TOTP_ISSUER, label: email, secret }), secret: grouped(secret), issuer: TOTP_ISSUER, account: email };
  }

  /**
   * The time step `code` answers for this person's secret (confirmed, or only when `pending`, the one
   * being enrolled), or null. Does not record it: accept() does, conditionally.
   */
  private async matchingStep(row: FactorRow, userId: string, code: string): Promise<number | null> {
    const secret = await this.keyring.openText(row.secret_sealed, totpContext(userId));
    const result = await verify({
      secret,
      token: code,
      epoch: this.epoch(),
      epochTolerance: TOLERANCE_SECONDS,
      ...(row.last_step !== null ? { afterTimeStep: Number(row.last_step) } : {}),
    }).catch(() => ({ valid: false as const }));
    // otplib's TOTP result carries the matched step; its declared union also admits HOTP's, which has none.
    return result.valid && 'timeStep' in result && typeof result.timeStep === 'number' ? result.timeStep : null;
  }

  /**
   * Records `step` as used. Conditional on it being after the last one: of two requests racing with
   * the same code, only one moves it, so only one is accepted.
   */
  private async accept(manager: Pick<EntityManager, 'query'>, userId: string, step: number, confirming: boolean): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `WITH used AS (
         UPDATE totp_factors SET last_step = $2, confirmed_at = CASE WHEN $3 THEN now() ELSE confirmed_at END
         WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2) AND (confirmed_at IS NULL) = $3
         RETURNING 1)
       SELECT 1 FROM used`,
      [userId, step, confirming],
    );
    return rows.length > 0;
  }

  /** True when `code` is a fresh code of the person's confirmed secret; it is then used up. */
  async verify(userId: string, code: string): Promise<boolean> {
    const row = await this.row(userId);
    if (!row?.confirmed_at) return false;
    const step = await this.matchingStep(row, userId, code);
    return step !== null && (await this.accept(this.dataSource.manager, userId, step, false));
  }

  /** Confirms the pending enrolment with its first code, inside `manager`'s transaction. False for a wrong or used code. */
  async confirm(manager: EntityManager, userId: string, code: string): Promise<boolean> {
    const row = await this.row(userId, manager);
    if (!row) throw new AppError('INVALID_STATE', 'There is no authenticator app being set up. Start again with "Set up an authenticator app".');
    if (row.confirmed_at) throw new AppError('INVALID_STATE', 'Two-factor authentication with an authenticator app is already on.');
    const step = await this.matchingStep(row, userId, code);
    return step !== null && (await this.accept(manager, userId, step, true));
  }

  async remove(manager: Pick<EntityManager, 'query'>, userId: string): Promise<void> {
    await manager.query('DELETE FROM totp_factors WHERE user_id = $1', [userId]);
  }
}
