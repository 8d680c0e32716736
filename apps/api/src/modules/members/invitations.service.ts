import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  type AcceptInvitationRequest,
  type AcceptInvitationResponse,
  type CreateInvitationRequest,
  type CreateInvitationResponse,
  INVITATION_TOKEN_PREFIX,
  type Invitation,
  type InvitationDelivery,
  type InvitationPage,
  type InvitationPreview,
  type Role,
} from '@hoh/contracts';

import { AppError, notFound } from '../../common/app-error.js';
import type { AuthContext, MemberContext } from '../../common/auth/access.decorators.js';
import { AppConfig } from '../../config/app-config.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { AuthService } from '../auth/auth.service.js';
import { decodeCursor, encodeCursor } from '../../common/keyset-cursor.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { SessionService } from '../auth/session.service.js';
import { ThrottleService } from '../auth/throttle.service.js';
import { LINK_PLACEHOLDER } from '../mail/mail-render.js';
import { OutboxWriter } from '../mail/outbox-writer.js';
import { lockMembership } from './members.service.js';

interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
}

interface DeliveryRow {
  mail_attempts: number | null;
  mail_sent_at: Date | null;
  mail_parked_at: Date | null;
  mail_error: string | null;
}

interface LookupRow {
  organisation_id: string;
  invitation_id: string;
  email: string;
  role: Role;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest();
const TOKEN_SHAPE = new RegExp(`^${INVITATION_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);
const acceptPathOf = (token: string) => `/api/v1/invitations/${token}/accept`;
/** The web page that opens an invitation (apps/web paths.acceptInvitation). */
const invitationPathOf = (token: string) => `/invitations/${token}`;

const GONE = 'This invitation link is unknown, expired or withdrawn. Ask an owner of the organisation to invite you again.';

const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.id,
  email: r.email,
  role: r.role,
  invitedBy: r.invited_by,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});

/** Null when no mail row is found (purged after delivery by housekeeping, or an invitation from before mail was sent). */
const toDelivery = (r: DeliveryRow): InvitationDelivery | null =>
  r.mail_attempts === null
    ? null
    : {
        status: r.mail_sent_at ? 'sent' : r.mail_parked_at ? 'failed' : 'queued',
        attempts: r.mail_attempts,
        lastError: r.mail_sent_at ? null : r.mail_error,
        sentAt: r.mail_sent_at?.toISOString() ?? null,
      };

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e.code ?? e.driverError?.code) === '23505';
}

/**
 * Invitations: single-use, expiring, stored as the SHA-256 of a 256-bit token. Unknown, expired and
 * withdrawn tokens answer 404; an invitation already used answers 409 INVALID_STATE, so the person
 * who used it learns to sign in instead.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: ThrottleService,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(input: CreateInvitationRequest): Promise<CreateInvitationResponse> {
    const { organisationId, userId } = currentMember();
    const manager = tenantManager();
    await lockMembership(manager, organisationId);
    const member: unknown[] = await manager.query(
      'SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 AND u.email = $2',
      [organisationId, input.email],
    );
    if (member.length > 0) {
      throw new AppError(
        'INVALID_STATE',
        `${input.email} is already a member. Change their role with PATCH /api/v1/orgs/{orgId}/members/{userId} instead.`,
      );
    }
    const pending: { id: string }[] = await manager.query(
      `SELECT id FROM invitations WHERE organisation_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
      [organisationId, input.email],
    );
    if (pending[0]) {
      throw new AppError(
        'INVALID_STATE',
        `${input.email} already has a pending invitation (${pending[0].id}). Withdraw it with DELETE /api/v1/orgs/{orgId}/invitations/${pending[0].id}, then invite again for a new link.`,
      );
    }

