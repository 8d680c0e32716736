import { MeResponseSchema } from '@hoh/contracts';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch } from '@/testing/fetch-stub';

import {
  ApiContractError,
  ApiError,
  ApiUnreachableError,
  apiClient,
  getCsrfToken,
  setCsrfToken,
} from './api-client';

describe('api-client', () => {
  it('returns the parsed body when the response matches the contract', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 200, body: aMe() } });
    const me = await apiClient.get('/api/v1/auth/me', MeResponseSchema);
    expect(me.user.name).toBe('Alex Morgan');
  });

  it('rejects a response that does not match the contract', async () => {
    const { csrfToken: _dropped, ...withoutToken } = aMe();
    stubFetch({ 'GET /api/v1/auth/me': { status: 200, body: withoutToken } });

    const error = await apiClient.get('/api/v1/auth/me', MeResponseSchema).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiContractError);
    const contractError = error as ApiContractError;
    expect(contractError.path).toBe('/api/v1/auth/me');
    expect(contractError.issues.map((i) => i.path.join('.'))).toContain('csrfToken');
  });

  it('rejects a success response whose body is not JSON', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 200, body: '<html>proxy login page</html>' } });
    await expect(apiClient.get('/api/v1/auth/me', MeResponseSchema)).rejects.toBeInstanceOf(
      ApiContractError,
    );
  });

  it('turns an error envelope into a typed ApiError with status, code, details and request id', async () => {
    stubFetch({
      'POST /api/v1/auth/sign-in': {
        status: 400,
        body: anEnvelope('VALIDATION_FAILED', 'Check the highlighted fields.', [
          { path: 'email', message: 'Enter an email address such as name@example.org' },
        ]),
      },
    });

    const error = await apiClient
      .post('/api/v1/auth/sign-in', { email: 'x', password: 'y' }, MeResponseSchema)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Check the highlighted fields.',
      details: [{ path: 'email', message: 'Enter an email address such as name@example.org' }],
      requestId: 'req-123',
    });
  });

  it('reads Retry-After on a 429 so the user can be told how long to wait', async () => {
    stubFetch({
      'POST /api/v1/auth/sign-in': {
        status: 429,
        body: anEnvelope('RATE_LIMITED', 'Too many attempts.'),
        headers: { 'Retry-After': '30' },
      },
    });
    const error = await apiClient.post('/api/v1/auth/sign-in', {}, MeResponseSchema).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
  });

  it('rejects an error body that is not the envelope instead of inventing an ApiError', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 500, body: 'Internal Server Error' } });
    await expect(apiClient.get('/api/v1/auth/me', MeResponseSchema)).rejects.toBeInstanceOf(
      ApiContractError,
    );
  });

  it('reports a network failure as ApiUnreachableError, not as an ApiError', async () => {
    stubFetch({ 'GET /api/v1/auth/me': 'network-error' });
    const error = await apiClient.get('/api/v1/auth/me', MeResponseSchema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as ApiUnreachableError).status).toBeUndefined();
  });

  it.each([502, 503, 504])('reports a %i from the gateway as ApiUnreachableError', async (status) => {
    stubFetch({ 'GET /api/health': { status, body: 'Bad gateway' } });
    const error = await apiClient.get('/api/health', MeResponseSchema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect((error as ApiUnreachableError).status).toBe(status);
  });

  it('keeps the API code when a 503 carries the envelope (database down, server up)', async () => {
    stubFetch({
      'GET /api/v1/auth/me': {
        status: 503,
        body: anEnvelope('DATABASE_UNAVAILABLE', 'The database is unavailable.'),
        headers: { 'Retry-After': '5' },
      },
    });
    const error = await apiClient.get('/api/v1/auth/me', MeResponseSchema).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryAfterSeconds: 5 });
    expect((error as Error).message).toMatch(/database/);
  });

  it('sends same-origin credentials and the CSRF token on writes but not on reads', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      'POST /api/v1/auth/sign-out': { status: 204 },
    });
    setCsrfToken('token-from-me');

    await apiClient.get('/api/v1/auth/me', MeResponseSchema);
    await apiClient.post('/api/v1/auth/sign-out', undefined, null);

    const [read, write] = calls;
    expect(read?.init?.credentials).toBe('same-origin');
    expect(new Headers(read?.init?.headers).get('X-CSRF-Token')).toBeNull();
    expect(write?.init?.credentials).toBe('same-origin');
    expect(new Headers(write?.init?.headers).get('X-CSRF-Token')).toBe('token-from-me');
    expect(getCsrfToken()).toBe('token-from-me');
  });

  it('resolves a 204 with no body when the caller expects none', async () => {
    stubFetch({ 'POST /api/v1/auth/sign-out': { status: 204 } });
    await expect(apiClient.post('/api/v1/auth/sign-out', undefined, null)).resolves.toBeUndefined();
  });
});
