import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import { NOW } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const TOKEN_ID = 'd1b2c3d4-0000-4000-8000-000000000001';
const token = { id: TOKEN_ID, name: 'CI evidence upload', scope: 'read' as const, prefix: 'hoh_pat_ab12', createdAt: NOW, expiresAt: null, lastUsedAt: null };

describe('API tokens', () => {
  it('creates a read token with an expiry, shows the secret once, lists and revokes', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      'GET /api/v1/auth/tokens': [
        { status: 200, body: { items: [], nextCursor: null } },
        { status: 200, body: { items: [token], nextCursor: null } },
      ],
      'POST /api/v1/auth/tokens': { status: 201, body: { ...token, token: 'hoh_pat_ab12secretsecret' } },
      [`DELETE /api/v1/auth/tokens/${TOKEN_ID}`]: { status: 204 },
    });
    renderApp('/account/api-tokens');
    expect(await screen.findByText(/You have no API tokens/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByText(/Name the token after where it will be used/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'CI evidence upload' } });
    fireEvent.change(screen.getByLabelText('Expires on (optional)'), { target: { value: '2099-01-31' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect((await screen.findByTestId('token-secret')).textContent).toBe('hoh_pat_ab12secretsecret');
    const body = JSON.parse(calls.find((c) => c.method === 'POST')?.init?.body as string) as Record<string, string>;
    expect(body).toEqual({ name: 'CI evidence upload', scope: 'read', expiresAt: '2099-01-31T23:59:59.000Z' });

    fireEvent.click(await screen.findByRole('button', { name: 'Revoke CI evidence upload' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
  });
});
