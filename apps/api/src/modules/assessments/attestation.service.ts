import { Injectable } from '@nestjs/common';

import type { AttestationCheckResponse, ReauthProof } from '@hoh/contracts';
import { factsToConfirm, FIGURE_QUESTIONS, type OrganisationProfile } from '@hoh/question-bank';
import { attestationCheck, score, type AttestationCheck, type DetectionFigures, type ScoringInput, type ScoringResult } from '@hoh/scoring-engine';

import { AppError, notFound } from '../../common/app-error.js';
import type { AuthContext } from '../../common/auth/access.decorators.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { ActionsService } from '../actions/actions.service.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { SecondFactorVerifiers } from '../auth/second-factor/second-factor-verifiers.js';
import { ThrottleService } from '../auth/throttle.service.js';
import { ScoringService } from '../scoring/scoring.service.js';

const WRONG_PROOF = 'That password is not right, so nothing was signed. Enter the password you sign in with and sign again; you are still signed in.';
const NO_PROOF = 'Enter the password you sign in with to confirm it is you; nothing was signed.';
const WRONG_CODE = 'That authenticator code is not right, or was used already, so nothing was signed. Enter the code your app shows now and sign again.';
const WRONG_PASSKEY = 'That passkey could not be verified, so nothing was signed. Try again, or confirm with your password and authenticator code.';
const CODE_NEEDED =
  'This organisation requires two-factor authentication for those who sign: confirm with your password and the 6-digit code from your authenticator app, or with a passkey. Nothing was signed.';

const ROLE_WORDS: Record<string, string> = { owner: 'organisation owner', assessor: 'assessor', contributor: 'contributor', auditor: 'auditor' };

/** Gathers the facts the pure hand-on-heart check needs, for the member who would sign. */
@Injectable()
export class AttestationService {
  constructor(
    private readonly scoring: ScoringService,
    private readonly actions: ActionsService,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly throttle: ThrottleService,
    private readonly secondFactors: SecondFactorVerifiers,
  ) {}

  /**
   * Sign-off re-authentication (docs/API.md §2.6): only a person signs, and only with proof
   * given just now. Runs after the body is validated and before any state check. An API token is
   * refused before its proof is looked at, so a token never becomes a password oracle. A password
   * counts against the SAME buckets as sign-in, before it is hashed: a stolen session gains no extra
   * guesses by trying them here. Failures answer 403 REAUTH_FAILED, never 401, so the web app keeps
   * the session. The throttle writes through its own connection, so a failure stays counted although
   * this request's tenant transaction rolls back.
   *
   * Two factors (docs/PRODUCT.md §2.7): a passkey assertion (user verification required) is proof by
   * itself. A password may carry a TOTP code; it must (or a passkey be used) when the signer has a second factor and the
   * organisation's policy covers signers (any policy but 'off': every signer can sign). Codes and
   * passkeys are checked by the same verifiers as sign-in, throttled per person.
   */
  async reauthenticate(auth: AuthContext, proof: ReauthProof, ip: string): Promise<void> {
    if (auth.apiToken) {
      throw new AppError('FORBIDDEN', 'Only a person signs: sign-off is refused with an API token. Sign in to Hand on Heart and sign there, confirming with your password.');
    }
    if ('passkey' in proof) {
      if (!(await this.secondFactors.check(auth.userId, { passkey: proof.passkey }, 'reauth'))) throw new AppError('REAUTH_FAILED', WRONG_PASSKEY);
      return;
    }
    if (proof.password === '') throw new AppError('REAUTH_FAILED', NO_PROOF);
    const [user] = await tenantManager().query<{ email: string; password_hash: string | null }[]>('SELECT email, password_hash FROM users WHERE id = $1', [auth.userId]);
    // No user row: the session outlived its account (the guard would normally have refused it).
    if (!user) throw new AppError('REAUTH_FAILED', WRONG_PROOF);
    const rules = this.throttle.signInRules(user.email, ip);
    await this.throttle.consume(rules);
    const ok = await this.hasher.verify(user.password_hash ?? undefined, proof.password);
    if (!ok) throw new AppError('REAUTH_FAILED', WRONG_PROOF);
    await this.throttle.succeeded(rules);
    if (proof.totp !== undefined) {
      if (!(await this.secondFactors.check(auth.userId, { totp: proof.totp }, 'reauth'))) throw new AppError('REAUTH_FAILED', WRONG_CODE);
      return;
    }
    const [org] = await tenantManager().query<{ second_factor_policy: string }[]>('SELECT second_factor_policy FROM organisations WHERE organisation_id = $1', [
      currentMember().organisationId,
    ]);
    if (org && org.second_factor_policy !== 'off' && (await this.secondFactors.methodsOf(auth.userId)).length > 0) {
      throw new AppError('REAUTH_FAILED', CODE_NEEDED);
    }
  }

