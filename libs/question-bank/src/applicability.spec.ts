import fc from 'fast-check';
import { evaluateApplicability } from './applicability.js';
import { getFramework } from './frameworks.js';
import { JURISDICTIONS, OrganisationProfileSchema, PROFILE_FACT_KEYS, RISK_LEVELS, SERVICE_TYPES } from './profile.js';
import type { OrganisationProfile } from './profile.js';
import type { QuestionApplicability } from './applicability.js';
import {
  enterpriseOnlyProfile,
  ispProfile,
  largeSocialPlatformProfile,
  searchEngineProfile,
  ukFileSharingProfile,
} from './test-support/profiles.js';

// These cases document hoh-csam 1.0.0's rules, which its assessments keep; 1.1.0's measure-based
// critical conditions are covered by references.spec.ts.
const framework = getFramework('hoh-csam', '1.0.0')!;

function resultsFor(profile: OrganisationProfile): Map<string, QuestionApplicability> {
  return new Map(evaluateApplicability(framework, profile).map((r) => [r.questionId, r]));
}

function result(results: Map<string, QuestionApplicability>, id: string): QuestionApplicability {
  const r = results.get(id);
  if (r === undefined) throw new Error(`No applicability result for ${id}; every question must get one.`);
  return r;
}

function applicableIds(results: Map<string, QuestionApplicability>): string[] {
  return [...results.values()].filter((r) => r.applicable).map((r) => r.questionId);
}

describe('an enterprise-only company with managed devices', () => {
  const results = resultsFor(enterpriseOnlyProfile());

  it('gets the whole enterprise domain and the critical URL-filtering control', () => {
    for (const id of ['ENT-01', 'ENT-02', 'ENT-03', 'ENT-04', 'ENT-05', 'ENT-06', 'ENT-07', 'URL-02']) {
      expect(result(results, id).applicable).toBe(true);
    }
    expect(result(results, 'ENT-02')).toMatchObject({ critical: true, decidingFacts: ['services', 'managedDevices'] });
    expect(result(results, 'ENT-04').critical).toBe(true);
    expect(result(results, 'URL-02').reason).toBe('Applies: enterprise managed-device service; 2,500 managed devices');
  });

  it('is spared platform controls, saying it runs no online service', () => {
    for (const id of ['HASH-01', 'URL-01', 'URL-04', 'NOV-02', 'OPS-05', 'REP-01', 'REP-02', 'REP-03']) {
      expect(result(results, id)).toMatchObject({ applicable: false, critical: false });
    }
    expect(result(results, 'URL-04').reason).toBe('Not applicable: no search service');
    expect(result(results, 'REP-01').reason).toMatch(
      /^Not applicable: no user-to-user, private messaging, livestreaming, file-storage\/sharing, search or generative-AI service/,
    );
  });

  it('still has to say who is accountable and that CSAM is prohibited, but the terms are not critical', () => {
    expect(result(results, 'GOV-01')).toMatchObject({
      applicable: true,
      critical: true,
      reason: 'Applies: every organisation, whatever its services',
    });
    expect(result(results, 'GOV-06')).toMatchObject({ applicable: true, critical: false });
    expect(result(results, 'GOV-06').reason).toContain('Not critical for this profile');
  });

  it('counts managed devices as enterprise scope even without the enterprise service flag', () => {
    const devicesOnly = resultsFor(enterpriseOnlyProfile({ services: [], managedDevices: 40 }));
    expect(result(devicesOnly, 'ENT-04')).toMatchObject({
      applicable: true,
      reason: 'Applies: 40 managed devices',
      decidingFacts: ['managedDevices'],
    });
  });
});

describe('a UK file-sharing service above 700k users at high image-CSAM risk', () => {
  const results = resultsFor(ukFileSharingProfile());

  it('must hash-match and the item is critical because ICU C9 applies', () => {
    const hash = result(results, 'HASH-01');
    expect(hash).toMatchObject({ applicable: true, critical: true });
    expect(hash.reason).toMatch(/^Applies: ICU C9 — file-storage\/sharing service; serves UK; high image-based CSAM risk/);
    expect(hash.decidingFacts).toEqual(expect.arrayContaining(['services', 'jurisdictions', 'risk']));
  });

  it('is in C9 through the file-storage limb even below 700k users (IWF: regardless of size, at high risk)', () => {
    const small = result(resultsFor(ukFileSharingProfile({ ukMonthlyUsers: 5_000 })), 'HASH-01');
    expect(small).toMatchObject({ applicable: true, critical: true });
    expect(small.decidingFacts).not.toContain('ukMonthlyUsers');
  });

  it('keeps hash matching applicable but not critical at low image-CSAM risk (C9 ties it to high risk)', () => {
    const lowRisk = result(resultsFor(ukFileSharingProfile({ risk: { imageCsam: 'low' } })), 'HASH-01');
    expect(lowRisk).toMatchObject({ applicable: true, critical: false });
    expect(lowRisk.reason).toContain('ICU C9 not triggered');
  });

  it('gets registration, reporting and preservation as critical duties', () => {
    for (const id of ['REP-01', 'REP-02', 'REP-03']) {
      expect(result(results, id)).toMatchObject({ applicable: true, critical: true, reason: 'Applies: file-storage/sharing service' });
    }
  });

  it('does not get C10 URL matching at low CSAM-URL risk, and says so', () => {
    const url = result(results, 'URL-01');
    expect(url.applicable).toBe(false);
    expect(url.reason).toContain('ICU C10 not triggered');
    expect(url.reason).toContain('low CSAM URL risk');
  });

  it('gets C10 URL matching, critical, once CSAM-URL risk is high above 700k users', () => {
    const url = result(resultsFor(ukFileSharingProfile({ risk: { csamUrl: 'high' } })), 'URL-01');
    expect(url).toMatchObject({ applicable: true, critical: true });
    expect(url.reason).toMatch(/^Applies: ICU C10 — /);
    expect(url.reason).toContain('1,200,000 UK monthly users (more than 700,000)');
  });

  it('is not asked about child-safe defaults, livestreams or generative AI it does not run', () => {
    expect(result(results, 'NOV-02').reason).toBe('Not applicable: no user-to-user, private messaging or livestreaming service');
    expect(result(results, 'NOV-03').applicable).toBe(false);
    expect(result(results, 'NOV-04').reason).toBe('Not applicable: no generative-AI service');
  });
});

