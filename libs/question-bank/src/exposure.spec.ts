import { exposureMap } from './exposure.js';
import type { ExposureEntry } from './exposure.js';
import type { OrganisationProfile } from './profile.js';
import { REGIMES } from './schema.js';
import {
  enterpriseOnlyProfile,
  ispProfile,
  largeSocialPlatformProfile,
  searchEngineProfile,
  ukFileSharingProfile,
} from './test-support/profiles.js';

function entry(profile: OrganisationProfile, regime: string, id: string): ExposureEntry {
  const found = exposureMap(profile).find((e) => e.regime === regime && e.id === id);
  if (found === undefined) throw new Error(`exposureMap has no ${regime} ${id}; add the measure or fix the spec.`);
  return found;
}

describe('exposureMap', () => {
  it('lists the measures the report needs for every profile, with the API reference shape', () => {
    const map = exposureMap(enterpriseOnlyProfile());
    const keys = map.map((e) => `${e.regime} ${e.id}`);
    for (const required of [
      'ofcom-icu A2',
      'ofcom-icu C1',
      'ofcom-icu C2',
      'ofcom-icu C9',
      'ofcom-icu C10',
      'ofcom-icu D1',
      'ofcom-icu D2',
      'ofcom-icu F1',
      'ofcom-icu F2',
      'uk-osa s.66(1)–(2)',
      'uk-si-2026-268 reg 4',
      'us-2258a (a)(1)(B)',
      'au-bose s.11',
      'au-bose s.13',
      'eu-dsa Art 16',
      'eu-dsa Art 18',
      'eu-csam-interim Reg (EU) 2026/1881',
      'five-eyes-vp VP 1',
      'five-eyes-vp VP 11',
      'uk-pca-1978 s.1B',
    ]) {
      expect(keys).toContain(required);
    }
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of map) {
      expect(Object.keys(e).sort()).toEqual(['applies', 'id', 'reason', 'regime', 'title', 'verified']);
      expect(REGIMES).toContain(e.regime);
      expect(e.reason.length).toBeGreaterThan(10);
    }
  });

  it('puts an enterprise-only company under PCA 1978 but not under the Ofcom Codes', () => {
    const profile = enterpriseOnlyProfile();
    expect(entry(profile, 'uk-pca-1978', 's.1B')).toMatchObject({ applies: true, verified: true });
    expect(entry(profile, 'ofcom-icu', 'A2')).toMatchObject({ applies: false, verified: false });
    expect(entry(profile, 'ofcom-icu', 'A2').reason).toMatch(/^Does not apply: no user-to-user/);
  });

  it('puts a UK file-sharing service at high image risk in C9 through limb (a), publicly communicated content only', () => {
    const c9 = entry(ukFileSharingProfile(), 'ofcom-icu', 'C9');
    expect(c9.applies).toBe(true);
    expect(c9.reason).toContain('C9.1(a) — file-storage/sharing service; high image-based CSAM risk');
    expect(c9.reason).toContain('C9.2 limits it to content communicated publicly');
  });

  it('puts a large platform at medium image risk in C9 through limb (b)', () => {
    const c9 = entry(largeSocialPlatformProfile(), 'ofcom-icu', 'C9');
    expect(c9.applies).toBe(true);
    expect(c9.reason).toContain('C9.1(b) — 12,000,000 UK monthly users (more than 7,000,000); medium image-based CSAM risk');
  });

  it('keeps a medium-risk file-sharing service under 7m users out of C9', () => {
    expect(entry(ukFileSharingProfile({ risk: { imageCsam: 'medium' } }), 'ofcom-icu', 'C9').applies).toBe(false);
  });

  it('applies s.66 reporting to user-to-user services but shows the search limbs as not in force', () => {
    expect(entry(ukFileSharingProfile(), 'uk-osa', 's.66(1)–(2)').applies).toBe(true);
    const searchLimb = entry(searchEngineProfile(), 'uk-osa', 's.66(3)–(4)');
    expect(searchLimb.applies).toBe(false);
    expect(searchLimb.reason).toMatch(/^Not in force .*would otherwise apply: search service; serves UK/);
  });

  it('applies the ICS search measures to a UK search engine, flagged unverified', () => {
    const ics = exposureMap(searchEngineProfile()).filter((e) => e.regime === 'ofcom-ics');
    expect(ics.length).toBeGreaterThanOrEqual(3);
    expect(ics.every((e) => e.applies && !e.verified)).toBe(true);
    expect(ics.some((e) => e.id.includes('C8'))).toBe(false);
  });

  it('applies ICU F1/F2 to a platform at high grooming risk and says age determination is assumed', () => {
    const f1 = entry(largeSocialPlatformProfile(), 'ofcom-icu', 'F1');
    expect(f1.applies).toBe(true);
    expect(f1.reason).toContain('high grooming risk');
    expect(f1.reason).toContain('means of determining users’ ages');
  });

  it('applies 18 USC 2258A only to providers serving the US', () => {
    expect(entry(ukFileSharingProfile(), 'us-2258a', '(a)(1)(B)').applies).toBe(true);
    expect(entry(ukFileSharingProfile({ jurisdictions: ['UK'] }), 'us-2258a', '(a)(1)(B)').applies).toBe(false);
  });

  it('applies EU DSA and the successor interim Regulation to an EU messaging platform, and marks 2021/1232 as expired', () => {
    const profile = largeSocialPlatformProfile();
    expect(entry(profile, 'eu-dsa', 'Art 16').applies).toBe(true);
    expect(entry(profile, 'eu-dsa', 'Art 28').applies).toBe(true);
    expect(entry(profile, 'eu-csam-interim', 'Reg (EU) 2026/1881')).toMatchObject({ applies: true });
    expect(entry(profile, 'eu-csam-interim', 'Reg (EU) 2026/1881').reason).toContain('end-to-end encrypted communications are excluded');
    expect(entry(profile, 'eu-csam-interim', 'Reg (EU) 2021/1232')).toMatchObject({ applies: false });
  });

  it('applies the Australian standards by service type', () => {
    const auStorage = ukFileSharingProfile({ jurisdictions: ['AU'] });
    expect(entry(auStorage, 'au-dis', 's.20')).toMatchObject({ applies: true, verified: false });
    expect(entry(auStorage, 'au-bose', 's.11').applies).toBe(true);
    expect(entry(ispProfile({ jurisdictions: ['AU'] }), 'other', 'AU Internet Carriage Services Code').applies).toBe(true);
  });

  it('marks the Voluntary Principles as voluntary and 8–11 as unverified', () => {
    const vp = exposureMap(largeSocialPlatformProfile()).filter((e) => e.regime === 'five-eyes-vp');
    expect(vp).toHaveLength(11);
    expect(vp.every((e) => e.reason.includes('voluntary'))).toBe(true);
    expect(vp.filter((e) => !e.verified).map((e) => e.id)).toEqual(['VP 8', 'VP 9', 'VP 10', 'VP 11']);
  });
});
