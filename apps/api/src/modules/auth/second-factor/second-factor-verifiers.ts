import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AuthMethod, PasskeyAssertion, SecondFactorKind } from '@hoh/contracts';

import { AppError } from '../../../common/app-error.js';
import { AppConfig } from '../../../config/app-config.js';
import { PasskeyService } from '../passkeys/passkey.service.js';
import { type ThrottleRule, ThrottleService } from '../throttle.service.js';
import { RecoveryCodesService } from './recovery-codes.service.js';
import { TotpService } from './totp.service.js';

/** One second factor as a request carries it (codes already normalised by the contracts' schemas). */
export type SecondFactorAnswer = { totp: string } | { recoveryCode: string } | { passkey: PasskeyAssertion };

/** The one factor a request body carries (its schema let exactly one through). */
export function answerOf(body: { totp?: string | undefined; recoveryCode?: string | undefined; passkey?: PasskeyAssertion | undefined }): SecondFactorAnswer {
  if (body.totp !== undefined) return { totp: body.totp };
  if (body.recoveryCode !== undefined) return { recoveryCode: body.recoveryCode };
  if (body.passkey !== undefined) return { passkey: body.passkey };
  throw new AppError('VALIDATION_FAILED', 'Send exactly one second factor: "totp", "recoveryCode" or "passkey".');
}

/** What a passkey assertion answers: the second step of a sign-in, or a signed-in person proving presence. */
export type PasskeyPurpose = 'sign-in' | 'reauth';

/**
 * The one place a second factor is checked (docs/PRODUCT.md §2.7): the second step of a sign-in,
 * disabling TOTP, new recovery codes and sign-off re-authentication all come here, with one kind of
 * verifier per factor. Each answers true or false and never throws for what a client sent, so every
 * caller answers its own plain failure. Attempts are counted per person before anything is checked
 * (THROTTLE_SIGN_IN_PER_ACCOUNT per window, 429 beyond), and a success clears the count.
 */
@Injectable()
export class SecondFactorVerifiers {
  constructor(
    private readonly dataSource: DataSource,
    private readonly totpFactor: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly passkeys: PasskeyService,
    private readonly throttle: ThrottleService,
    private readonly config: AppConfig,
  ) {}

  totp(userId: string, code: string): Promise<boolean> {
    return this.totpFactor.verify(userId, code);
  }

  recoveryCode(userId: string, normalised: string): Promise<boolean> {
    return this.recoveryCodes.use(userId, normalised);
  }

  /** A WebAuthn assertion answering a challenge made for this person and purpose (H2's PasskeyService). */
  passkey(userId: string, assertion: PasskeyAssertion, purpose: PasskeyPurpose): Promise<boolean> {
    return this.passkeys.verifyAssertion(userId, assertion, purpose);
  }

  /** The factors this person can complete a sign-in with; empty when a password alone signs them in. */
  async methodsOf(userId: string): Promise<SecondFactorKind[]> {
    const [row] = await this.dataSource.query<{ totp: boolean; passkey: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS totp,
              EXISTS (SELECT 1 FROM passkeys WHERE user_id = $1) AS passkey`,
      [userId],
    );
    const methods: SecondFactorKind[] = [];
    if (row?.totp) methods.push('totp', 'recovery-code');
    if (row?.passkey) methods.push('passkey');
    return methods;
  }

  private rules(userId: string): ThrottleRule[] {
    return [{ bucket: `second-factor:user:${userId}`, limit: this.config.env.THROTTLE_SIGN_IN_PER_ACCOUNT }];
  }

  /**
   * Checks one answer, throttled per person: the method it proves (for the session's auth_methods),
   * or null when it is wrong, used or stale. 429 once the person's attempts are spent.
   */
  async check(userId: string, answer: SecondFactorAnswer, passkeyPurpose: PasskeyPurpose): Promise<AuthMethod | null> {
    const rules = this.rules(userId);
    await this.throttle.consume(rules);
    let method: AuthMethod | null = null;
    if ('totp' in answer) method = (await this.totp(userId, answer.totp)) ? 'totp' : null;
    else if ('recoveryCode' in answer) method = (await this.recoveryCode(userId, answer.recoveryCode)) ? 'recovery-code' : null;
    else method = (await this.passkey(userId, answer.passkey, passkeyPurpose)) ? 'passkey' : null;
    if (method) await this.throttle.succeeded(rules);
    return method;
  }
}
