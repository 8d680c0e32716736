import { describe, expect, it } from 'vitest';

import { apiClient } from '@/lib/api-client';
import { aMe, stubFetch } from '@/testing/fetch-stub';

import { getMe } from './get-me';

describe('getMe', () => {
  it('remembers the csrfToken from /auth/me and sends it on the next write', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe({ csrfToken: 'fresh-token' }) },
      'POST /api/v1/auth/sign-out': { status: 204 },
    });

    await getMe();
    await apiClient.post('/api/v1/auth/sign-out', undefined, null);

    expect(new Headers(calls[1]?.init?.headers).get('X-CSRF-Token')).toBe('fresh-token');
  });
});
