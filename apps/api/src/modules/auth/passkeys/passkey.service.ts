import { Injectable } from '@nestjs/common';
import type { AuthenticatorTransport } from '@simplewebauthn/server';
import { DataSource } from 'typeorm';

import type { CreatePasskeyRequest, Passkey, PasskeyAssertion, PasskeyOptions, RemovePasskeyRequest } from '@hoh/contracts';

import { AppError } from '../../../common/app-error.js';
import type { AuthContext } from '../../../common/auth/access.decorators.js';
import { AppConfig } from '../../../config/app-config.js';
import { PasswordHasher } from '../password-hasher.js';
import { ThrottleService } from '../throttle.service.js';

// Loaded on first use: the library is large, and most processes never register or check a passkey.
type WebAuthn = typeof import('@simplewebauthn/server');
let webAuthnModule: Promise<WebAuthn> | undefined;
const webAuthn = (): Promise<WebAuthn> => (webAuthnModule ??= import('@simplewebauthn/server'));

/** What a challenge may be used for: adding a passkey, the second step of a sign-in, or proving presence (sign-off, removal). */
export type ChallengePurpose = 'register' | 'sign-in' | 'reauth';

/** How long a ceremony's challenge stays usable: the browser's own prompt times out at 60 s, so 5 minutes is ample. */
export const CHALLENGE_TTL_SECONDS = 300;
const CEREMONY_TIMEOUT_MS = 60_000;

interface PasskeyRow {
  id: string;
  credential_id: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
  backed_up: boolean;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

const COLUMNS = 'id, credential_id, public_key, counter, transports, backed_up, name, created_at, last_used_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_SUCH_PASSKEY = 'No such passkey among yours; it may have been removed already. List them with GET /api/v1/auth/passkeys.';
const NOT_VERIFIED =
  'The passkey could not be verified: it was made for another site or address, its request expired or was used already, or the answer was altered. Start again with "Add a passkey".';
const WRONG_PROOF = 'That proof is not right: enter the password you sign in with, or use one of your passkeys, then try again.';

const toPasskey = (r: PasskeyRow): Passkey => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  backedUp: r.backed_up,
  transports: r.transports,
});

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e.code ?? e.driverError?.code) === '23505';
}

/** The challenge a browser signed, read from its clientDataJSON (null when that is not what a browser sends). */
function challengeOf(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' && data.challenge.length > 0 && data.challenge.length <= 200 ? data.challenge : null;
  } catch {
    return null;
  }
}

/** A user id as WebAuthn's opaque user handle: its 16 bytes, never the address. */
const userHandleOf = (userId: string) => new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));

/**
 * Passkeys (WebAuthn) with @simplewebauthn/server: docs/PRODUCT.md §2.5, docs/API.md §2.7.
 *
 * The relying party is PUBLIC_URL: its host is the rpID and its origin the only origin accepted, so
 * a passkey made for, or an assertion signed on, any other site or address is refused. User
 * verification (PIN or biometrics) is required at every ceremony. Each challenge is random, stored
 * server-side bound to one person and one purpose, lives 5 minutes, and is taken (deleted) by the
 * first verification that presents it, successful or not: a replayed answer finds nothing. The
 * signature counter is kept and the library refuses one that does not move forward (a cloned key).
 */
