import { factsToConfirm, OPTIONAL_PROFILE_FACT_KEYS, OrganisationProfileSchema, PROFILE_FACT_KEYS } from './profile.js';
import { ukFileSharingProfile } from './test-support/profiles.js';

describe('profile facts added for hoh-csam 1.1.0', () => {
  it('keeps a profile without them valid, so stored 1.0.0-era profiles still load', () => {
    expect(OrganisationProfileSchema.safeParse(ukFileSharingProfile()).success).toBe(true);
  });

  it('accepts each new fact with its own confirmation date', () => {
    const profile = {
      ...ukFileSharingProfile(),
      euEstablished: false,
      euDesignatedVeryLarge: false,
      microOrSmallEnterprise: true,
      genaiOutputsShared: false,
      ageDetermination: true,
      surfaces: [
        { name: 'public channels', public: true, e2ee: false },
        { name: 'direct messages', public: false, e2ee: true },
      ],
      auServiceCategories: ['hosting', 'designated_internet'],
      paymentsTaken: true,
      confirmedAt: { ageDetermination: '2026-12-01T09:00:00Z', surfaces: '2026-12-01T09:00:00Z', auServiceCategories: '2026-12-01T09:00:00Z' },
    };
    expect(OrganisationProfileSchema.safeParse(profile).error?.issues ?? []).toEqual([]);
    expect(PROFILE_FACT_KEYS).toEqual(expect.arrayContaining(['euEstablished', 'euDesignatedVeryLarge', 'microOrSmallEnterprise', 'genaiOutputsShared', 'ageDetermination', 'surfaces', 'auServiceCategories', 'paymentsTaken']));
  });

  it('rejects a surface without a name and a repeated Australian category, saying what to fix', () => {
    const result = OrganisationProfileSchema.safeParse({
      ...ukFileSharingProfile(),
      surfaces: [{ name: ' ', public: true, e2ee: false }],
      auServiceCategories: ['hosting', 'hosting'],
    });
    const messages = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^surfaces\.0\.name: Name the surface/),
        expect.stringMatching(/^auServiceCategories\.1: 'hosting' is listed twice/),
      ]),
    );
  });
});

describe('factsToConfirm', () => {
  it('asks for every required fact, and for an optional one only once the profile records it', () => {
    const old = ukFileSharingProfile();
    expect(factsToConfirm(old)).toEqual(PROFILE_FACT_KEYS.filter((k) => !(OPTIONAL_PROFILE_FACT_KEYS as readonly string[]).includes(k)));
    expect(factsToConfirm({ ...old, ageDetermination: false })).toContain('ageDetermination');
    expect(factsToConfirm(null)).toHaveLength(PROFILE_FACT_KEYS.length - OPTIONAL_PROFILE_FACT_KEYS.length);
  });
});
