import type { MeResponse } from '@hoh/contracts';

import { baseUrl } from './browser.js';

/**
 * A member signed in through the API with their own cookie and CSRF token, so a browser spec can
 * build its data without a browser. JSON bodies, or FormData for uploads.
 */
export class ApiMember {
  private cookie = '';
  private csrf = '';

  /** Signs a new person up with their own organisation, as the sign-up form would; this member is then signed in as them. */
  signUp(who: { name: string; email: string; password: string; organisation: string }): Promise<MeResponse> {
    return this.call<MeResponse>('POST', '/api/v1/auth/sign-up', { name: who.name, email: who.email, password: who.password, organisationName: who.organisation });
  }

  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const isForm = body instanceof FormData;
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${String(res.status)}: ${text}`);
    const json: unknown = text ? JSON.parse(text) : undefined;
    const set = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0] ?? '')
      .filter((c) => c.includes('='));
    if (set.length > 0) this.cookie = set.join('; ');
    // Sign-up answers with the MeResponse; accepting an invitation nests it under `me`.
    const me = json && typeof json === 'object' ? ('csrfToken' in json ? (json as MeResponse) : (json as { me?: MeResponse }).me) : undefined;
    if (me) this.csrf = me.csrfToken;
    return json as T;
  }
}