    const token = `${INVITATION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const rows: InvitationRow[] = await manager.query(
      `INSERT INTO invitations (organisation_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6))
       RETURNING id, email, role, invited_by, created_at, expires_at`,
      [organisationId, input.email, input.role, hashToken(token), userId, this.config.env.INVITATION_TTL_DAYS],
    );
    const invitation = toInvitation(rows[0]!);
    await this.recordMessage(manager, organisationId, userId, invitation, token);
    await this.audit.append({
      action: 'invitation.created',
      entityType: 'invitation',
      entityId: invitation.id,
      data: { email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt },
    });
    return { ...invitation, token, acceptPath: acceptPathOf(token) };
  }

  /**
   * The invitation mail, written to the organisation's outbox in the same transaction (mail-sender.ts
   * sends it). The body keeps a placeholder and the link is sealed by the keyring under this row:
   * whoever can read the table still cannot join with it (docs/SECURITY.md, "Mail and secrets").
   */
  private async recordMessage(manager: EntityManager, organisationId: string, inviterId: string, invitation: Invitation, token: string): Promise<void> {
    const [context] = await manager.query<{ organisation_name: string; inviter_name: string }[]>(
      `SELECT o.name AS organisation_name, u.name AS inviter_name FROM organisations o, users u WHERE o.organisation_id = $1 AND u.id = $2`,
      [organisationId, inviterId],
    );
    const organisationName = context?.organisation_name ?? 'an organisation';
    const inviterName = context?.inviter_name ?? 'An owner';
    const body = [
      `${inviterName} has invited you to join ${organisationName} on Hand on Heart as ${invitation.role}.`,
      '',
      `Accept the invitation here: ${LINK_PLACEHOLDER}`,
      `The link works once and expires on ${invitation.expiresAt.slice(0, 10)}. If you did not expect this, ignore it.`,
    ].join('\n');
    await this.outbox.organisationMail(manager, organisationId, {
      kind: 'invitation',
      recipient: invitation.email,
      subject: `You are invited to join ${organisationName} on Hand on Heart`,
      body,
      linkPath: invitationPathOf(token),
      data: { invitationId: invitation.id, role: invitation.role, expiresAt: invitation.expiresAt },
    });
  }

  /** Pending invitations: not accepted, not withdrawn, not expired; each with how its email fared. */
  async list(limit: number, cursor: string | undefined): Promise<InvitationPage> {
    const { organisationId } = currentMember();
    const after = decodeCursor(cursor);
    const rows: (InvitationRow & DeliveryRow & { created_key: string })[] = await tenantManager().query(
      `SELECT i.id, i.email, i.role, i.invited_by, i.created_at, i.created_at::text AS created_key, i.expires_at,
              m.attempts AS mail_attempts, m.sent_at AS mail_sent_at, m.parked_at AS mail_parked_at, m.last_error AS mail_error
       FROM invitations i
       LEFT JOIN LATERAL (
         SELECT o.attempts, o.sent_at, o.parked_at, o.last_error FROM outbox o
         WHERE o.organisation_id = i.organisation_id AND o.kind = 'invitation' AND o.data->>'invitationId' = i.id::text
         ORDER BY o.created_at DESC LIMIT 1) m ON true
       WHERE i.organisation_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
         AND ($2::timestamptz IS NULL OR (i.created_at, i.id::text) > ($2::timestamptz, $3::text))
       ORDER BY i.created_at, i.id LIMIT $4`,
      [organisationId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ ...toInvitation(r), delivery: toDelivery(r) })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_key, last.id) : null,
    };
  }

  async revoke(invitationId: string): Promise<void> {
    const { organisationId } = currentMember();
    const manager = tenantManager();
    await lockMembership(manager, organisationId);
    const rows: { accepted_at: Date | null; revoked_at: Date | null }[] = await manager.query(
      'SELECT accepted_at, revoked_at FROM invitations WHERE organisation_id = $1 AND id = $2 FOR UPDATE',
      [organisationId, invitationId],
    );
    const row = rows[0];
    if (!row || row.revoked_at) throw notFound('invitation');
    if (row.accepted_at) {
      throw new AppError(
        'INVALID_STATE',
        'This invitation was already accepted. To take the access away, remove the member (DELETE …/members/{userId}).',
      );
    }
    await manager.query('UPDATE invitations SET revoked_at = now() WHERE organisation_id = $1 AND id = $2', [organisationId, invitationId]);
    await this.audit.append({ action: 'invitation.revoked', entityType: 'invitation', entityId: invitationId, data: {} });
  }

  /**
   * Signed in (cookie or read_write token): the caller joins. Not signed in: name, email and password
   * create the account, join and return a session token for the cookie.
   */
  async accept(
    token: string,
    caller: AuthContext | null,
    body: AcceptInvitationRequest,
    ip: string,
  ): Promise<{ response: AcceptInvitationResponse; sessionToken?: string }> {
    if (caller) {
      const invitation = await this.lookup(token);
      const [user] = await this.dataSource.query<{ email: string; email_verified_at: Date | null }[]>('SELECT email, email_verified_at FROM users WHERE id = $1', [
        caller.userId,
      ]);
      this.requireInvitedAddress(
        invitation,
        user?.email,
        'You are signed in as a different address than the one invited. Sign in as the invited address, or ask the owner to invite this one.',
      );
      // An existing account joins another organisation by its address only once that address is
      // confirmed (docs/PRODUCT.md §2.5): otherwise whoever registered someone else's address first
      // would be let in when that person is invited.
      if (!user?.email_verified_at) {
        throw new AppError(
          'EMAIL_NOT_VERIFIED',
          `Confirm ${user?.email ?? 'your address'} first: open the confirmation link we emailed you (or send a new one from the banner at the top of the page), then open this invitation again.`,
        );
      }
      await this.dataSource.transaction((m) => this.join(m, invitation, caller.userId, false));
      const me = await this.auth.me(caller.userId, caller.csrfToken ?? '');
      return { response: { organisationId: invitation.organisation_id, role: invitation.role, accountCreated: false, me } };
    }

    const missing = (['name', 'email', 'password'] as const).filter((k) => body[k] === undefined);
    if (missing.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Sign in first to accept with your existing account, or send name, email and password to create one.',
        {
          details: missing.map((path) => ({ path, message: `Enter your ${path}` })),
        },
      );
    }
    // Creating an account is throttled like sign-up, and before the token or the password is looked at.
    await this.throttle.consume(this.throttle.signUpRules(ip));
    const invitation = await this.lookup(token);
    this.requireInvitedAddress(invitation, body.email, 'This invitation was sent to a different address. Use the address it was sent to.');
    const taken: unknown[] = await this.dataSource.query('SELECT 1 FROM users WHERE email = $1', [body.email]);
    const emailInUse = new AppError(
      'EMAIL_IN_USE',
      'An account with this email already exists. Sign in first, then open the invitation link again to join.',
    );
    if (taken.length > 0) throw emailInUse;

    const passwordHash = await this.hasher.hash(body.password!);
    const userId = await this.dataSource
      .transaction(async (m) => {
        const [created] = await m.query<{ id: string }[]>(
          // The invitation was mailed to this address and its link came back: that confirms it.
          'INSERT INTO users (email, name, password_hash, email_verified_at) VALUES ($1, $2, $3, now()) RETURNING id',
          [body.email, body.name, passwordHash],
        );
        await this.join(m, invitation, created!.id, true);
        return created!.id;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw emailInUse;
        throw error;
      });
    const { token: sessionToken, session } = await this.sessions.create(userId);
    const me = await this.auth.me(userId, session.csrfToken);
    return { response: { organisationId: invitation.organisation_id, role: invitation.role, accountCreated: true, me }, sessionToken };
  }

  /**
   * What the link holder sees before accepting. The same lookup as accepting (so the same 404 and
   * 409 answers), then, inside the invited organisation's tenant only (row-level security), its name
   * and the inviter's: nothing about any other organisation can be read through a token.
   */
  async preview(token: string): Promise<InvitationPreview> {
    const invitation = await this.lookup(token);
    const [row] = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('app.org_id', $1, true)`, [invitation.organisation_id]);
      return m.query<{ organisation_name: string; inviter_name: string | null }[]>(
        `SELECT o.name AS organisation_name, u.name AS inviter_name
         FROM invitations i JOIN organisations o ON o.organisation_id = i.organisation_id LEFT JOIN users u ON u.id = i.invited_by
         WHERE i.organisation_id = $1 AND i.id = $2`,
        [invitation.organisation_id, invitation.invitation_id],
      );
    });
    // Withdrawn or the organisation deleted between the two reads: the link no longer leads anywhere.
    if (!row) throw new AppError('NOT_FOUND', GONE);
    return {
      organisationName: row.organisation_name,
      role: invitation.role,
      inviterName: row.inviter_name,
      email: invitation.email,
      expiresAt: invitation.expires_at.toISOString(),
    };
  }

  /** The one cross-organisation read: a SECURITY DEFINER function returning the row for this token's hash. */
  private async lookup(token: string): Promise<LookupRow> {
    if (!TOKEN_SHAPE.test(token)) throw new AppError('NOT_FOUND', GONE);
    const rows: LookupRow[] = await this.dataSource.query('SELECT * FROM hoh_invitation_by_token($1)', [hashToken(token)]);
    const row = rows[0];
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now()) throw new AppError('NOT_FOUND', GONE);
    if (row.accepted_at) {
      throw new AppError(
        'INVALID_STATE',
        'This invitation has already been used; each link works once. Sign in to reach the organisation, or ask an owner for a new invitation.',
      );
    }
    return row;
  }

  private requireInvitedAddress(invitation: LookupRow, email: string | undefined, message: string): void {
    if (email !== invitation.email) throw new AppError('FORBIDDEN', message);
  }

  /** Inside the invited organisation's tenant transaction: use the invitation once, add the member, audit. */
  private async join(manager: EntityManager, invitation: LookupRow, userId: string, accountCreated: boolean): Promise<void> {
    const organisationId = invitation.organisation_id;
    await manager.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
    await lockMembership(manager, organisationId);
    const existing: { role: Role }[] = await manager.query('SELECT role FROM memberships WHERE organisation_id = $1 AND user_id = $2', [
      organisationId,
      userId,
    ]);
    if (existing[0]) {
      throw new AppError(
        'INVALID_STATE',
        `You are already a member of this organisation (as ${existing[0].role}); the invitation was left unused. Ask an owner to change your role if needed.`,
      );
    }
    // Conditional on still being unused and unexpired, so two simultaneous accepts cannot both win.
    const used: { id: string }[] = await manager.query(
      `WITH used AS (
         UPDATE invitations SET accepted_at = now(), accepted_by = $3
         WHERE organisation_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
         RETURNING id)
       SELECT id FROM used`,
      [organisationId, invitation.invitation_id, userId],
    );
    if (used.length === 0) {
      throw new AppError(
        'INVALID_STATE',
        'This invitation has already been used; each link works once. Sign in to reach the organisation, or ask an owner for a new invitation.',
      );
    }
    await manager.query(`INSERT INTO memberships (organisation_id, user_id, role, accountable_individual) VALUES ($1, $2, $3, false)`, [
      organisationId,
      userId,
      invitation.role,
    ]);
    const actor: MemberContext = { organisationId, userId, role: invitation.role, accountableIndividual: false };
    await this.audit.append(
      {
        action: 'invitation.accepted',
        entityType: 'membership',
        entityId: userId,
        data: { invitationId: invitation.invitation_id, role: invitation.role, accountCreated },
      },
      manager,
      actor,
    );
  }
}
