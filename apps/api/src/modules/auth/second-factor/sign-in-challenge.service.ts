import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  type AuthMethod,
  type PasskeyOptions,
  type SecondFactorChallenge,
  type SecondFactorKind,
  type SecondFactorSignInRequest,
  SIGN_IN_CHALLENGE_PREFIX,
  SIGN_IN_CHALLENGE_TTL_SECONDS,
} from '@hoh/contracts';

import { AppError } from '../../../common/app-error.js';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../config/clock.js';
import { PasskeyService } from '../passkeys/passkey.service.js';
import { SessionService } from '../session.service.js';
import { ThrottleService } from '../throttle.service.js';
import { AccountAudit } from './account-audit.js';
import { RecoveryCodesService } from './recovery-codes.service.js';
import { answerOf, SecondFactorVerifiers } from './second-factor-verifiers.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest();
const TOKEN_SHAPE = new RegExp(`^${SIGN_IN_CHALLENGE_PREFIX}[A-Za-z0-9_-]{43}$`);
/** Wrong answers one challenge takes before it is gone (the per-person throttle caps them across challenges too). */
const MAX_FAILURES = 5;

const CHALLENGE_GONE =
  'This sign-in has expired (it lasts 5 minutes) or was already completed. Sign in again with your email and password.';
const WRONG_FACTOR = 'That code or passkey is not right, or was used already. Enter the current code from your authenticator app, or one of your unused recovery codes.';

interface ChallengeRow {
  user_id: string;
  user_agent: string | null;
  failures: number;
}

/**
 * The second step of a sign-in (docs/PRODUCT.md §2.7; docs/API.md §2.9). A correct password of an
 * account with a second factor opens a challenge instead of a session: 256 random bits behind a
 * prefix, stored as their SHA-256, bound to the person (and the device that typed the password),
 * alive 5 minutes by the injected clock, taken by the one answer that completes it, and gone after
 * 5 wrong answers. Answers are throttled per client IP before the challenge is looked up, and per
 * person by the verifiers.
 */
@Injectable()
export class SignInChallengeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly verifiers: SecondFactorVerifiers,
    private readonly passkeys: PasskeyService,
    private readonly sessions: SessionService,
    private readonly throttle: ThrottleService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AccountAudit,
    private readonly recoveryCodes: RecoveryCodesService,
  ) {}

  /**
   * A person has at most one open challenge (each password entry replaces the last), so expired ones
   * need no sweeping: the table holds at most one row per person who ever had a second factor.
   */
  async open(userId: string, userAgent: string | null, methods: SecondFactorKind[]): Promise<SecondFactorChallenge> {
    const token = `${SIGN_IN_CHALLENGE_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SIGN_IN_CHALLENGE_TTL_SECONDS * 1000);
    await this.dataSource.query(
      // A person's older open challenges go: only the newest password entry can be completed.
      `WITH gone AS (DELETE FROM sign_in_challenges WHERE user_id = $2)
       INSERT INTO sign_in_challenges (token_hash, user_id, user_agent, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [hashToken(token), userId, userAgent, now, expiresAt],
    );
    return { secondFactorRequired: true, challenge: token, methods, expiresAt: expiresAt.toISOString() };
  }

  /** Counted before any lookup; given back when the request goes well, so the limit counts failures (as sign-in's does). */
  private async ipGate(ip: string): Promise<() => Promise<void>> {
    const bucket = `second-factor:ip:${ip}`;
    await this.throttle.consume([{ bucket, limit: this.config.env.THROTTLE_SIGN_IN_PER_IP }]);
    return () => this.throttle.refund(bucket);
  }

  /** The live challenge behind a token, or a 401 that says to sign in again. */
  private async live(token: string): Promise<ChallengeRow & { hash: Buffer }> {
    if (!TOKEN_SHAPE.test(token)) throw new AppError('UNAUTHENTICATED', CHALLENGE_GONE);
    const hash = hashToken(token);
    const [row] = await this.dataSource.query<ChallengeRow[]>(
      'SELECT user_id, user_agent, failures FROM sign_in_challenges WHERE token_hash = $1 AND expires_at > $2',
      [hash, this.clock.now()],
    );
    if (!row) throw new AppError('UNAUTHENTICATED', CHALLENGE_GONE);
    return { ...row, hash };
  }

  /** Options for navigator.credentials.get for a pending sign-in: only that person's passkeys. */
  async passkeyOptions(token: string, ip: string): Promise<PasskeyOptions> {
    const refund = await this.ipGate(ip);
    const challenge = await this.live(token);
    const options = await this.passkeys.assertionOptions(challenge.user_id, 'sign-in');
    await refund();
    return options;
  }

  /**
   * Completes a pending sign-in with one second factor: a new session recording both methods
   * (e.g. ['password', 'totp']) and its token, or 401.
   */
  async complete(input: SecondFactorSignInRequest, ip: string): Promise<{ token: string; userId: string; csrfToken: string }> {
    const refund = await this.ipGate(ip);
    const challenge = await this.live(input.challenge);
    const method: AuthMethod | null = await this.verifiers.check(challenge.user_id, answerOf(input), 'sign-in');
    if (!method) {
      await this.dataSource.query(
        `WITH gone AS (DELETE FROM sign_in_challenges WHERE token_hash = $1 AND failures + 1 >= $2 RETURNING 1)
         UPDATE sign_in_challenges SET failures = failures + 1 WHERE token_hash = $1 AND NOT EXISTS (SELECT 1 FROM gone)`,
        [challenge.hash, MAX_FAILURES],
      );
      throw new AppError('UNAUTHENTICATED', WRONG_FACTOR);
    }
    // Taken by exactly one answer: of two racing with different right answers, one finds it gone.
    const taken = await this.dataSource.query<unknown[]>(
      'WITH taken AS (DELETE FROM sign_in_challenges WHERE token_hash = $1 AND expires_at > $2 RETURNING 1) SELECT 1 FROM taken',
      [challenge.hash, this.clock.now()],
    );
    if (taken.length === 0) throw new AppError('UNAUTHENTICATED', CHALLENGE_GONE);
    const { token, session } = await this.sessions.create(challenge.user_id, challenge.user_agent, ['password', method]);
    await refund();
    // A recovery code in use may mean a lost phone, or someone else holding the codes: on the record.
    if (method === 'recovery-code') {
      await this.audit.record(challenge.user_id, 'account.recovery_code_used', { purpose: 'sign-in', left: await this.recoveryCodes.left(challenge.user_id) });
    }
    return { token, userId: challenge.user_id, csrfToken: session.csrfToken };
  }
}
