import { evaluateApplicability, evaluateQuestion } from './applicability.js';
import { exposureMap } from './exposure.js';
import type { ExposureEntry } from './exposure.js';
import { getFramework } from './frameworks.js';
import type { OrganisationProfile } from './profile.js';
import { questionReferences, referenceMatches, referencesFor } from './references.js';
import type { ReferenceWithState } from './references.js';
import { ispProfile, largeSocialPlatformProfile, searchEngineProfile, ukFileSharingProfile } from './test-support/profiles.js';

const bank = getFramework('hoh-csam', '1.1.0')!;
const question = (id: string) => bank.questions.find((q) => q.id === id)!;

function entry(profile: OrganisationProfile, regime: string, id: string): ExposureEntry {
  const found = exposureMap(profile, '1.1.0').find((e) => e.regime === regime && e.id === id);
  if (found === undefined) throw new Error(`1.1.0 exposure has no ${regime} ${id}`);
  return found;
}
function ref(profile: OrganisationProfile, questionId: string, regime: string, id: string): ReferenceWithState {
  const found = referencesFor(question(questionId), profile, '1.1.0').references.find((r) => r.regime === regime && r.id === id);
  if (found === undefined) throw new Error(`${questionId} has no ${regime} ${id}`);
  return found;
}

// Hand-worked profiles. A UK file-sharing service (ukFileSharingProfile) serves the UK and the US, has
// 1.2m UK users, public links and high image-CSAM risk; the variants below change one fact each.
const privateOnlyStore = () => ukFileSharingProfile({ publicContent: false, jurisdictions: ['UK'] });
const euOnlyStore = () => ukFileSharingProfile({ jurisdictions: ['EU'] });
const usIsp = () => ispProfile({ jurisdictions: ['US'] });
const usOnlySearch = () => searchEngineProfile({ jurisdictions: ['US'] });

describe('the sub-id rule', () => {
  it.each([
    ['C9.1', 'C9', true],
    ['C9', 'C9.2', true],
    ['s.66', 's.66(1)–(2)', true],
    ['(a)(1)(B)(i)', '(a)(1)(B)', true],
    ['Art 16(2)(c)', 'Art 16', true],
    ['C1', 'C10', false],
    ['VP 1', 'VP 10', false],
    ['s.6', 's.6 (2024 amendment)', false],
    ['s.66(1)–(2)', 's.66(3)–(4)', false],
  ])('%s and %s match: %s', (a, b, expected) => {
    expect(referenceMatches(a, b)).toBe(expected);
  });
});

