import type { MeResponse, SignUpRequest } from '@hoh/contracts';

import { SignUpFactory } from '../factories/user.factory.js';
import type { TestApp } from './test-app.js';

export interface SignedInUser {
  cookie: string;
  csrf: string;
  me: MeResponse;
  credentials: SignUpRequest;
}

export function sessionCookieFrom(setCookie: string | string[] | undefined): string {
  const first = (Array.isArray(setCookie) ? setCookie : [setCookie ?? '']).find((c) => c.includes('hoh_session='));
  if (!first) throw new Error('no session cookie was set');
  return first.split(';')[0]!;
}

/** Signs up a new person with their own organisation and returns what a browser would hold. */
export async function signUp(t: TestApp, payload: SignUpRequest = SignUpFactory.new().build()): Promise<SignedInUser> {
  const res = await t.http().post('/api/v1/auth/sign-up').send(payload).expect(201);
  const me = res.body as MeResponse;
  return { cookie: sessionCookieFrom(res.headers['set-cookie']), csrf: me.csrfToken, me, credentials: payload };
}

/**
 * Signs up a person whose address is already confirmed, as if they had followed the mailed link:
 * accepting an invitation while signed in needs it (docs/PRODUCT.md §2.5).
 */
export async function signUpConfirmed(t: TestApp, payload: SignUpRequest = SignUpFactory.new().build()): Promise<SignedInUser> {
  const user = await signUp(t, payload);
  await t.ownerQuery('UPDATE users SET email_verified_at = now() WHERE id = $1', [user.me.user.id]);
  return { ...user, me: { ...user.me, emailVerified: true } };
}
