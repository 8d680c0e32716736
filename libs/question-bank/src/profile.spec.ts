import { defaultProfile, OrganisationProfileSchema, PROFILE_FACT_KEYS, ukUsersBand } from './profile.js';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  const result = OrganisationProfileSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('OrganisationProfileSchema', () => {
  it('accepts the default profile and a fully confirmed realistic one', () => {
    expect(issuesOf(defaultProfile())).toEqual([]);
    const confirmedAt = Object.fromEntries(PROFILE_FACT_KEYS.map((k) => [k, '2026-10-31T09:00:00Z']));
    expect(
      issuesOf(
        defaultProfile({
          services: ['user_to_user', 'genai'],
          ukMonthlyUsers: 800_000,
          jurisdictions: ['UK', 'EU'],
          confirmedAt,
          risk: { grooming: 'high' },
        }),
      ),
    ).toEqual([]);
  });

  it('rejects a duplicated service and names the duplicate', () => {
    const issues = issuesOf(defaultProfile({ services: ['search', 'search'] }));
    expect(issues).toEqual([{ path: 'services.1', message: "'search' is listed twice in services; remove the duplicate." }]);
  });

  it('rejects unknown services and jurisdictions with the allowed values in the message', () => {
    const issues = issuesOf({ ...defaultProfile(), services: ['social'], jurisdictions: ['FR'] });
    expect(issues.map((i) => i.path)).toEqual(['services.0', 'jurisdictions.0']);
    expect(issues[0]?.message).toContain('user_to_user');
    expect(issues[1]?.message).toContain('UK, EU, US, AU');
  });

  it('rejects negative or fractional user counts with a message saying what to enter', () => {
    expect(issuesOf(defaultProfile({ ukMonthlyUsers: -1 }))[0]?.message).toMatch(/cannot be negative; use 0/);
    expect(issuesOf(defaultProfile({ managedDevices: 2.5 }))[0]?.message).toMatch(/whole number/);
  });

  it('rejects unknown top-level and risk keys because the objects are strict', () => {
    expect(issuesOf({ ...defaultProfile(), extra: true })[0]?.path).toBe('');
    expect(issuesOf({ ...defaultProfile(), risk: { imageCsam: 'low', csamUrl: 'low', grooming: 'low', fraud: 'high' } })).toHaveLength(1);
  });

  it('rejects a confirmedAt key that is not a profile fact or a time that is not ISO 8601', () => {
    expect(issuesOf({ ...defaultProfile(), confirmedAt: { nickname: '2026-01-01T00:00:00Z' } })).toHaveLength(1);
    const bad = issuesOf(defaultProfile({ confirmedAt: { services: 'yesterday' } }));
    expect(bad[0]?.message).toMatch(/ISO 8601/);
  });

  it('rejects a risk level outside low, medium, high', () => {
    const issues = issuesOf({ ...defaultProfile(), risk: { imageCsam: 'severe', csamUrl: 'low', grooming: 'low' } });
    expect(issues[0]?.message).toMatch(/low, medium or high/);
  });
});

describe('ukUsersBand', () => {
  it.each([
    [0, 'under_700k'],
    [700_000, 'under_700k'],
    [700_001, '700k_to_7m'],
    [7_000_000, '700k_to_7m'],
    [7_000_001, 'over_7m'],
  ] as const)('puts %d UK users in band %s (Ofcom thresholds are "more than")', (users, band) => {
    expect(ukUsersBand(users)).toBe(band);
  });
});

describe('defaultProfile', () => {
  it('returns independent objects so one spec cannot leak state into another', () => {
    const a = defaultProfile();
    const b = defaultProfile();
    a.services.push('search');
    a.risk.grooming = 'high';
    a.confirmedAt.services = '2026-01-01T00:00:00Z';
    expect(b).toEqual(defaultProfile());
  });

  it('does not alias arrays passed in as overrides', () => {
    const services: Array<'search'> = ['search'];
    const profile = defaultProfile({ services });
    services.length = 0;
    expect(profile.services).toEqual(['search']);
  });

  it('merges partial risk overrides over low defaults', () => {
    expect(defaultProfile({ risk: { csamUrl: 'high' } }).risk).toEqual({ imageCsam: 'low', csamUrl: 'high', grooming: 'low' });
  });
});
