import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch, unauthenticated } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const SESSIONS = {
  items: [
    { id: '11111111-1111-4111-8111-111111111111', device: 'Firefox on Windows', createdAt: '2026-12-01T09:00:00Z', lastSeenAt: '2026-12-07T09:00:00Z', expiresAt: '2026-12-07T21:00:00Z', current: true },
    { id: '22222222-2222-4222-8222-222222222222', device: 'Safari on iPhone', createdAt: '2026-12-02T09:00:00Z', lastSeenAt: '2026-12-06T09:00:00Z', expiresAt: '2026-12-07T21:00:00Z', current: false },
  ],
};

describe('account page', () => {
  it('is reached from the signed-in name, lists sessions with their device and ends another one', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      'GET /api/v1/auth/sessions': [{ status: 200, body: SESSIONS }, { status: 200, body: { items: [SESSIONS.items[0]] } }],
      'DELETE /api/v1/auth/sessions/22222222-2222-4222-8222-222222222222': { status: 204 },
    });
    renderApp('/account');
    expect((await screen.findByRole('link', { name: /Alex Morgan/ })).getAttribute('href')).toBe('/account');
    const table = await screen.findByRole('table', { name: 'Your sign-in sessions' });
    expect(within(table).getByText('Firefox on Windows')).toBeTruthy();
    expect(within(table).getByText('(this browser)')).toBeTruthy();
    fireEvent.click(within(table).getByRole('button', { name: /End this session: Safari on iPhone/ }));
    await waitFor(() => expect(screen.queryByText('Safari on iPhone')).toBeNull());
    const ended = calls.find((c) => c.method === 'DELETE');
    expect(new Headers(ended?.init?.headers).get('X-CSRF-Token')).toBe('csrf-token-1');
  });

  it('puts a wrong current password beside its field', async () => {
    stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      'GET /api/v1/auth/sessions': { status: 200, body: SESSIONS },
      'POST /api/v1/auth/password': { status: 403, body: anEnvelope('REAUTH_FAILED', 'Your current password is not right.') },
    });
    renderApp('/account');
    fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: 'not it' } });
    fireEvent.change(screen.getByLabelText(/^New password/), { target: { value: 'a long new passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    const current = screen.getByLabelText('Current password');
    await waitFor(() => expect(current.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Your current password is not right.')).toBeTruthy();
  });
});

describe('password change', () => {
  it('says how many other sessions ended and empties the password fields', async () => {
    stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      'GET /api/v1/auth/sessions': { status: 200, body: SESSIONS },
      'POST /api/v1/auth/password': { status: 200, body: { endedSessions: 1 } },
    });
    renderApp('/account');
    fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: 'the old passphrase' } });
    fireEvent.change(screen.getByLabelText(/^New password/), { target: { value: 'a long new passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('1 other session ended; this one stays signed in.')).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Current password').value).toBe(''));
    expect(screen.getByLabelText<HTMLInputElement>(/^New password/).value).toBe('');
  });
});

describe('forgot and reset password pages', () => {
  it('asks for a link from the sign-in page and shows the server’s one answer', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/password-reset': { status: 202, body: { message: 'If an account uses this address, we have emailed it a link.' } },
    });
    renderApp('/sign-in');
    fireEvent.click(await screen.findByRole('link', { name: 'Forgot your password?' }));
    await screen.findByRole('heading', { name: 'Forgot your password?' });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ciso@example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Email me a reset link' }));
    expect(await screen.findByText('If an account uses this address, we have emailed it a link.')).toBeTruthy();
  });

  it('sets the new password with the token from the link’s fragment, then takes it out of the address bar', async () => {
    const { calls } = stubFetch({ 'POST /api/v1/auth/password-reset/confirm': { status: 204 } });
    window.history.replaceState(null, '', '/reset-password#token=hoh_rst_abc');
    renderApp('/reset-password#token=hoh_rst_abc');
    fireEvent.change(await screen.findByLabelText(/^New password/), { target: { value: 'a long new passphrase' } });
    expect(window.location.hash).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Set the new password' }));
    expect(await screen.findByText('Your password is changed')).toBeTruthy();
    expect(JSON.parse(calls[0]?.init?.body as string)).toEqual({ token: 'hoh_rst_abc', password: 'a long new passphrase' });
  });

  it('says a dead link does not work and offers a new one', async () => {
    stubFetch({
      'POST /api/v1/auth/password-reset/confirm': {
        status: 400,
        body: anEnvelope('VALIDATION_FAILED', 'This reset link is unknown, already used or expired.', [{ path: 'token', message: 'This reset link is unknown, already used or expired.' }]),
      },
    });
    window.history.replaceState(null, '', '/reset-password#token=hoh_rst_used');
    renderApp('/reset-password#token=hoh_rst_used');
    fireEvent.change(await screen.findByLabelText(/^New password/), { target: { value: 'a long new passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set the new password' }));
    expect(await screen.findByText('This reset link is unknown, already used or expired.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toBeTruthy();
  });
});
