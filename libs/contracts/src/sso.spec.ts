import { amrReportsMfa, SsoConfigRequestSchema, SsoDomainSchema } from './sso.js';

describe('single sign-on contracts (docs/PRODUCT.md §2.6)', () => {
  it('counts an amr as multi-factor only when it names a method beyond a password (RFC 8176)', () => {
    expect(amrReportsMfa(['pwd', 'mfa'])).toBe(true);
    expect(amrReportsMfa(['otp'])).toBe(true);
    expect(amrReportsMfa(['hwk', 'pin'])).toBe(true);
    expect(amrReportsMfa(['pwd'])).toBe(false);
    expect(amrReportsMfa(['pwd', 'kba'])).toBe(false);
    expect(amrReportsMfa([])).toBe(false);
    expect(amrReportsMfa('mfa')).toBe(false);
    expect(amrReportsMfa(undefined)).toBe(false);
    expect(amrReportsMfa([{ mfa: true }])).toBe(false);
  });

  it('takes domains lower-cased, and refuses addresses, URLs and single labels', () => {
    expect(SsoDomainSchema.parse(' Example.ORG ')).toBe('example.org');
    expect(SsoDomainSchema.parse('mail.example.co.uk')).toBe('mail.example.co.uk');
    for (const bad of ['@example.org', 'https://example.org', 'localhost', 'exa mple.org', '-bad.example', 'example.org.']) {
      expect(SsoDomainSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('never lets a just-in-time member be made an owner', () => {
    const body = { issuer: 'https://idp.example', clientId: 'c', allowedDomains: ['example.org'], trustProviderMfa: false, enabled: true };
    expect(SsoConfigRequestSchema.safeParse({ ...body, defaultRole: 'owner' }).success).toBe(false);
    expect(SsoConfigRequestSchema.safeParse({ ...body, defaultRole: 'auditor' }).success).toBe(true);
    expect(SsoConfigRequestSchema.safeParse({ ...body, defaultRole: 'auditor', allowedDomains: ['example.org', 'EXAMPLE.org'] }).success).toBe(false);
  });
});
