import { SignOffRequestSchema } from './assessments.js';
import { APP_ERROR_STATUS } from './errors.js';

const issues = (body: unknown) => {
  const r = SignOffRequestSchema.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('sign-off re-authentication contract (docs/API.md §2.6)', () => {
  it('requires a reauth proof beside the statement, and says how to give one', () => {
    expect(issues({ statement: 'I confirm' })).toEqual([expect.stringMatching(/^reauth: .*password/)]);
  });

  it('accepts exactly one proof: a password (with an authenticator code when asked) or a passkey', () => {
    expect(SignOffRequestSchema.parse({ statement: 'I confirm', reauth: { password: 'pw' } })).toEqual({ statement: 'I confirm', acknowledged: [], reauth: { password: 'pw' } });
    expect(issues({ statement: 'I confirm', reauth: {} })).toHaveLength(1);
    // A password with an authenticator code is one proof (docs/API.md §2.6); a code alone is none.
    expect(issues({ statement: 'I confirm', reauth: { password: 'pw', totp: '123456' } })).toEqual([]);
    expect(issues({ statement: 'I confirm', reauth: { totp: '123456' } })).toHaveLength(1);
    // A password of the wrong type: one message saying which shapes a proof takes.
    expect(issues({ statement: 'I confirm', reauth: { password: 7 } })).toEqual([expect.stringMatching(/^reauth: .*password/)]);
    expect(issues({ statement: 'I confirm', reauth: 'pw' })).toHaveLength(1);
  });

  it('leaves an empty password to the server, which answers it like a wrong one (403, not 400)', () => {
    expect(issues({ statement: 'I confirm', reauth: { password: '' } })).toEqual([]);
    expect(APP_ERROR_STATUS.REAUTH_FAILED).toBe(403);
  });
});