@Injectable()
export class PasskeyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly hasher: PasswordHasher,
    private readonly throttle: ThrottleService,
  ) {}

  private get relyingParty(): { rpID: string; origin: string } {
    const url = new URL(this.config.publicUrl);
    return { rpID: url.hostname, origin: url.origin };
  }

  private async rows(userId: string): Promise<PasskeyRow[]> {
    return this.dataSource.query<PasskeyRow[]>(`SELECT ${COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  }

  private async remember(userId: string, challenge: string, purpose: ChallengePurpose): Promise<void> {
    // Expired challenges of the person go as a new one is made: the table holds only live ceremonies.
    await this.dataSource.query(
      `WITH pruned AS (DELETE FROM webauthn_challenges WHERE user_id = $1 AND expires_at <= now())
       INSERT INTO webauthn_challenges (challenge, user_id, purpose, expires_at) VALUES ($2, $1, $3, now() + make_interval(secs => $4))`,
      [userId, challenge, purpose, CHALLENGE_TTL_SECONDS],
    );
  }

  /** Takes the challenge a response signed, once: true only if it was live, this person's, and for this purpose. */
  private async take(userId: string, clientDataJSON: string, purpose: ChallengePurpose): Promise<string | null> {
    const challenge = challengeOf(clientDataJSON);
    if (!challenge) return null;
    const rows = await this.dataSource.query<{ challenge: string }[]>(
      `WITH taken AS (DELETE FROM webauthn_challenges WHERE challenge = $1 RETURNING challenge, user_id, purpose, expires_at)
       SELECT challenge FROM taken WHERE user_id = $2 AND purpose = $3 AND expires_at > now()`,
      [challenge, userId, purpose],
    );
    return rows[0]?.challenge ?? null;
  }

  private refuseTokens(auth: AuthContext, what: string): void {
    if (auth.apiToken) throw new AppError('FORBIDDEN', `API tokens cannot ${what}. Sign in to the web app and do it on your account page.`);
  }

  async hasPasskey(userId: string): Promise<boolean> {
    const [row] = await this.dataSource.query<unknown[]>('SELECT 1 FROM passkeys WHERE user_id = $1 LIMIT 1', [userId]);
    return row !== undefined;
  }

  async list(userId: string): Promise<Passkey[]> {
    return (await this.rows(userId)).map(toPasskey);
  }

  /** Options for navigator.credentials.create: the person's passkeys excluded, so one authenticator is not added twice. */
  async registrationOptions(auth: AuthContext): Promise<PasskeyOptions> {
    this.refuseTokens(auth, 'add a passkey');
    const [user] = await this.dataSource.query<{ email: string; name: string }[]>('SELECT email, name FROM users WHERE id = $1', [auth.userId]);
    if (!user) throw new AppError('UNAUTHENTICATED', 'Your account no longer exists. Sign up again or ask your organisation owner.');
    const { rpID } = this.relyingParty;
    const options = await (await webAuthn()).generateRegistrationOptions({
      rpName: 'Hand on Heart',
      rpID,
      userName: user.email,
      userDisplayName: user.name,
      userID: userHandleOf(auth.userId),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: (await this.rows(auth.userId)).map((r) => ({ id: r.credential_id, transports: r.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
    await this.remember(auth.userId, options.challenge, 'register');
    return options as unknown as PasskeyOptions;
  }

  async register(auth: AuthContext, input: CreatePasskeyRequest): Promise<Passkey> {
    this.refuseTokens(auth, 'add a passkey');
    const invalid = () => new AppError('VALIDATION_FAILED', NOT_VERIFIED, { details: [{ path: 'response', message: NOT_VERIFIED }] });
    const challenge = await this.take(auth.userId, input.response.response.clientDataJSON, 'register');
    if (!challenge) throw invalid();
    const { rpID, origin } = this.relyingParty;
    const verification = await (await webAuthn()).verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    }).catch(() => null);
    if (!verification?.verified) throw invalid();
    const { credential, credentialBackedUp } = verification.registrationInfo;
    const transports = (input.response.response.transports ?? credential.transports ?? []).slice(0, 10);
    const [row] = await this.dataSource
      .query<PasskeyRow[]>(
        `INSERT INTO passkeys (user_id, credential_id, public_key, counter, transports, backed_up, name) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [auth.userId, credential.id, Buffer.from(credential.publicKey), credential.counter, transports, credentialBackedUp, input.name],
      )
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new AppError('INVALID_STATE', 'This authenticator already holds a passkey for Hand on Heart. Use it, or remove that passkey first.');
        throw error;
      });
    return toPasskey(row!);
  }

  async rename(userId: string, passkeyId: string, name: string): Promise<Passkey> {
    if (!UUID.test(passkeyId)) throw new AppError('NOT_FOUND', NO_SUCH_PASSKEY);
    // Through a CTE: TypeORM answers a bare UPDATE … RETURNING as [rows, count], a SELECT as rows.
    const [row] = await this.dataSource.query<PasskeyRow[]>(`WITH renamed AS (UPDATE passkeys SET name = $3 WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}) SELECT * FROM renamed`, [
      passkeyId.toLowerCase(),
      userId,
      name,
    ]);
    if (!row) throw new AppError('NOT_FOUND', NO_SUCH_PASSKEY);
    return toPasskey(row);
  }

  /** Needs the password or a passkey assertion (403 REAUTH_FAILED otherwise); 404 before any proof is checked when it is not theirs. */
  async remove(auth: AuthContext, passkeyId: string, proof: RemovePasskeyRequest, ip: string): Promise<void> {
    this.refuseTokens(auth, 'remove a passkey');
    if (!UUID.test(passkeyId)) throw new AppError('NOT_FOUND', NO_SUCH_PASSKEY);
    const id = passkeyId.toLowerCase();
    const [mine] = await this.dataSource.query<unknown[]>('SELECT 1 FROM passkeys WHERE id = $1 AND user_id = $2', [id, auth.userId]);
    if (!mine) throw new AppError('NOT_FOUND', NO_SUCH_PASSKEY);
    if (proof.password !== undefined) await this.checkPassword(auth.userId, proof.password, ip);
    else if (!proof.passkey || !(await this.verifyAssertion(auth.userId, proof.passkey, 'reauth'))) throw new AppError('REAUTH_FAILED', WRONG_PROOF);
    await this.dataSource.query('DELETE FROM passkeys WHERE id = $1 AND user_id = $2', [id, auth.userId]);
  }

  /** The password as proof, counted in the sign-in buckets like sign-off's re-authentication (docs/API.md §2.4). */
  private async checkPassword(userId: string, password: string, ip: string): Promise<void> {
    const [user] = await this.dataSource.query<{ email: string; password_hash: string | null }[]>('SELECT email, password_hash FROM users WHERE id = $1', [userId]);
    if (!user || password === '') throw new AppError('REAUTH_FAILED', WRONG_PROOF);
    const rules = this.throttle.signInRules(user.email, ip);
    await this.throttle.consume(rules);
    if (!(await this.hasher.verify(user.password_hash ?? undefined, password))) throw new AppError('REAUTH_FAILED', WRONG_PROOF);
    await this.throttle.succeeded(rules);
  }

  /**
   * Options for navigator.credentials.get, for a person already known (the second step of a
   * sign-in, or a signed-in person proving presence): only their passkeys are allowed. 409 when they
   * have none, so a client offers another way.
   */
  async assertionOptions(userId: string, purpose: Exclude<ChallengePurpose, 'register'>): Promise<PasskeyOptions> {
    const rows = await this.rows(userId);
    if (rows.length === 0) throw new AppError('INVALID_STATE', 'This account has no passkey. Use your password or another second factor, or add a passkey on your account page.');
    const options = await (await webAuthn()).generateAuthenticationOptions({
      rpID: this.relyingParty.rpID,
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: 'required',
      allowCredentials: rows.map((r) => ({ id: r.credential_id, transports: r.transports as AuthenticatorTransport[] })),
    });
    await this.remember(userId, options.challenge, purpose);
    return options as unknown as PasskeyOptions;
  }

  /**
   * True when `assertion` is a fresh answer, signed with user verification by one of `userId`'s
   * passkeys, on PUBLIC_URL's origin, to a challenge made for this person and purpose. False for
   * anything else (never throws for what a client sends), so callers answer their own plain failure.
   * The challenge is used up either way; a success records the new counter and when it was used.
   */
  async verifyAssertion(userId: string, assertion: PasskeyAssertion, purpose: Exclude<ChallengePurpose, 'register'>): Promise<boolean> {
    const challenge = await this.take(userId, assertion.response.clientDataJSON, purpose);
    if (!challenge) return false;
    const [row] = await this.dataSource.query<PasskeyRow[]>(`SELECT ${COLUMNS} FROM passkeys WHERE credential_id = $1 AND user_id = $2`, [assertion.id, userId]);
    if (!row) return false;
    const { rpID, origin } = this.relyingParty;
    const verification = await (await webAuthn()).verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: { id: row.credential_id, publicKey: new Uint8Array(row.public_key), counter: Number(row.counter), transports: row.transports },
    }).catch(() => null);
    if (!verification?.verified) return false;
    // Conditional on the counter read: two uses racing with one cloned key cannot both move it.
    const [updated] = await this.dataSource.query<unknown[]>(
      `WITH used AS (UPDATE passkeys SET counter = $3, backed_up = $4, last_used_at = now() WHERE id = $1 AND counter = $2 RETURNING 1) SELECT 1 FROM used`,
      [row.id, row.counter, verification.authenticationInfo.newCounter, verification.authenticationInfo.credentialBackedUp],
    );
    return updated !== undefined;
  }
}
