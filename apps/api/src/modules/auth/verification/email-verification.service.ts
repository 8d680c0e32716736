import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  EMAIL_VERIFICATION_TOKEN_PREFIX,
  EMAIL_VERIFICATION_TTL_HOURS,
  type EmailVerificationConfirmRequest,
  type EmailVerificationResponse,
} from '@hoh/contracts';

import { AppError } from '../../../common/app-error.js';
import type { AuthContext } from '../../../common/auth/access.decorators.js';
import { AppConfig } from '../../../config/app-config.js';
import { LINK_PLACEHOLDER } from '../../mail/mail-render.js';
import { OutboxWriter } from '../../mail/outbox-writer.js';
import { ThrottleService } from '../throttle.service.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest();
const TOKEN_SHAPE = new RegExp(`^${EMAIL_VERIFICATION_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

const LINK_INVALID =
  'This confirmation link is unknown, already used or expired (each link works once, for 24 hours). Sign in and send a new one from the banner at the top of the page.';

/** The web page a confirmation link opens; the token rides in the fragment, never sent to a server or in a Referer. */
export const confirmEmailPathOf = (token: string) => `/confirm-email#token=${token}`;

/**
 * Email verification (docs/PRODUCT.md §2.5): a single-use link, stored as the SHA-256 of a 256-bit
 * token together with the address it was mailed to, working for 24 hours. Following it sets
 * `users.email_verified_at`, which is what lets another organisation add the account by its
 * address (an invitation accepted while signed in, SSO domain matching). Sign-up sends the first
 * link; the person can ask for another (throttled like reset mail: a stranger cannot flood the
 * inbox); asking again withdraws the earlier link.
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly throttle: ThrottleService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Writes a fresh link and its mail inside the caller's transaction (sign-up's, so the mail exists
   * exactly when the account does); call `kick()` after it commits.
   */
  async issue(manager: EntityManager, user: { id: string; email: string; name: string }): Promise<void> {
    const token = `${EMAIL_VERIFICATION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    // Only the newest link works: sending again withdraws the ones mailed before.
    await manager.query('DELETE FROM email_verifications WHERE user_id = $1 AND used_at IS NULL', [user.id]);
    await manager.query(
      `INSERT INTO email_verifications (token_hash, user_id, email, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
      [hashToken(token), user.id, user.email, EMAIL_VERIFICATION_TTL_HOURS],
    );
    await this.outbox.accountMail(manager, user.id, {
      kind: 'email_verification',
      recipient: user.email,
      subject: 'Confirm your email address for Hand on Heart',
      body: [
        `Hello ${user.name},`,
        '',
        'Please confirm that this address belongs to your Hand on Heart account.',
        '',
        `Confirm it here: ${LINK_PLACEHOLDER}`,
        '',
        `The link works once and for ${EMAIL_VERIFICATION_TTL_HOURS} hours. Until the address is confirmed you can use your own organisation, but other organisations cannot add you by this address.`,
        'If you did not create this account, ignore this email.',
      ].join('\n'),
      linkPath: confirmEmailPathOf(token),
    });
  }

  kick(): void {
    this.outbox.kick();
  }

  /** Sends a new link to the signed-in person's address; throttled per account and per IP before anything is written. */
  async resend(auth: AuthContext, ip: string): Promise<EmailVerificationResponse> {
    await this.throttle.consume([
      { bucket: `verify-mail:user:${auth.userId}`, limit: this.config.env.THROTTLE_PASSWORD_RESET_PER_ACCOUNT },
      { bucket: `verify-mail:ip:${ip}`, limit: this.config.env.THROTTLE_PASSWORD_RESET_PER_IP },
    ]);
    const [user] = await this.dataSource.query<{ id: string; email: string; name: string; email_verified_at: Date | null }[]>(
      'SELECT id, email, name, email_verified_at FROM users WHERE id = $1',
      [auth.userId],
    );
    if (!user) throw new AppError('UNAUTHENTICATED', 'Your account no longer exists. Sign up again or ask your organisation owner.');
    if (user.email_verified_at) throw new AppError('INVALID_STATE', `${user.email} is already confirmed; there is nothing more to do.`);
    await this.dataSource.transaction((m) => this.issue(m, user));
    this.kick();
    return {
      email: user.email,
      message: `We have emailed a new confirmation link to ${user.email}. It works once, for ${EMAIL_VERIFICATION_TTL_HOURS} hours; earlier links no longer work.`,
    };
  }

  /** Uses a link once. Public: the token is the credential, so whoever opened the mail confirms it, signed in or not. */
  async confirm(input: EmailVerificationConfirmRequest, ip: string): Promise<EmailVerificationResponse> {
    // Guessing is throttled per IP before any lookup (a 256-bit token cannot be guessed anyway).
    await this.throttle.consume([{ bucket: `verify-use:ip:${ip}`, limit: this.config.env.THROTTLE_PASSWORD_RESET_PER_IP }]);
    const invalid = () => new AppError('VALIDATION_FAILED', LINK_INVALID, { details: [{ path: 'token', message: LINK_INVALID }] });
    if (!TOKEN_SHAPE.test(input.token)) throw invalid();
    return this.dataSource.transaction(async (m) => {
      // Single use even when opened twice at once: only one UPDATE finds it unused.
      const [used] = await m.query<{ user_id: string; email: string }[]>(
        `WITH used AS (UPDATE email_verifications SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id, email)
         SELECT user_id, email FROM used`,
        [hashToken(input.token)],
      );
      if (!used) throw invalid();
      // The link proves the address it was mailed to, and only while the account still has it.
      const [verified] = await m.query<{ id: string }[]>(
        'WITH verified AS (UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()) WHERE id = $1 AND email = $2 RETURNING id) SELECT id FROM verified',
        [used.user_id, used.email],
      );
      if (!verified) throw invalid();
      await m.query('DELETE FROM email_verifications WHERE user_id = $1 AND used_at IS NULL', [used.user_id]);
      return { email: used.email, message: `${used.email} is confirmed. Organisations can now invite you by this address.` };
    });
  }
}
