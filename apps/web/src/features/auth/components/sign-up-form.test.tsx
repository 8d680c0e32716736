import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch, unauthenticated } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

async function fillSignUp() {
  fireEvent.change(await screen.findByLabelText('Your name'), { target: { value: 'Alex Morgan' } });
  fireEvent.change(screen.getByLabelText(/^Organisation/), { target: { value: 'Northwind Social' } });
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ciso@example.org' } });
  fireEvent.change(screen.getByLabelText(/^Password/), {
    target: { value: 'correct horse battery staple' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

describe('sign-up page', () => {
  it('creates the organisation and opens its overview', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-up': { status: 201, body: aMe() },
    });
    renderApp('/sign-up');

    await fillSignUp();

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    const body: unknown = JSON.parse(calls.find((c) => c.path === '/api/v1/auth/sign-up')?.init?.body as string);
    expect(body).toEqual({
      name: 'Alex Morgan',
      organisationName: 'Northwind Social',
      email: 'ciso@example.org',
      password: 'correct horse battery staple',
    });
  });

  it('puts EMAIL_IN_USE beside the email field and offers sign-in instead', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/sign-up': {
        status: 409,
        body: anEnvelope('EMAIL_IN_USE', 'An account already uses this email address.'),
      },
    });
    renderApp('/sign-up');

    await fillSignUp();

    expect(await screen.findByText('An account already uses this email address.')).toBeTruthy();
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('link', { name: 'Sign in instead' })).toBeTruthy();
  });

  it('asks for a 12-character password before calling the server', async () => {
    const { calls } = stubFetch({ 'GET /api/v1/auth/me': unauthenticated });
    renderApp('/sign-up');

    fireEvent.change(await screen.findByLabelText(/^Password/), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText(/Use at least 12 characters/)).toBeTruthy();
    expect(calls.some((c) => c.path === '/api/v1/auth/sign-up')).toBe(false);
  });
});