describe('hoh-csam 1.1.0 exposure states (hand-worked)', () => {
  it('applies 18 USC 2258A to a US network access provider (1.0.0 left it out)', () => {
    expect(entry(usIsp(), 'us-2258a', '(a)(1)(A)(i)')).toMatchObject({ applies: true, state: 'applies' });
    expect(entry(usIsp(), 'us-2258a', '(a)(1)(A)(i)').reason).toContain('ECS or RCS provider (18 USC 2258E)');
    expect(exposureMap(usIsp(), '1.0.0').find((e) => e.id === '(a)(1)(B)')?.applies).toBe(false);
  });

  it('keeps a private-only file store out of ICU C9 (C9.2: public content only)', () => {
    const c9 = entry(privateOnlyStore(), 'ofcom-icu', 'C9');
    expect(c9).toMatchObject({ applies: false, state: 'condition_not_met' });
    expect(c9.reason).toContain('C9.2 not triggered (no content is communicated publicly)');
    expect(entry(ukFileSharingProfile(), 'ofcom-icu', 'C9')).toMatchObject({ applies: true, state: 'applies' });
    // 1.0.0 assessments keep 1.0.0's map, which ignored publicContent.
    expect(exposureMap(privateOnlyStore(), '1.0.0').find((e) => e.id === 'C9')?.applies).toBe(true);
  });

  it('shows the search limbs of s.66 as not in force, and UK measures as elsewhere for a US-only search engine', () => {
    expect(entry(searchEngineProfile(), 'uk-osa', 's.66(3)–(4)')).toMatchObject({ applies: false, state: 'not_in_force' });
    expect(entry(usOnlySearch(), 'uk-osa', 's.66(3)–(4)').state).toBe('elsewhere');
    expect(entry(usOnlySearch(), 'ofcom-ics', 'CSAM URL de-indexing (ICS id unverified)')).toMatchObject({
      state: 'elsewhere',
      reason: 'Elsewhere: a UK obligation, and the organisation does not serve UK',
    });
  });

  it('binds DSA Art 28 to online platforms only: not to private messaging, nor to a micro or small enterprise', () => {
    const messaging = largeSocialPlatformProfile({ services: ['private_messaging'] });
    expect(entry(messaging, 'eu-dsa', 'Art 28').state).toBe('condition_not_met');
    expect(entry(largeSocialPlatformProfile(), 'eu-dsa', 'Art 28').state).toBe('applies');
    const small = largeSocialPlatformProfile({ microOrSmallEnterprise: true });
    expect(entry(small, 'eu-dsa', 'Art 28').state).toBe('condition_not_met');
    expect(entry({ ...small, euDesignatedVeryLarge: true }, 'eu-dsa', 'Art 28').state).toBe('applies');
  });

  it('ties DSA Arts 34, 35 and 37 to a Commission designation, not a user count', () => {
    expect(entry(largeSocialPlatformProfile(), 'eu-dsa', 'Art 34').reason).toContain('not recorded');
    expect(entry(largeSocialPlatformProfile({ euDesignatedVeryLarge: true }), 'eu-dsa', 'Art 34').state).toBe('applies');
    expect(entry(ukFileSharingProfile({ euDesignatedVeryLarge: true }), 'eu-dsa', 'Art 34').state).toBe('elsewhere');
  });

  it('applies OSA s.70(5) to a UK user-to-user service whether or not it serves the US', () => {
    expect(entry(ukFileSharingProfile({ jurisdictions: ['UK'] }), 'uk-osa', 's.70(5)').state).toBe('applies');
  });

  it('needs a means of determining age for ICU F1/F2, and says when it is not recorded', () => {
    const f1 = entry(largeSocialPlatformProfile(), 'ofcom-icu', 'F1');
    expect(f1.state).toBe('condition_not_met');
    expect(f1.reason).toContain('not recorded: whether the service has a means of determining users’ ages');
    expect(entry(largeSocialPlatformProfile({ ageDetermination: true }), 'ofcom-icu', 'F1').state).toBe('applies');
  });

  it('reaches the Australian Phase 1 codes through the recorded service category', () => {
    const au = ukFileSharingProfile({ jurisdictions: ['AU'] });
    expect(entry(au, 'au-codes', 'Hosting Services Online Safety Code').reason).toContain('Australian service category not recorded');
    expect(entry({ ...au, auServiceCategories: ['hosting'] }, 'au-codes', 'Hosting Services Online Safety Code').state).toBe('applies');
  });

  it('marks the Voluntary Principles voluntary, relevant or not', () => {
    expect(entry(ukFileSharingProfile(), 'five-eyes-vp', 'VP 1')).toMatchObject({ state: 'voluntary', applies: true });
    expect(entry(ukFileSharingProfile(), 'five-eyes-vp', 'VP 6')).toMatchObject({ state: 'voluntary', applies: false });
  });
});

