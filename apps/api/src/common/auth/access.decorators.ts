import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export const ACCESS_KEY = 'hoh:access';

/**
 * Every route declares who may call it; the guard denies a route that declares nothing, and a test
 * lists the routes to prove none is missing. Organisation permissions arrive with the lifecycle API.
 */
export type Access = { kind: 'public' } | { kind: 'authenticated' };

export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies Access);
export const Authenticated = () => SetMetadata(ACCESS_KEY, { kind: 'authenticated' } satisfies Access);

export interface AuthContext {
  userId: string;
  /** Present for cookie sessions; undefined for bearer tokens (which need no CSRF). */
  sessionTokenHash?: Buffer;
  csrfToken?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

export const CurrentAuth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = ctx.switchToHttp().getRequest<FastifyRequest>().auth;
  if (!auth) throw new Error('CurrentAuth used on a route that is not @Authenticated');
  return auth;
});
