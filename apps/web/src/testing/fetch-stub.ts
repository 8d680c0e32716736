import type { MeResponse } from '@hoh/contracts';
import { vi } from 'vitest';

export type StubResponse =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'network-error';

type Handler = StubResponse | ((init: RequestInit | undefined) => StubResponse);

/** Keys are `METHOD /path`, e.g. `POST /api/v1/auth/sign-in`. */
export type Routes = Record<string, Handler | Handler[]>;

export interface FetchCall {
  method: string;
  path: string;
  init: RequestInit | undefined;
}

/** Requests the app shell makes on every screen (the notification bell), answered unless a test lists them. */
const AMBIENT: { pattern: RegExp; response: StubResponse }[] = [
  { pattern: /^GET \/api\/v1\/orgs\/[^/]+\/notifications$/, response: { status: 200, body: { items: [], nextCursor: null, unread: 0 } } },
  // The overview's "You vs peers" card reads its own route (docs/PRODUCT.md §16.4); unless a test lists it, the organisation does not take part.
  { pattern: /^GET \/api\/v1\/orgs\/[^/]+\/peers$/, response: { status: 200, body: { optedIn: false, reason: 'not_opted_in', you: null, cohort: null } } },
  // The sign-off form asks whether to offer an authenticator-code field (docs/PRODUCT.md §2.7); unless a test lists it, the person has no second factor.
  { pattern: /^GET \/api\/v1\/auth\/two-factor$/, response: { status: 200, body: { totp: { enabled: false, confirmedAt: null }, recoveryCodesLeft: 0, passkeys: 0, sessionHasSecondFactor: false } } },
];

/**
 * Replaces global fetch with a table-driven stub (MSW is not installed). An array of handlers
 * answers successive calls in order, then repeats the last; an unlisted route fails the test loudly.
 */
export function stubFetch(routes: Routes) {
  const counts = new Map<string, number>();
  const calls: FetchCall[] = [];
  const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const key = `${method} ${path}`;
    const listed = routes[key];
    // Ambient requests are the shell's, not the screen's: answered, but not counted among its calls.
    if (listed !== undefined || !AMBIENT.some((a) => a.pattern.test(key))) calls.push({ method, path, init });

    const entry = listed ?? AMBIENT.find((a) => a.pattern.test(key))?.response;
    if (entry === undefined) {
      return Promise.reject(new Error(`Unexpected request in test: ${key}. Add it to stubFetch().`));
    }
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    const handler = Array.isArray(entry) ? (entry[Math.min(n, entry.length - 1)] as Handler) : entry;
    const result = typeof handler === 'function' ? handler(init) : handler;
    if (result === 'network-error') {
      return Promise.reject(new TypeError('Failed to fetch'));
    }
    const body =
      result.body === undefined
        ? null
        : typeof result.body === 'string'
          ? result.body
          : JSON.stringify(result.body);
    return Promise.resolve(
      new Response(result.status === 204 ? null : body, {
        status: result.status,
        headers: { 'Content-Type': 'application/json', ...result.headers },
      }),
    );
  });
  vi.stubGlobal('fetch', fetchMock);
  return { fetchMock, calls };
}

export const aMe = (overrides?: Partial<MeResponse>): MeResponse => ({
  user: { id: '5b0f5c8e-3f0a-4c6e-9d5e-1a2b3c4d5e6f', email: 'ciso@example.org', name: 'Alex Morgan' },
  memberships: [
    {
      organisationId: '0d6b8a3c-2f1e-4b7a-9c8d-7e6f5a4b3c2d',
      organisationName: 'Northwind Social',
      role: 'owner',
      accountableIndividual: true,
    },
  ],
  emailVerified: true,
  csrfToken: 'csrf-token-1',
  ...overrides,
});

export const anEnvelope = (
  code: string,
  message: string,
  details?: { path: string; message: string }[],
) => ({ error: { code, message, ...(details ? { details } : {}), requestId: 'req-123' } });

export const unauthenticated: StubResponse = {
  status: 401,
  body: anEnvelope('UNAUTHENTICATED', 'Sign in to continue.'),
};
