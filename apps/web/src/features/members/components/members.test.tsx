import type { Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch, unauthenticated } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { aMember, NOW, ORG_ID, OTHER_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;
const INVITATION_ID = 'c1b2c3d4-0000-4000-8000-000000000001';
const TOKEN = 'hoh_inv_abcdefghijklmnop';
const sam = aMember({ userId: OTHER_ID, name: 'Sam Patel', email: 'sam@example.org', role: 'assessor', accountableIndividual: false });
const invitation = { id: INVITATION_ID, email: 'auditor@example.org', role: 'auditor' as const, invitedBy: aMe().user.id, createdAt: NOW, expiresAt: '2026-12-05T09:30:00.000Z' };

function api(role: Membership['role'], extra: Routes = {}): Routes {
  const base = aMe();
  return {
    'GET /api/v1/auth/me': { status: 200, body: { ...base, memberships: [{ ...base.memberships[0]!, role }] } },
    [`GET ${org}/members`]: { status: 200, body: { items: [aMember(), sam], nextCursor: null } },
    [`GET ${org}/invitations`]: { status: 200, body: { items: [invitation], nextCursor: null } },
    ...extra,
  };
}

const bodyOf = (init: RequestInit | undefined) => JSON.parse(init?.body as string) as unknown;

describe('members and invitations (owner)', () => {
  it('changes a role, designates the accountable individual and shows a 409 on removal word for word', async () => {
    const { calls } = stubFetch(
      api('owner', {
        [`PATCH ${org}/members/${OTHER_ID}`]: { status: 200, body: sam },
        [`DELETE ${org}/members/${OTHER_ID}`]: { status: 409, body: anEnvelope('INVALID_STATE', 'Sam Patel is the last assessor with open reviews; reassign them first.') },
      }),
    );
    renderApp('/organisation/members');

    fireEvent.change(await screen.findByLabelText('Role of Sam Patel'), { target: { value: 'contributor' } });
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1));
    expect(bodyOf(calls.find((c) => c.method === 'PATCH')?.init)).toEqual({ role: 'contributor' });

    fireEvent.click(screen.getByRole('button', { name: 'Make Sam Patel accountable' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    expect(bodyOf(calls.filter((c) => c.method === 'PATCH')[1]?.init)).toEqual({ accountableIndividual: true });

    fireEvent.click(screen.getByRole('button', { name: 'Remove Sam Patel' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove Sam Patel?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove Sam Patel' }));
    expect(await within(dialog).findByText('Sam Patel is the last assessor with open reviews; reassign them first.')).toBeTruthy();
  });

  it('invites by email and role and shows the single-use link once, with a copy button; withdraws a pending one', async () => {
    const { calls } = stubFetch(
      api('owner', {
        [`POST ${org}/invitations`]: { status: 201, body: { ...invitation, email: 'new@example.org', role: 'contributor', token: TOKEN, acceptPath: `/api/v1/invitations/${TOKEN}/accept` } },
        [`DELETE ${org}/invitations/${INVITATION_ID}`]: { status: 204 },
      }),
    );
    renderApp('/organisation/members');

    const form = await screen.findByRole('form', { name: 'Invite a member' });
    fireEvent.click(within(form).getByRole('button', { name: 'Create invitation' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'new@example.org' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create invitation' }));

    const link = await screen.findByTestId('invitation-link');
    expect(link.textContent).toBe(`${window.location.origin}/invitations/${TOKEN}`);
    expect(screen.getByRole('button', { name: 'Copy the link' })).toBeTruthy();
    expect(bodyOf(calls.find((c) => c.method === 'POST')?.init)).toEqual({ email: 'new@example.org', role: 'contributor' });
    fireEvent.click(screen.getByRole('button', { name: 'I have sent it, hide the link' }));
    expect(screen.queryByTestId('invitation-link')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Withdraw the invitation for auditor@example.org' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
  });

  it('shows members read-only to anyone but an owner, without invitations', async () => {
    const { calls } = stubFetch(api('auditor'));
    renderApp('/organisation/members');
    expect(await screen.findByText('Sam Patel')).toBeTruthy();
    expect(screen.queryByLabelText('Role of Sam Patel')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove|Make .* accountable|Create invitation/ })).toBeNull();
    expect(calls.some((c) => c.path.endsWith('/invitations'))).toBe(false);
  });
});

describe('accepting an invitation', () => {
  const preview = (email: string) => ({
    [`GET /api/v1/invitations/${TOKEN}`]: { status: 200, body: { organisationName: 'Acme Hosting', role: 'auditor', inviterName: 'Alex Morgan', email, expiresAt: '2026-12-05T09:30:00.000Z' } },
  });
  const accepted = (accountCreated: boolean) => ({
    organisationId: ORG_ID,
    role: 'auditor',
    accountCreated,
    me: { ...aMe(), user: { id: OTHER_ID, email: 'auditor@example.org', name: 'Ada Auditor' }, memberships: [{ ...aMe().memberships[0]!, role: 'auditor', accountableIndividual: false }] },
  });

  it('signed out: creates the account with name, email and password, then opens the overview', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      ...preview('auditor@example.org'),
      [`POST /api/v1/invitations/${TOKEN}/accept`]: [
        { status: 400, body: anEnvelope('VALIDATION_FAILED', 'Some fields are invalid.', [{ path: 'password', message: 'Use at least 12 characters' }]) },
        { status: 200, body: accepted(true) },
      ],
      [`GET ${org}/dashboard`]: { status: 404, body: anEnvelope('NOT_FOUND', 'Not found') },
    });
    const { router } = renderApp(`/invitations/${TOKEN}`);

    fireEvent.change(await screen.findByLabelText('Your name'), { target: { value: 'Ada Auditor' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account and join' }));
    expect(await screen.findByText('Use at least 12 characters')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long passphrase here' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account and join' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(bodyOf(calls.filter((c) => c.method === 'POST')[1]?.init)).toEqual({ name: 'Ada Auditor', email: 'auditor@example.org', password: 'a long passphrase here' });
  });

  it('signed in: one button joins with the current account, sending the CSRF token', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe({ csrfToken: 'csrf-77' }) },
      ...preview('ciso@example.org'),
      [`POST /api/v1/invitations/${TOKEN}/accept`]: { status: 200, body: accepted(false) },
      [`GET ${org}/dashboard`]: { status: 404, body: anEnvelope('NOT_FOUND', 'Not found') },
    });
    const { router } = renderApp(`/invitations/${TOKEN}`);
    expect(await screen.findByText('ciso@example.org')).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Join Acme Hosting' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    const post = calls.find((c) => c.method === 'POST');
    expect(bodyOf(post?.init)).toEqual({});
    expect(new Headers(post?.init?.headers).get('X-CSRF-Token')).toBe('csrf-77');
  });

  it('says so when the link was already used, and offers no join button', async () => {
    stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET /api/v1/invitations/${TOKEN}`]: { status: 409, body: anEnvelope('INVALID_STATE', 'This invitation has already been used.') },
    });
    renderApp(`/invitations/${TOKEN}`);
    expect(await screen.findByText('This invitation has already been used.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Join/ })).toBeNull();
  });
});
