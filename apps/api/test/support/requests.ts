import type { SignedInUser } from './session.js';
import type { TestApp } from './test-app.js';

/** Request helpers that attach what a browser would: the session cookie and, on writes, the CSRF token. */
export function as(t: TestApp, user: SignedInUser) {
  return {
    get: (url: string) => t.http().get(url).set('Cookie', user.cookie),
    post: (url: string) => t.http().post(url).set('Cookie', user.cookie).set('X-CSRF-Token', user.csrf),
    put: (url: string) => t.http().put(url).set('Cookie', user.cookie).set('X-CSRF-Token', user.csrf),
    patch: (url: string) => t.http().patch(url).set('Cookie', user.cookie).set('X-CSRF-Token', user.csrf),
    delete: (url: string) => t.http().delete(url).set('Cookie', user.cookie).set('X-CSRF-Token', user.csrf),
  };
}

export const orgOf = (user: SignedInUser) => user.me.memberships[0]!.organisationId;
