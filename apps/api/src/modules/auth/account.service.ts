import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  type ChangePasswordRequest,
  type ChangePasswordResponse,
  PASSWORD_RESET_TOKEN_PREFIX,
  PASSWORD_RESET_TTL_MINUTES,
  type PasswordResetConfirmRequest,
  type PasswordResetRequest,
  type PasswordResetRequestedResponse,
} from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import type { AuthContext } from '../../common/auth/access.decorators.js';
import { AppConfig } from '../../config/app-config.js';
import { LINK_PLACEHOLDER } from '../mail/mail-render.js';
import { OutboxWriter } from '../mail/outbox-writer.js';
import { PasswordHasher } from './password-hasher.js';
import { AccountAudit } from './second-factor/account-audit.js';
import { SessionService } from './session.service.js';
import { type ThrottleRule, ThrottleService } from './throttle.service.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest();
const emailKey = (email: string) => createHash('sha256').update(email).digest('hex');
const TOKEN_SHAPE = new RegExp(`^${PASSWORD_RESET_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

/** The one answer to a reset request, for an address with an account and one without. */
export const RESET_REQUESTED =
  'If an account uses this address, we have emailed it a link to choose a new password. The link works once, for 30 minutes. Nothing arrived? Check the address and your spam folder, then ask again.';
const RESET_LINK_INVALID =
  'This reset link is unknown, already used or expired (each link works once, for 30 minutes). Ask for a new one on the "Forgot your password?" page.';

/** The web page a reset link opens; the token rides in the fragment, which browsers never send to a server or in a Referer. */
export const resetPathOf = (token: string) => `/reset-password#token=${token}`;

/**
 * Password reset and change (docs/PRODUCT.md, accounts; docs/API.md §2). Reset tokens are 256
 * random bits, stored as their SHA-256, used once, for 30 minutes; asking for one answers the same
 * whether or not the address has an account, and is throttled per address and per client IP before
 * anything is looked up. Setting a password either way ends the account's other sessions.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: ThrottleService,
    private readonly outbox: OutboxWriter,
    private readonly config: AppConfig,
    private readonly audit: AccountAudit,
  ) {}

  private resetRules(email: string, ip: string): ThrottleRule[] {
    // Per address: a stranger cannot flood someone's inbox; per IP: nor sweep many addresses.
    return [
      { bucket: `reset:account:${emailKey(email)}`, limit: this.config.env.THROTTLE_PASSWORD_RESET_PER_ACCOUNT },
      { bucket: `reset:ip:${ip}`, limit: this.config.env.THROTTLE_PASSWORD_RESET_PER_IP },
    ];
  }

  async requestReset(input: PasswordResetRequest, ip: string): Promise<PasswordResetRequestedResponse> {
    // Counted for every address alike (the bucket is the address's hash, account or not), so a 429 tells nothing either.
    await this.throttle.consume(this.resetRules(input.email, ip));
    const [user] = await this.dataSource.query<{ id: string; name: string }[]>('SELECT id, name FROM users WHERE email = $1', [input.email]);
    if (user) {
      const token = `${PASSWORD_RESET_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      await this.dataSource.transaction(async (m) => {
        // Only the newest link works: asking again withdraws the ones mailed before.
        await m.query('DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [user.id]);
        await m.query(
          `INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))`,
          [hashToken(token), user.id, PASSWORD_RESET_TTL_MINUTES],
        );
        await this.outbox.accountMail(m, user.id, {
          kind: 'password_reset',
          recipient: input.email,
          subject: 'Choose a new Hand on Heart password',
          body: [
            `Hello ${user.name},`,
            '',
            'Someone (we hope you) asked to reset the password of your Hand on Heart account.',
            '',
            `Choose a new password here: ${LINK_PLACEHOLDER}`,
            '',
            `The link works once and for ${PASSWORD_RESET_TTL_MINUTES} minutes. Setting a new password signs you out everywhere else.`,
            'If you did not ask for this, ignore this email: your password stays as it is.',
          ].join('\n'),
          linkPath: resetPathOf(token),
        });
      });
      this.outbox.kick();
    }
    return { message: RESET_REQUESTED };
  }

  async confirmReset(input: PasswordResetConfirmRequest, ip: string): Promise<void> {
    // Guessing tokens is throttled per IP before any lookup; a 256-bit token cannot be guessed anyway.
    await this.throttle.consume([{ bucket: `reset-use:ip:${ip}`, limit: this.config.env.THROTTLE_PASSWORD_RESET_PER_IP }]);
    const invalid = () => new AppError('VALIDATION_FAILED', RESET_LINK_INVALID, { details: [{ path: 'token', message: RESET_LINK_INVALID }] });
    if (!TOKEN_SHAPE.test(input.token)) throw invalid();
    const tokenHash = hashToken(input.token);
    // A cheap look first, so a dead link costs no argon2; the conditional UPDATE below decides.
    const [live] = await this.dataSource.query<unknown[]>('SELECT 1 FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()', [tokenHash]);
    if (!live) throw invalid();
    const passwordHash = await this.hasher.hash(input.password);
    const userId = await this.dataSource.transaction(async (m) => {
      // Single use even when the link is opened twice at once: only one UPDATE finds it unused.
      const [used] = await m.query<{ user_id: string }[]>(
        `WITH used AS (UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id)
         SELECT user_id FROM used`,
        [tokenHash],
      );
      if (!used) throw invalid();
      await m.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [used.user_id, passwordHash]);
      await m.query('DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [used.user_id]);
      // Whoever knew the old password is signed out everywhere; the owner signs in with the new one.
      await this.sessions.endOthers(used.user_id, undefined, m);
      const [user] = await m.query<{ email: string }[]>('SELECT email FROM users WHERE id = $1', [used.user_id]);
      // Failed sign-ins counted against the account before the reset no longer stand in its way.
      if (user) await m.query('DELETE FROM auth_throttle WHERE bucket = $1', [this.throttle.signInRules(user.email, ip)[0]!.bucket]);
      return used.user_id;
    });
    await this.audit.record(userId, 'account.password_reset', {});
  }

  /** Needs the current password (a signed-in browser alone is not proof enough) and ends every other session. */
  async changePassword(auth: AuthContext, input: ChangePasswordRequest): Promise<ChangePasswordResponse> {
    if (auth.apiToken) throw new AppError('FORBIDDEN', 'API tokens cannot change a password. Sign in to the web app and change it on your account page.');
    const rules = [{ bucket: `password-change:user:${auth.userId}`, limit: this.config.env.THROTTLE_SIGN_IN_PER_ACCOUNT }];
    await this.throttle.consume(rules);
    const [user] = await this.dataSource.query<{ password_hash: string }[]>('SELECT password_hash FROM users WHERE id = $1', [auth.userId]);
    if (!(await this.hasher.verify(user?.password_hash, input.currentPassword))) {
      // 403, never 401: the session is fine, only this proof is wrong (like sign-off's re-authentication).
      throw new AppError('REAUTH_FAILED', 'Your current password is not right. Enter the password you signed in with, or sign out and use "Forgot your password?".');
    }
    if (input.currentPassword === input.newPassword) {
      throw new AppError('VALIDATION_FAILED', 'Choose a new password different from the current one.', {
        details: [{ path: 'newPassword', message: 'Choose a password different from the current one' }],
      });
    }
    const passwordHash = await this.hasher.hash(input.newPassword);
    const endedSessions = await this.dataSource.transaction(async (m) => {
      await m.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [auth.userId, passwordHash]);
      await m.query('DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [auth.userId]);
      await m.query('DELETE FROM auth_throttle WHERE bucket = $1', [rules[0]!.bucket]);
      return this.sessions.endOthers(auth.userId, auth.sessionTokenHash, m);
    });
    await this.audit.record(auth.userId, 'account.password_changed', { endedSessions });
    return { endedSessions };
  }
}
