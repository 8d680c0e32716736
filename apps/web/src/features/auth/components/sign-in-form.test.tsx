import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch, unauthenticated } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

async function fillAndSubmit(email: string, password: string) {
  fireEvent.change(await screen.findByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in page', () => {
  it('shows field errors from a 400 envelope beside the fields they belong to', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': {
        status: 400,
        body: anEnvelope('VALIDATION_FAILED', 'Check the highlighted fields.', [
          { path: 'email', message: 'This email domain is not allowed to sign in here.' },
          { path: 'password', message: 'Passwords are at most 256 characters' },
        ]),
      },
    });
    renderApp('/sign-in');

    await fillAndSubmit('ciso@example.org', 'correct horse battery staple');

    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('This email domain is not allowed to sign in here.')).toBeTruthy();
    expect(screen.getByText('Passwords are at most 256 characters')).toBeTruthy();
    // The error is tied to its input for screen readers, not just placed nearby.
    const describedBy = email.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toContain('not allowed to sign in here');
  });

  it('shows the envelope message when the server answers 401', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': {
        status: 401,
        body: anEnvelope('UNAUTHENTICATED', 'That email and password do not match an account.'),
      },
    });
    renderApp('/sign-in');

    await fillAndSubmit('ciso@example.org', 'wrong password');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('That email and password do not match an account.');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();
  });

  it('tells the user how long to wait when sign-in is rate limited', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': {
        status: 429,
        body: anEnvelope('RATE_LIMITED', 'Too many sign-in attempts.'),
        headers: { 'Retry-After': '60' },
      },
    });
    renderApp('/sign-in');

    await fillAndSubmit('ciso@example.org', 'a password');

    expect((await screen.findByRole('alert')).textContent).toContain('Try again in 60 seconds.');
  });

  it('shows the unreachable panel with a retry when the network fails, and retries the sign-in', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': ['network-error', { status: 200, body: aMe() }],
    });
    renderApp('/sign-in');

    await fillAndSubmit('ciso@example.org', 'correct horse battery staple');

    expect(await screen.findByRole('heading', { name: "Can't reach the Hand on Heart server" })).toBeTruthy();
    expect(screen.getByText('npm start')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(calls.filter((c) => c.path === '/api/v1/auth/sign-in')).toHaveLength(2);
  });

  it('checks the form with the shared contract before calling the server', async () => {
    const { calls } = stubFetch({ 'GET /api/v1/auth/me': unauthenticated });
    renderApp('/sign-in');

    await fillAndSubmit('not-an-email', '');

    expect(await screen.findByText('Enter an email address such as name@example.org')).toBeTruthy();
    expect(screen.getByText('Enter your password')).toBeTruthy();
    expect(calls.some((c) => c.path === '/api/v1/auth/sign-in')).toBe(false);
  });

  it('sends the normalised email and lands on the overview with the organisation and user in the header', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': { status: 200, body: aMe() },
    });
    const { router } = renderApp('/sign-in');

    await fillAndSubmit('  CISO@Example.org ', 'correct horse battery staple');

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/');
    const banner = screen.getByRole('banner');
    expect(banner.textContent).toContain('Hand on Heart');
    expect(banner.textContent).toContain('Northwind Social');
    expect(banner.textContent).toContain('Alex Morgan');
    const signIn = calls.find((c) => c.path === '/api/v1/auth/sign-in');
    expect(JSON.parse(signIn?.init?.body as string)).toEqual({
      email: 'ciso@example.org',
      password: 'correct horse battery staple',
    });
  });

  it('returns to the page the user first asked for after signing in', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': { status: 200, body: aMe() },
    });
    const { router } = renderApp('/sign-in?redirectTo=%2Freports');

    await fillAndSubmit('ciso@example.org', 'correct horse battery staple');

    await waitFor(() => expect(router.state.location.pathname).toBe('/reports'));
  });

  it('ignores an off-site redirectTo so sign-in cannot bounce users to another site', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-in': { status: 200, body: aMe() },
    });
    const { router } = renderApp('/sign-in?redirectTo=%2F%2Fevil.example');

    await fillAndSubmit('ciso@example.org', 'correct horse battery staple');

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });
});