describe('a large UK social platform with children likely and high grooming risk', () => {
  const results = resultsFor(largeSocialPlatformProfile());

  it('makes child-safe defaults and grooming detection critical because children are likely', () => {
    const nov02 = result(results, 'NOV-02');
    expect(nov02).toMatchObject({ applicable: true, critical: true });
    expect(nov02.reason).toContain('Critical because: children likely — children are likely to use the service');
    expect(nov02.decidingFacts).toEqual(expect.arrayContaining(['services', 'childrenLikely']));
  });

  it('keeps NOV-02 applicable but not critical when children are not likely', () => {
    const adults = result(resultsFor(largeSocialPlatformProfile({ childrenLikely: false })), 'NOV-02');
    expect(adults).toMatchObject({ applicable: true, critical: false });
  });

  it('brings in the large-service governance measures (ICU A1, A3, A4)', () => {
    expect(result(results, 'GOV-02').reason).toBe(
      'Applies: ICU A1 (large service) — user-to-user, private messaging and livestreaming service; 12,000,000 UK monthly users (more than 7,000,000)',
    );
    expect(result(results, 'GOV-04').reason).toContain('ICU A4 (large and multi-risk)');
  });

  it('is in C9 as a large service at medium image-CSAM risk, and in C10 at medium URL risk', () => {
    expect(result(results, 'HASH-01')).toMatchObject({ applicable: true, critical: true });
    expect(result(results, 'HASH-01').reason).toContain('12,000,000 UK monthly users (more than 7,000,000); medium image-based CSAM risk');
    expect(result(results, 'URL-01')).toMatchObject({ applicable: true, critical: true });
  });

  it('gets livestream controls and alternative measures for private messaging', () => {
    expect(result(results, 'NOV-03')).toMatchObject({ applicable: true, reason: 'Applies: livestreaming service' });
    expect(result(results, 'HASH-06')).toMatchObject({
      applicable: true,
      reason: 'Applies: user-to-user, private messaging and livestreaming service',
    });
  });

  it('is spared search and enterprise controls', () => {
    expect(result(results, 'URL-04').applicable).toBe(false);
    expect(result(results, 'ENT-02').applicable).toBe(false);
  });
});

describe('a search engine', () => {
  const results = resultsFor(searchEngineProfile());

  it('must de-index CSAM URLs and warn on CSAM-seeking searches, as a critical control', () => {
    expect(result(results, 'URL-04')).toMatchObject({
      applicable: true,
      critical: true,
      reason: 'Applies: search service',
      decidingFacts: ['services'],
    });
  });

  it('gets keyword lists and reporting duties but no upload hash matching at low image risk', () => {
    expect(result(results, 'URL-03').applicable).toBe(true);
    expect(result(results, 'REP-01')).toMatchObject({ applicable: true, critical: true });
    expect(result(results, 'HASH-01').applicable).toBe(false);
    expect(result(results, 'HASH-02').applicable).toBe(false);
  });

  it('is asked about image hash matching once its image-CSAM risk is medium', () => {
    expect(result(resultsFor(searchEngineProfile({ risk: { imageCsam: 'medium' } })), 'HASH-01')).toMatchObject({
      applicable: true,
      critical: false,
    });
  });

  it('is spared user-to-user only measures such as child-safe defaults and appeals below large/multi-risk', () => {
    expect(result(results, 'NOV-02').applicable).toBe(false);
    expect(result(results, 'OPS-06').applicable).toBe(false);
  });
});

