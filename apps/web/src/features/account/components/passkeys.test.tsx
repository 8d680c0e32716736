import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const PASSKEY = { id: '33333333-3333-4333-8333-333333333333', name: 'Work laptop', createdAt: '2026-12-01T09:00:00Z', lastUsedAt: null, backedUp: false, transports: ['internal'] };

describe('email confirmation banner', () => {
  it('asks an unconfirmed account to confirm its address and sends a new link on request', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe({ emailVerified: false }) },
      'GET /api/v1/auth/sessions': { status: 200, body: { items: [] } },
      'GET /api/v1/auth/passkeys': { status: 200, body: { items: [] } },
      'POST /api/v1/auth/email-verification': { status: 202, body: { email: 'ciso@example.org', message: 'We have emailed a new confirmation link to ciso@example.org.' } },
    });
    renderApp('/account');
    const banner = (await screen.findByText('Please confirm your email address')).closest('.alert') as HTMLElement;
    expect(within(banner).getByText('ciso@example.org')).toBeTruthy();
    fireEvent.click(within(banner).getByRole('button', { name: 'Email me a new confirmation link' }));
    expect(await within(banner).findByText('We have emailed a new confirmation link to ciso@example.org.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/api/v1/auth/email-verification'))).toBe(true);
  });

  it('is not shown once the address is confirmed', async () => {
    stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      'GET /api/v1/auth/sessions': { status: 200, body: { items: [] } },
      'GET /api/v1/auth/passkeys': { status: 200, body: { items: [] } },
    });
    renderApp('/account');
    await screen.findByRole('heading', { name: 'Passkeys' });
    expect(screen.queryByText('Please confirm your email address')).toBeNull();
  });
});

describe('passkeys on the account page', () => {
  it('lists passkeys and removes one after the password is given', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      'GET /api/v1/auth/sessions': { status: 200, body: { items: [] } },
      'GET /api/v1/auth/passkeys': [{ status: 200, body: { items: [PASSKEY] } }, { status: 200, body: { items: [] } }],
      [`POST /api/v1/auth/passkeys/${PASSKEY.id}/remove`]: { status: 204 },
    });
    renderApp('/account');
    const table = await screen.findByRole('table', { name: 'Your passkeys' });
    expect(within(table).getByText('Work laptop')).toBeTruthy();
    expect(within(table).getByText('Never')).toBeTruthy();
    fireEvent.click(within(table).getByRole('button', { name: 'Remove the passkey Work laptop' }));
    fireEvent.change(within(table).getByLabelText('Your password'), { target: { value: 'my passphrase' } });
    fireEvent.click(within(table).getByRole('button', { name: 'Remove with my password' }));
    expect(await screen.findByText('You have no passkey yet.')).toBeTruthy();
    const removal = calls.find((c) => c.method === 'POST' && c.path.endsWith('/remove'));
    expect(JSON.parse(removal?.init?.body as string)).toEqual({ password: 'my passphrase' });
    await waitFor(() => expect(screen.queryByRole('table', { name: 'Your passkeys' })).toBeNull());
  });
});
