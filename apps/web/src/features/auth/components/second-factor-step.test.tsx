import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch, unauthenticated } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const CHALLENGE = `hoh_chl_${'A'.repeat(43)}`;
const challengeBody = { secondFactorRequired: true, challenge: CHALLENGE, methods: ['totp', 'recovery-code'], expiresAt: '2026-12-08T03:05:00.000Z' };

async function passwordStep() {
  fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'ciso@example.org' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse battery staple' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('the second step of a sign-in (docs/PRODUCT.md §2.7)', () => {
  it('asks for the code after a right password and signs in with it', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': { status: 200, body: challengeBody },
      'POST /api/v1/auth/sign-in/second-factor': { status: 200, body: aMe() },
    });
    renderApp('/sign-in');
    await passwordStep();

    fireEvent.change(await screen.findByLabelText('Authentication code'), { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    const step = calls.find((c) => c.path === '/api/v1/auth/sign-in/second-factor');
    expect(JSON.parse(step?.init?.body as string)).toEqual({ challenge: CHALLENGE, totp: '123456' });
  });

  it('switches to a recovery code, and shows a wrong code as the server words it', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': { status: 200, body: challengeBody },
      'POST /api/v1/auth/sign-in/second-factor': { status: 401, body: anEnvelope('UNAUTHENTICATED', 'That code or passkey is not right, or was used already.') },
    });
    renderApp('/sign-in');
    await passwordStep();

    fireEvent.click(await screen.findByRole('button', { name: 'Lost your phone? Use a recovery code' }));
    fireEvent.change(screen.getByLabelText('Recovery code'), { target: { value: 'ABCDE-FGHIJ-KLMNO-PQRST' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    expect((await screen.findByRole('alert')).textContent).toContain('not right, or was used already');
    const step = calls.find((c) => c.path === '/api/v1/auth/sign-in/second-factor');
    expect(JSON.parse(step?.init?.body as string)).toEqual({ challenge: CHALLENGE, recoveryCode: 'abcdefghijklmnopqrst' });
  });
});