describe('an ISP', () => {
  const results = resultsFor(ispProfile());

  it('must block the IWF URL list for customers, as a critical control', () => {
    expect(result(results, 'URL-02')).toMatchObject({
      applicable: true,
      critical: true,
      reason: 'Applies: network-access (ISP/infrastructure) service',
    });
  });

  it('must act on hosting notices and have a discovery playbook', () => {
    expect(result(results, 'URL-05').applicable).toBe(true);
    expect(result(results, 'ENT-04')).toMatchObject({ applicable: true, critical: true });
  });

  it('is not a 2258A reporter unless it serves the US, and says which facts decided that', () => {
    const ukOnly = result(results, 'REP-01');
    expect(ukOnly.applicable).toBe(false);
    expect(ukOnly.reason).toContain('US provider (18 USC 2258A) not triggered');
    expect(ukOnly.decidingFacts).toEqual(expect.arrayContaining(['services', 'jurisdictions']));
    const withUs = result(resultsFor(ispProfile({ jurisdictions: ['UK', 'US'] })), 'REP-01');
    expect(withUs).toMatchObject({ applicable: true, critical: true });
    expect(withUs.reason).toMatch(/^Applies: US provider \(18 USC 2258A\) — network-access/);
  });

  it('does not get corporate-device controls without managed devices', () => {
    expect(result(results, 'ENT-02').applicable).toBe(false);
    expect(result(results, 'ENT-03').applicable).toBe(false);
  });

  it('answers a different, smaller set of questions than a social platform', () => {
    expect(applicableIds(results).length).toBeLessThan(applicableIds(resultsFor(largeSocialPlatformProfile())).length);
  });
});

// ---------------------------------------------------------------------------------------------

const isoDate = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const riskLevel = fc.constantFrom(...RISK_LEVELS);
// Boundary values matter most: Ofcom's thresholds are "more than 700,000" and "more than 7m".
const userCount = fc.oneof(
  fc.constantFrom(0, 1, 699_999, 700_000, 700_001, 6_999_999, 7_000_000, 7_000_001),
  fc.integer({ min: 0, max: 200_000_000 }),
);

const profileArbitrary: fc.Arbitrary<OrganisationProfile> = fc.record({
  services: fc.subarray([...SERVICE_TYPES]),
  ukMonthlyUsers: userCount,
  childrenLikely: fc.boolean(),
  publicContent: fc.boolean(),
  e2ee: fc.boolean(),
  managedDevices: fc.oneof(fc.constantFrom(0, 1, 999, 1_000), fc.integer({ min: 0, max: 500_000 })),
  jurisdictions: fc.subarray([...JURISDICTIONS]),
  risk: fc.record({ imageCsam: riskLevel, csamUrl: riskLevel, grooming: riskLevel }),
  multiRisk: fc.boolean(),
  anyRisk: fc.boolean(),
  confirmedAt: fc.dictionary(fc.constantFrom(...PROFILE_FACT_KEYS), isoDate),
});

// ~2 s alone; the default 5 s is too tight when the whole unit project shares two cores.
const PROPERTY_TIMEOUT_MS = 60_000;

describe('applicability over every possible profile', () => {
  const questionIds = framework.questions.map((q) => q.id);

  // Violations are collected as strings and asserted once per run: calling expect() for every
  // question of every run makes 1,000 runs take tens of seconds.
  function violations(profile: OrganisationProfile): string[] {
    const problems: string[] = [];
    if (!OrganisationProfileSchema.safeParse(profile).success) problems.push('generated profile is invalid');
    const results = evaluateApplicability(framework, profile);
    if (results.map((r) => r.questionId).join() !== questionIds.join()) problems.push('not one result per question, in order');
    for (const r of results) {
      if (!(r.applicable ? /^Applies: \S/ : /^Not applicable: \S/).test(r.reason)) problems.push(`${r.questionId}: reason "${r.reason}"`);
      if (!r.applicable && r.critical) problems.push(`${r.questionId}: critical but not applicable`);
      const unknown = r.decidingFacts.filter((f) => !(PROFILE_FACT_KEYS as readonly string[]).includes(f));
      if (unknown.length > 0) problems.push(`${r.questionId}: unknown deciding facts ${unknown.join()}`);
    }
    return problems;
  }

  it(
    'gives every question a result with a reason, and never marks a non-applicable question critical',
    () => {
      fc.assert(
        fc.property(profileArbitrary, (profile) => {
          expect(violations(profile)).toEqual([]);
        }),
        { numRuns: 1_000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'is pure: the same profile gives the same answer and the profile is not modified',
    () => {
      fc.assert(
        fc.property(profileArbitrary, (profile) => {
          const before = structuredClone(profile);
          const first = evaluateApplicability(framework, Object.freeze(profile));
          expect(evaluateApplicability(framework, profile)).toEqual(first);
          expect(profile).toEqual(before);
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'always applies the critical items that every organisation needs (GOV-01)',
    () => {
      fc.assert(
        fc.property(profileArbitrary, (profile) => {
          const gov01 = evaluateApplicability(framework, profile).find((r) => r.questionId === 'GOV-01');
          expect(gov01).toMatchObject({ applicable: true, critical: true });
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
