import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { hasSecondFactor, type RecoveryCodes, type SecondFactorProof, type SecondFactorStatus, type TotpEnrolment } from '@hoh/contracts';

import { AppError } from '../../../common/app-error.js';
import type { AuthContext } from '../../../common/auth/access.decorators.js';
import { AccountAudit } from './account-audit.js';
import { RecoveryCodesService } from './recovery-codes.service.js';
import { answerOf, SecondFactorVerifiers } from './second-factor-verifiers.js';
import { TotpService } from './totp.service.js';

const NO_TOKENS = 'API tokens cannot change two-factor authentication. Sign in to the web app and use Account → Two-factor authentication.';
const WRONG_CODE = 'That code is not right, or was used already. Enter the 6-digit code your authenticator app shows now (codes change every 30 seconds).';
const WRONG_PROOF =
  'That second factor is not right, or was used already. Enter the current code from your authenticator app, an unused recovery code, or use one of your passkeys.';

/**
 * A person's own two-factor settings (docs/PRODUCT.md §2.7): TOTP enrolment (a secret shown once,
 * counting only after a first valid code), recovery codes (ten, shown once, regenerable with a
 * current second factor) and turning TOTP off (with a current second factor). Cookie sessions only.
 */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly verifiers: SecondFactorVerifiers,
    private readonly audit: AccountAudit,
  ) {}

  private person(auth: AuthContext): void {
    if (auth.apiToken) throw new AppError('FORBIDDEN', NO_TOKENS);
  }

  async status(auth: AuthContext): Promise<SecondFactorStatus> {
    const [totp, recoveryCodesLeft, methods] = await Promise.all([
      this.totp.enabled(auth.userId),
      this.recoveryCodes.left(auth.userId),
      this.verifiers.methodsOf(auth.userId),
    ]);
    const [passkeys] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM passkeys WHERE user_id = $1', [auth.userId]);
    return {
      totp: { enabled: totp.enabled, confirmedAt: totp.confirmedAt?.toISOString() ?? null },
      recoveryCodesLeft: methods.includes('totp') ? recoveryCodesLeft : 0,
      passkeys: passkeys?.n ?? 0,
      sessionHasSecondFactor: auth.apiToken ? auth.apiToken.secondFactor : hasSecondFactor(auth.authMethods ?? []),
    };
  }

  async beginTotp(auth: AuthContext): Promise<TotpEnrolment> {
    this.person(auth);
    const [user] = await this.dataSource.query<{ email: string }[]>('SELECT email FROM users WHERE id = $1', [auth.userId]);
    if (!user) throw new AppError('UNAUTHENTICATED', 'Your account no longer exists. Sign up again or ask your organisation owner.');
    return this.totp.begin(auth.userId, user.email);
  }

  /**
   * The first valid code turns TOTP on and answers ten recovery codes, this once. The code also
   * proves the factor in this session, so the session counts as signed in with it (an owner's policy
   * is met without signing in again).
   */
  async confirmTotp(auth: AuthContext, code: string): Promise<RecoveryCodes> {
    this.person(auth);
    const recoveryCodes = await this.dataSource.transaction(async (m) => {
      if (!(await this.totp.confirm(m, auth.userId, code))) throw new AppError('VALIDATION_FAILED', WRONG_CODE, { details: [{ path: 'code', message: WRONG_CODE }] });
      const codes = await this.recoveryCodes.regenerate(m, auth.userId);
      if (auth.sessionTokenHash) {
        await m.query(`UPDATE sessions SET auth_methods = array_append(auth_methods, 'totp') WHERE token_hash = $1 AND NOT ('totp' = ANY (auth_methods))`, [auth.sessionTokenHash]);
      }
      return codes;
    });
    await this.audit.record(auth.userId, 'account.totp_enabled', { recoveryCodes: recoveryCodes.length });
    return { recoveryCodes };
  }

  private async prove(auth: AuthContext, proof: SecondFactorProof): Promise<string> {
    const method = await this.verifiers.check(auth.userId, answerOf(proof), 'reauth');
    if (!method) throw new AppError('REAUTH_FAILED', WRONG_PROOF);
    if (method === 'recovery-code') await this.audit.record(auth.userId, 'account.recovery_code_used', { purpose: 'account', left: await this.recoveryCodes.left(auth.userId) });
    return method;
  }

  async disableTotp(auth: AuthContext, proof: SecondFactorProof): Promise<void> {
    this.person(auth);
    if (!(await this.totp.enabled(auth.userId)).enabled) {
      throw new AppError('INVALID_STATE', 'Two-factor authentication with an authenticator app is not on, so there is nothing to turn off.');
    }
    const method = await this.prove(auth, proof);
    await this.dataSource.transaction(async (m) => {
      await this.totp.remove(m, auth.userId);
      // Recovery codes stand in for the app: with it gone they would be a way round nothing.
      await this.recoveryCodes.remove(m, auth.userId);
    });
    await this.audit.record(auth.userId, 'account.totp_disabled', { provedWith: method });
  }

  async regenerateRecoveryCodes(auth: AuthContext, proof: SecondFactorProof): Promise<RecoveryCodes> {
    this.person(auth);
    if (!(await this.totp.enabled(auth.userId)).enabled) {
      throw new AppError('INVALID_STATE', 'Recovery codes come with an authenticator app. Set one up first in Account → Two-factor authentication.');
    }
    const method = await this.prove(auth, proof);
    const recoveryCodes = await this.dataSource.transaction((m) => this.recoveryCodes.regenerate(m, auth.userId));
    await this.audit.record(auth.userId, 'account.recovery_codes_regenerated', { provedWith: method });
    return { recoveryCodes };
  }
}
