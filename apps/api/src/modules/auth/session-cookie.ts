import type { FastifyReply, FastifyRequest } from 'fastify';

const SECURE_NAME = '__Host-hoh_session';
const PLAIN_NAME = 'hoh_session';

// __Host- cookies must be Secure, so plain-http localhost uses the unprefixed name (docs/API.md §2.1).
const isSecure = (request: FastifyRequest) => request.protocol === 'https';

export function readSessionCookie(request: FastifyRequest): string | undefined {
  const cookies = request.cookies;
  return cookies[SECURE_NAME] ?? cookies[PLAIN_NAME];
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  const secure = isSecure(request);
  void reply.setCookie(secure ? SECURE_NAME : PLAIN_NAME, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const secure = isSecure(request);
  void reply.clearCookie(secure ? SECURE_NAME : PLAIN_NAME, { path: '/', httpOnly: true, sameSite: 'strict', secure });
}
