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

  it('accepts exactly one proof: a password today', () => {
    expect(SignOffRequestSchema.parse({ statement: 'I confirm', reauth: { password: 'pw' } })).toEqual({ statement: 'I confirm', acknowledged: [], reauth: { password: 'pw' } });
    expect(issues({ statement: 'I confirm', reauth: {} })).toHaveLength(1);
    expect(issues({ statement: 'I confirm', reauth: { password: 'pw', totp: '123456' } })).toHaveLength(1);
    expect(issues({ statement: 'I confirm', reauth: { password: 7 } })).toEqual([expect.stringMatching(/^reauth\.password: /)]);
    expect(issues({ statement: 'I confirm', reauth: 'pw' })).toHaveLength(1);
  });

  it('leaves an empty password to the server, which answers it like a wrong one (403, not 400)', () => {
    expect(issues({ statement: 'I confirm', reauth: { password: '' } })).toEqual([]);
    expect(APP_ERROR_STATUS.REAUTH_FAILED).toBe(403);
  });
});
