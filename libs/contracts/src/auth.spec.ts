import { SignInRequestSchema, SignUpRequestSchema } from './auth.js';
import { APP_ERROR_STATUS, ErrorEnvelopeSchema } from './errors.js';

describe('identity contracts', () => {
  it('normalises an email address so one person has one account', () => {
    const parsed = SignInRequestSchema.parse({ email: '  Dana.Demo@Example.ORG ', password: 'x' });
    expect(parsed.email).toBe('dana.demo@example.org');
  });

  it('requires passwords of at least 12 characters at sign-up and explains how to choose one', () => {
    const result = SignUpRequestSchema.safeParse({ name: 'A', email: 'a@example.org', password: 'short', organisationName: 'O' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/at least 12 characters/);
  });

  it('refuses unknown fields so a client cannot smuggle in attributes (mass assignment)', () => {
    const result = SignUpRequestSchema.safeParse({ name: 'A', email: 'a@example.org', password: 'long enough password', organisationName: 'O', role: 'owner' });
    expect(result.success).toBe(false);
  });
});

describe('error envelope', () => {
  it('maps every error code to the status docs/API.md §4.2 fixes', () => {
    expect(APP_ERROR_STATUS).toMatchObject({ VALIDATION_FAILED: 400, UNAUTHENTICATED: 401, CSRF_FAILED: 403, NOT_FOUND: 404, EMAIL_IN_USE: 409, PRECONDITION_FAILED: 412, PRECONDITION_REQUIRED: 428, UNSUPPORTED_EVIDENCE: 415, RATE_LIMITED: 429, DATABASE_UNAVAILABLE: 503 });
  });

  it('accepts a 412 body with the current resource beside the error', () => {
    expect(ErrorEnvelopeSchema.safeParse({ error: { code: 'PRECONDITION_FAILED', message: 'stale', requestId: 'r1' }, current: { version: 3 } }).success).toBe(true);
  });
});