describe('reference states on questions (hand-worked, hoh-csam 1.1.0)', () => {
  it('gives each of the five states, with the reason from the exposure map', () => {
    expect(ref(ukFileSharingProfile(), 'REP-01', 'uk-osa', 's.66(1)–(2)')).toMatchObject({ state: 'applies', reason: expect.stringMatching(/^Applies: serves UK/) });
    expect(ref(privateOnlyStore(), 'HASH-01', 'ofcom-icu', 'C9')).toMatchObject({ state: 'condition_not_met' });
    expect(ref(ukFileSharingProfile(), 'REP-01', 'uk-osa', 's.66(3)–(4)')).toMatchObject({ state: 'not_in_force' });
    expect(ref(privateOnlyStore(), 'REP-01', 'us-2258a', '(a)(1)(B)(i)')).toMatchObject({
      state: 'elsewhere',
      reason: '(a)(1)(B): Elsewhere: a US obligation, and the organisation does not serve US',
      exposureIds: ['(a)(1)(B)'],
    });
    expect(ref(ukFileSharingProfile(), 'HASH-01', 'five-eyes-vp', 'VP 1').state).toBe('voluntary');
    expect(ref(ukFileSharingProfile(), 'HASH-01', 'other', 'IWF Image Hash List')).toMatchObject({
      state: 'voluntary',
      reason: expect.stringMatching(/^Not a legal duty/),
    });
  });

  it('resolves sub-ids: C9.1 and C9.2 take C9’s state', () => {
    expect(ref(privateOnlyStore(), 'HASH-01', 'ofcom-icu', 'C9.1')).toMatchObject({ state: 'condition_not_met', exposureIds: ['C9'] });
    expect(ref(ukFileSharingProfile(), 'HASH-01', 'ofcom-icu', 'C9.2').state).toBe('applies');
  });

  it('lists applies first, then voluntary, then the rest', () => {
    const states = referencesFor(question('HASH-01'), privateOnlyStore(), '1.1.0').references.map((r) => r.state);
    const rank = { applies: 0, voluntary: 1, condition_not_met: 2, not_in_force: 2, elsewhere: 2 } as const;
    expect(states.map((s) => rank[s])).toEqual([...states.map((s) => rank[s])].sort((a, b) => a - b));
    expect(states[0]).toBe('voluntary');
  });

  it('makes HASH-01 critical where C9 applies and not for a private-only UK store', () => {
    expect(evaluateQuestion(question('HASH-01'), ukFileSharingProfile(), '1.1.0')).toMatchObject({ applicable: true, critical: true });
    const privateStore = evaluateQuestion(question('HASH-01'), privateOnlyStore(), '1.1.0');
    expect(privateStore).toMatchObject({ applicable: true, critical: false });
    expect(privateStore.reason).toContain('Not critical for this profile: ICU C9 condition not met');
  });

  it('makes REP-01 critical for a UK provider and not for an EU-only one, whose reporting duties are elsewhere', () => {
    expect(evaluateQuestion(question('REP-01'), ukFileSharingProfile(), '1.1.0').critical).toBe(true);
    expect(evaluateQuestion(question('REP-01'), euOnlyStore(), '1.1.0')).toMatchObject({ applicable: true, critical: false });
    expect(referencesFor(question('REP-01'), euOnlyStore(), '1.1.0').references.every((r) => r.state === 'elsewhere' || r.state === 'not_in_force')).toBe(true);
  });

  it('asks for the bank version when a question names measures', () => {
    expect(() => evaluateQuestion(question('HASH-01'), ukFileSharingProfile())).toThrow(/pass the question's bank version/);
  });

  it('joins the whole bank in one call, with the same criticality as the applicability evaluation', () => {
    const profile = largeSocialPlatformProfile();
    const joined = questionReferences(bank, profile);
    expect(joined.map((q) => [q.questionId, q.critical])).toEqual(evaluateApplicability(bank, profile).map((q) => [q.questionId, q.critical]));
  });

  it('resolves 1.0.0’s REP-01 "s.66" to the exposure entry s.66(1)–(2), so it no longer counts as uncovered', () => {
    const old = getFramework('hoh-csam', '1.0.0')!;
    const rep01 = referencesFor(old.questions.find((q) => q.id === 'REP-01')!, ukFileSharingProfile(), '1.0.0');
    expect(rep01.references.find((r) => r.id === 's.66')).toMatchObject({ state: 'applies', exposureIds: ['s.66(1)–(2)', 's.66(3)–(4)'] });
  });
});
