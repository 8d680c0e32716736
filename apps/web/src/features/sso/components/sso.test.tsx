import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import { NOW, ORG_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';
import { SsoSignIn } from './sso-sign-in';

const SETTINGS = `/api/v1/orgs/${ORG_ID}/sso`;
const REDIRECT_URI = 'https://hoh.example.org/api/v1/auth/sso/callback';
const SAVED = {
  issuer: 'https://login.example.org',
  clientId: 'hand-on-heart',
  hasSecret: true,
  allowedDomains: ['example.org'],
  defaultRole: 'contributor',
  trustProviderMfa: true,
  enabled: true,
  updatedAt: NOW,
};

const renderSignIn = (error: Parameters<typeof SsoSignIn>[0]['error'], navigate = vi.fn()) => {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <SsoSignIn error={error} navigate={navigate} />
    </QueryClientProvider>,
  );
  return navigate;
};

describe('Sign in with SSO', () => {
  it('sends the browser to the provider the server names for the address', async () => {
    const { calls } = stubFetch({ 'POST /api/v1/auth/sso/start': { status: 200, body: { sso: true, authorizationUrl: 'https://login.example.org/authorize?state=s' } } });
    const navigate = renderSignIn(null);
    fireEvent.click(screen.getByRole('button', { name: 'Use single sign-on (SSO)' }));
    fireEvent.change(screen.getByLabelText(/Your work address/), { target: { value: 'Pat@Example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('https://login.example.org/authorize?state=s'));
    expect(JSON.parse(calls[0]!.init!.body as string)).toEqual({ email: 'pat@example.org' });
  });

  it('says to use the password when no organisation signs the domain in', async () => {
    stubFetch({ 'POST /api/v1/auth/sso/start': { status: 200, body: { sso: false, authorizationUrl: null } } });
    const navigate = renderSignIn(null);
    fireEvent.click(screen.getByRole('button', { name: 'Use single sign-on (SSO)' }));
    fireEvent.change(screen.getByLabelText(/Your work address/), { target: { value: 'pat@elsewhere.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    expect(await screen.findByText(/No organisation signs in this address through single sign-on/)).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('explains a refused sign-in the callback sent back, with what to do', () => {
    stubFetch({});
    renderSignIn('account_exists');
    expect(screen.getByText(/already has a Hand on Heart account that is not a member/)).toBeTruthy();
    expect(screen.getByLabelText(/Your work address/)).toBeTruthy();
  });

  it('shows the refusal on the sign-in page itself from ?sso_error=', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Sign in', requestId: 'r' } } } });
    renderApp('/sign-in?sso_error=email_unverified');
    expect(await screen.findByText(/did not confirm your email address/)).toBeTruthy();
  });
});

describe('Settings → Single sign-on', () => {
  it('shows the redirect URI and saves a provider, sending the secret only when typed', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${SETTINGS}`]: { status: 200, body: { redirectUri: REDIRECT_URI, config: SAVED } },
      [`PUT ${SETTINGS}`]: { status: 200, body: { redirectUri: REDIRECT_URI, config: { ...SAVED, allowedDomains: ['example.org', 'example.co.uk'], updatedAt: '2026-11-28T09:31:00.000Z' } } },
    });
    renderApp('/settings/single-sign-on');
    expect((await screen.findByTestId('sso-redirect-uri')).textContent).toBe(REDIRECT_URI);
    expect(screen.getByText(/A secret is stored and never shown/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Email domains/), { target: { value: 'example.org\nexample.co.uk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Saved: your provider answered/)).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(JSON.parse(put.init!.body as string)).toEqual({
      issuer: SAVED.issuer,
      clientId: SAVED.clientId,
      allowedDomains: ['example.org', 'example.co.uk'],
      defaultRole: 'contributor',
      trustProviderMfa: true,
      enabled: true,
    });
  });

  it('shows the server’s refusal of an issuer beside the field', async () => {
    stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${SETTINGS}`]: { status: 200, body: { redirectUri: REDIRECT_URI, config: null } },
      [`PUT ${SETTINGS}`]: {
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED', message: 'No OpenID provider answered', details: [{ path: 'issuer', message: 'No OpenID provider answered at https://wrong.example' }], requestId: 'r' } },
      },
    });
    renderApp('/settings/single-sign-on');
    fireEvent.change(await screen.findByLabelText(/Issuer URL/), { target: { value: 'https://wrong.example' } });
    fireEvent.change(screen.getByLabelText(/Client id/), { target: { value: 'hoh' } });
    fireEvent.change(screen.getByLabelText(/Client secret/), { target: { value: 's3cret' } });
    fireEvent.change(screen.getByLabelText(/Email domains/), { target: { value: 'example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/No OpenID provider answered at https:\/\/wrong.example/)).toBeTruthy();
  });

  it('is for owners only', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 200, body: aMe({ memberships: [{ ...aMe().memberships[0]!, role: 'assessor' }] }) } });
    renderApp('/settings/single-sign-on');
    expect(await screen.findByText(/Only owners set up single sign-on/)).toBeTruthy();
  });
});
