import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { sections } from '@/config/sections';
import { aMe, stubFetch, unauthenticated } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

describe('app routes', () => {
  it('redirects a signed-out visitor to sign-in and remembers where they were going', async () => {
    stubFetch({ 'GET /api/v1/auth/me': unauthenticated });
    const { router } = renderApp('/remediation');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(router.state.location.search).toBe('?redirectTo=%2Fremediation');
  });

  it('sends a signed-in user away from the sign-in page to the overview', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 200, body: aMe() } });
    const { router } = renderApp('/sign-in');

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/');
  });

  it('shows the unreachable panel instead of a blank page when the server is down, and recovers on retry', async () => {
    stubFetch({ 'GET /api/v1/auth/me': ['network-error', { status: 200, body: aMe() }] });
    renderApp('/');

    expect(await screen.findByRole('heading', { name: "Can't reach the Hand on Heart server" })).toBeTruthy();
    // The way out stays visible even when nothing else can load.
    expect(within(screen.getByRole('banner')).getByRole('link', { name: /Found suspected material\?/ })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
  });

  it('treats a 503 from the proxy on first load as the server being unreachable', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 503, body: 'Service Unavailable' } });
    renderApp('/');

    expect(await screen.findByRole('heading', { name: "Can't reach the Hand on Heart server" })).toBeTruthy();
  });

  it('shows the unreachable banner above the sign-in form when the server is down', async () => {
    stubFetch({ 'GET /api/v1/auth/me': 'network-error' });
    renderApp('/sign-in');

    expect(await screen.findByRole('heading', { name: "Can't reach the Hand on Heart server" })).toBeTruthy();
    expect(screen.getByLabelText('Email')).toBeTruthy();
  });

  it('opens the found-suspected-material guidance without signing in and without calling the API', async () => {
    const { calls } = stubFetch({});
    renderApp('/found-suspected-material');

    expect(
      await screen.findByRole('heading', { name: 'Found suspected child sexual abuse material?' }),
    ).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Do not' })).toBeTruthy();
    expect(screen.getByText(/Do not open it again, copy, forward, print or upload it here/)).toBeTruthy();
    expect(screen.getByText(/Upload it here\./)).toBeTruthy();
    const whereToReport = screen.getByRole('heading', { name: 'Where to report' }).closest('section') as HTMLElement;
    for (const name of [/Internet Watch Foundation/, /NCMEC CyberTipline/, /ACCCE/, /INHOPE/, /NCA CEOP/]) {
      expect(within(whereToReport).getByRole('link', { name })).toBeTruthy();
    }
    // Dated figures from the bank, each with its publisher linked and its period: never undated numbers.
    const why = screen.getByRole('heading', { name: 'Why your report matters' }).closest('section') as HTMLElement;
    expect(within(why).getByText(/More than 20 million reports/)).toBeTruthy();
    expect(within(why).getByRole('link', { name: /National Crime Agency/ }).getAttribute('href')).toMatch(/^https:\/\//);
    expect(within(why).getByText(/, 2024; published .*2026\)/)).toBeTruthy();
    expect(calls).toHaveLength(0);
  });

  it('shows the shell with every section in the navigation and a link to the guidance', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 200, body: aMe() } });
    renderApp('/');

    const nav = await screen.findByRole('navigation', { name: 'Main' });
    for (const section of sections) {
      expect(within(nav).getByRole('link', { name: section.title })).toBeTruthy();
    }
    expect(within(screen.getByRole('banner')).getByRole('link', { name: /Found suspected material\?/ })).toBeTruthy();
    expect(screen.getByRole('contentinfo')).toBeTruthy();
  });

  it('opens "Verify a report" without signing in, linked from the sign-in page', async () => {
    stubFetch({ 'GET /api/v1/auth/me': unauthenticated });
    renderApp('/sign-in');
    fireEvent.click(await screen.findByRole('link', { name: 'Verify a report' }));
    expect(await screen.findByRole('heading', { name: 'Verify a report', level: 1 })).toBeTruthy();
    expect(screen.getByLabelText("Or paste the report's SHA-256")).toBeTruthy();
  });

  it('signs out, forgets the session and returns to sign-in', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': [{ status: 200, body: aMe({ csrfToken: 'tok-9' }) }, unauthenticated],
      'POST /api/v1/auth/sign-out': { status: 204 },
    });
    const { router, queryClient } = renderApp('/');

    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    const signOut = calls.find((c) => c.path === '/api/v1/auth/sign-out');
    expect(new Headers(signOut?.init?.headers).get('X-CSRF-Token')).toBe('tok-9');
    await waitFor(() => expect(queryClient.getQueryData(['auth', 'me'])).toBeUndefined());
  });

  it('shows a not-found page for an unknown address', async () => {
    stubFetch({});
    renderApp('/no-such-page');

    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
  });
});
