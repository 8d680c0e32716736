import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { ApiTokenScope, AuthMethod, Permission, Role } from '@hoh/contracts';

import { TenantTransactionInterceptor } from '../../database/tenant-context.js';

export const ACCESS_KEY = 'hoh:access';

/**
 * Every route declares who may call it; the guard denies a route that declares nothing, and a test
 * lists the routes to prove none is missing.
 */
export type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'organisation'; permission: Permission };

export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies Access);
export const Authenticated = () => SetMetadata(ACCESS_KEY, { kind: 'authenticated' } satisfies Access);
/**
 * An `/orgs/:orgId/...` route: membership of orgId (else 404), then the permission (else 403); the
 * handler then runs in the organisation's tenant transaction (runAsMember, database/tenant-context.ts).
 */
export const OrgAccess = (permission: Permission) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'organisation', permission } satisfies Access),
    UseInterceptors(TenantTransactionInterceptor),
  );

export interface AuthContext {
  userId: string;
  /** Present for cookie sessions; undefined for bearer tokens (which need no CSRF). */
  sessionTokenHash?: Buffer;
  csrfToken?: string;
  /** Cookie sessions: how the session was signed in (what an owner's second-factor policy reads). */
  authMethods?: readonly AuthMethod[];
  /** Cookie sessions signed in through an organisation's single sign-on: that organisation (its sso-mfa counts only there). */
  ssoOrganisationId?: string | null;
  /**
   * Present for bearer API tokens: which token, whether it may write, and whether the session that
   * created it had a second factor (a token counts as its creator's session did).
   */
  apiToken?: { id: string; scope: ApiTokenScope; secondFactor: boolean };
}

export interface MemberContext {
  organisationId: string;
  userId: string;
  role: Role;
  accountableIndividual: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
    member?: MemberContext;
  }
}

export const CurrentAuth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = ctx.switchToHttp().getRequest<FastifyRequest>().auth;
  if (!auth) throw new Error('CurrentAuth used on a route that is not authenticated');
  return auth;
});

export const CurrentMember = createParamDecorator((_: unknown, ctx: ExecutionContext): MemberContext => {
  const member = ctx.switchToHttp().getRequest<FastifyRequest>().member;
  if (!member) throw new Error('CurrentMember used on a route without @OrgAccess');
  return member;
});
