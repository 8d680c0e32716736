import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch, unauthenticated } from '@/testing/fetch-stub';
import { ORG_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const TOKEN = 'hoh_inv_abcdefghijklmnop';
const PREVIEW = `GET /api/v1/invitations/${TOKEN}`;
const preview = (email = 'ada@example.org') => ({
  status: 200,
  body: { organisationName: 'Northwind Social', role: 'auditor', inviterName: 'Alex Morgan', email, expiresAt: '2026-12-05T09:30:00.000Z' },
});
const accepted = {
  organisationId: ORG_ID,
  role: 'auditor',
  accountCreated: true,
  me: { ...aMe(), user: { id: '7c0f5c8e-3f0a-4c6e-9d5e-1a2b3c4d5e6f', email: 'ada@example.org', name: 'Ada Auditor' } },
};
const bodyOf = (init: RequestInit | undefined) => JSON.parse(init?.body as string) as unknown;

describe('the invitation page', { timeout: 20_000 }, () => {
  it('says which organisation, role, inviter and expiry the link is for before anything is typed', async () => {
    stubFetch({ 'GET /api/v1/auth/me': unauthenticated, [PREVIEW]: preview() });
    renderApp(`/invitations/${TOKEN}`);
    expect(await screen.findByRole('heading', { name: 'Join Northwind Social', level: 1 })).toBeTruthy();
    const facts = screen.getByTestId('invitation-facts');
    expect(within(facts).getByText('Northwind Social')).toBeTruthy();
    expect(within(facts).getByText(/Auditor \(read-only\): reads everything/)).toBeTruthy();
    expect(within(facts).getByText('Alex Morgan')).toBeTruthy();
    expect(within(facts).getByText(new Date('2026-12-05T09:30:00.000Z').toLocaleString()).getAttribute('datetime')).toBe('2026-12-05T09:30:00.000Z');
    expect(screen.getByText(/Alex Morgan invites you to join/)).toBeTruthy();
  });

  it('fills in the invited email and fixes it; the account is created with that address', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      [PREVIEW]: preview(),
      [`POST /api/v1/invitations/${TOKEN}/accept`]: { status: 200, body: accepted },
      [`GET /api/v1/orgs/${ORG_ID}/dashboard`]: { status: 404, body: anEnvelope('NOT_FOUND', 'Not found') },
    });
    const { router } = renderApp(`/invitations/${TOKEN}`);
    const email = await screen.findByLabelText<HTMLInputElement>('Email');
    expect(email.value).toBe('ada@example.org');
    expect(email.readOnly).toBe(true);
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Ada Auditor' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long passphrase here' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account and join' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(bodyOf(calls.find((c) => c.method === 'POST')?.init)).toEqual({ name: 'Ada Auditor', email: 'ada@example.org', password: 'a long passphrase here' });
  });

  it('signed in as another address: says so and offers signing out, not a join that would be refused', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 200, body: aMe() }, [PREVIEW]: preview('ada@example.org') });
    renderApp(`/invitations/${TOKEN}`);
    expect(await screen.findByText('Signed in as someone else')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Join/ })).toBeNull();
  });

  it('an unknown, expired or withdrawn link says what to do and shows no form', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      [PREVIEW]: { status: 404, body: anEnvelope('NOT_FOUND', 'This invitation link is unknown, expired or withdrawn. Ask an owner of the organisation to invite you again.') },
    });
    renderApp(`/invitations/${TOKEN}`);
    expect(await screen.findByText(/Ask an owner of the organisation to invite you again/)).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
    expect(screen.queryByRole('button', { name: /join/i })).toBeNull();
  });
});
