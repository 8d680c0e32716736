import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { MeResponse, Membership, SecondFactorChallenge, SignInRequest, SignUpRequest } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { MembershipEntity } from '../organisations/entities/membership.entity.js';
import { OrganisationEntity } from '../organisations/entities/organisation.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.js';
import { SecondFactorVerifiers } from './second-factor/second-factor-verifiers.js';
import { SignInChallengeService } from './second-factor/sign-in-challenge.service.js';
import { SessionService } from './session.service.js';
import { ThrottleService } from './throttle.service.js';
import { EmailVerificationService } from './verification/email-verification.service.js';

const BAD_CREDENTIALS = 'Email or password is incorrect. Check both and try again.';

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: ThrottleService,
    private readonly verification: EmailVerificationService,
    private readonly secondFactors: SecondFactorVerifiers,
    private readonly challenges: SignInChallengeService,
  ) {}

  /** Creates the user, their organisation and the owner membership in one transaction. */
  async signUp(input: SignUpRequest, ip: string, userAgent: string | null = null): Promise<{ token: string; me: MeResponse }> {
    // Before hashing: each attempt costs argon2, and EMAIL_IN_USE below reveals registered addresses.
    await this.throttle.consume(this.throttle.signUpRules(ip));
    const passwordHash = await this.hasher.hash(input.password);
    const organisationId = randomUUID();
    const user = await this.dataSource.transaction(async (m) => {
      const taken = await m.getRepository(UserEntity).exists({ where: { email: input.email } });
      if (taken) throw new AppError('EMAIL_IN_USE', 'An account with this email already exists. Sign in instead, or use another address.');
      const created = await m.getRepository(UserEntity).save(m.getRepository(UserEntity).create({ email: input.email, name: input.name, passwordHash }));
      await m.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
      await m.getRepository(OrganisationEntity).insert({ organisationId, name: input.organisationName });
      await m.getRepository(MembershipEntity).insert({ organisationId, userId: created.id, role: 'owner', accountableIndividual: true });
      // The confirmation link is mailed with the account, in its transaction (docs/PRODUCT.md §2.5).
      await this.verification.issue(m, created);
      return created;
    });
    this.verification.kick();
    const { token, session } = await this.sessions.create(user.id, userAgent);
    return { token, me: await this.me(user.id, session.csrfToken) };
  }

  /**
   * A right password signs in, unless the account has a second factor: then it answers a challenge
   * (no session yet) that POST /auth/sign-in/second-factor completes (docs/PRODUCT.md §2.7).
   */
  async signIn(input: SignInRequest, ip: string, userAgent: string | null = null): Promise<{ token: string; me: MeResponse } | { challenge: SecondFactorChallenge }> {
    // Counted before the user lookup and the hash: a throttled answer is the same, and as fast, for
    // a registered address as for an unknown one, and costs no argon2.
    const rules = this.throttle.signInRules(input.email, ip);
    await this.throttle.consume(rules);
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: input.email })
      .getOne();
    const ok = await this.hasher.verify(user?.passwordHash, input.password);
    if (!user || !ok) throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS);
    await this.throttle.succeeded(rules);
    const methods = await this.secondFactors.methodsOf(user.id);
    if (methods.length > 0) return { challenge: await this.challenges.open(user.id, userAgent, methods) };
    // A fresh session id on every sign-in (no fixation); older sessions stay until they expire or sign out.
    const { token, session } = await this.sessions.create(user.id, userAgent);
    // The user row is in hand: reading it again would be one more round trip on every sign-in.
    return { token, me: await this.me(user.id, session.csrfToken, user) };
  }

  async me(userId: string, csrfToken: string, known?: UserEntity): Promise<MeResponse> {
    const user = known ?? (await this.dataSource.getRepository(UserEntity).findOne({ where: { id: userId } }));
    if (!user) throw new AppError('UNAUTHENTICATED', 'Your account no longer exists. Sign up again or ask your organisation owner.');
    const rows: { organisation_id: string; organisation_name: string; role: Membership['role']; accountable_individual: boolean }[] =
      await this.dataSource.query('SELECT * FROM hoh_memberships_of($1)', [userId]);
    return {
      user: { id: user.id, email: user.email, name: user.name },
      memberships: rows.map((r) => ({
        organisationId: r.organisation_id,
        organisationName: r.organisation_name,
        role: r.role,
        accountableIndividual: r.accountable_individual,
      })),
      emailVerified: user.emailVerifiedAt !== null && user.emailVerifiedAt !== undefined,
      csrfToken,
    };
  }
}