  /**
   * `scored`: the assessment's input and result as of `asOf` when the caller already holds them (the
   * report gatherer), so they are not loaded and scored a second time in the same transaction.
   */
  async check(
    assessmentId: string,
    asOf: Date = this.clock.now(),
    scored?: { input: ScoringInput; result: ScoringResult },
  ): Promise<AttestationCheck & { input: ScoringInput }> {
    const member = currentMember();
    const m = tenantManager();
    const [row] = await m.query<{ title: string; status: string; signature: { statement: string; exceptions?: AttestationCheck['exceptions']; unqualified?: boolean } | null }[]>(
      'SELECT title, status, signature FROM assessments WHERE organisation_id = $1 AND id = $2',
      [member.organisationId, assessmentId],
    );
    if (!row) throw notFound('assessment');
    const { input } = scored ?? (await this.scoring.loadInput(member.organisationId, assessmentId, asOf));
    if (row.status === 'signed' && row.signature) {
      // What was attested stays what was attested.
      const exceptions = row.signature.exceptions ?? [];
      return { exceptions, unqualified: exceptions.length === 0, statement: row.signature.statement, input };
    }
    // One statement: queries sent concurrently on one transaction's connection only queue in pg (and pg 9 will refuse them).
    // The detection figures come from the answer rows, beside the scoring input (which stays as it is: figures are not scored).
    const [names] = await m.query<{ org_name: string | null; profile: OrganisationProfile | null; signer_name: string | null; figures: Record<string, DetectionFigures | null> }[]>(
      `SELECT (SELECT name FROM organisations WHERE organisation_id = $1) AS org_name,
              (SELECT profile FROM organisation_profiles WHERE organisation_id = $1) AS profile,
              (SELECT name FROM users WHERE id = $2) AS signer_name,
              (SELECT coalesce(jsonb_object_agg(question_id, figures), '{}'::jsonb) FROM answers
                WHERE organisation_id = $1 AND assessment_id = $3 AND question_id = ANY($4)) AS figures`,
      [member.organisationId, member.userId, assessmentId, FIGURE_QUESTIONS],
    );
    // Every figure question is checked, answered or not: the engine skips those the bank does not ask.
    const detectionFigures = Object.fromEntries(FIGURE_QUESTIONS.map((q) => [q, names?.figures[q] ?? null]));
    const result = scored?.result ?? score(input);
    const [latest] = await m.query<{ id: string }[]>('SELECT id FROM assessments WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [member.organisationId]);
    // Actions are judged against the latest assessment; reuse this one's scoring when it is that one.
    const actions = await this.actions.summaries(latest?.id === assessmentId ? { input, result } : undefined);
    const check = attestationCheck({
      input,
      result,
      actions,
      // Optional facts (bank 1.1.0) count only once recorded: older profiles never had them.
      profileFacts: factsToConfirm(names?.profile),
      profileConfirmedAt: names?.profile?.confirmedAt ?? {},
      signer: { name: names?.signer_name ?? 'the signer', role: ROLE_WORDS[member.role] ?? member.role },
      organisationName: names?.org_name ?? 'the organisation',
      assessmentTitle: row.title,
      detectionFigures,
    });
    return { ...check, input };
  }

  async response(assessmentId: string): Promise<AttestationCheckResponse> {
    const { exceptions, unqualified, statement } = await this.check(assessmentId);
    return { exceptions, unqualified, statement };
  }
}
