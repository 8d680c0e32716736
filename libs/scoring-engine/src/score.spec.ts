import { answer, buildBank, evidence, inputFor, metricsEvidence } from '../test/support/builders.js';
import { formatScore } from './explain.js';
import { predictUplift } from './predict-uplift.js';
import { ScoringInputError } from './errors.js';
import { score } from './score.js';

const oneDomain = (n: number) => buildBank([{ id: 'GOV', questions: Array.from({ length: n }, () => ({ weight: 1 as const })) }]);

describe('evidence', () => {
  it('does not count evidence issued after the scoring date', () => {
    const bank = oneDomain(1);
    const result = score(
      inputFor(bank, { answers: [answer('GOV-01', 3, { evidence: [evidence({ issuedAt: '2026-07-01T00:00:00Z' })] })] }),
    );
    expect(result.items[0]).toMatchObject({ effectiveLevel: 2, capReason: 'no_counting_evidence', hasCountingEvidence: false });
  });

  it('lets a legal-duty 4 stand on non-metrics evidence but not on none', () => {
    const bank = buildBank([{ id: 'REP', questions: [{ kind: 'legal_duty' }, { kind: 'legal_duty' }] }]);
    const result = score(inputFor(bank, { answers: [answer('REP-01', 4, { evidence: [evidence()] }), answer('REP-02', 4)] }));
    expect(result.items.map((i) => i.effectiveLevel)).toEqual([4, 2]);
  });
});

describe('bands', () => {
  // Four weight-1 items: 12/16 = 75 exactly, and 11/16 = 68.75.
  it('is green at exactly 75 and amber just below', () => {
    const bank = oneDomain(4);
    const at75 = score(inputFor(bank, { answers: [0, 1, 2, 3].map((i) => answer(`GOV-0${i + 1}`, 3, { evidence: [evidence()] })) }));
    expect(at75.overall).toMatchObject({ score: 75, band: 'green' });
    const below = score(
      inputFor(bank, {
        answers: [
          answer('GOV-01', 3, { evidence: [evidence()] }),
          answer('GOV-02', 3, { evidence: [evidence()] }),
          answer('GOV-03', 3, { evidence: [evidence()] }),
          answer('GOV-04', 2),
        ],
      }),
    );
    expect(below.overall.band).toBe('amber');
  });

  it('shows a score that rounds across a boundary with one truncated decimal', () => {
    expect(formatScore(74.96)).toBe('74.9');
    expect(formatScore(49.5)).toBe('49.5');
    expect(formatScore(74.4)).toBe('74');
    expect(formatScore(75)).toBe('75');
  });

  it('leaves a critical item with an approved N/A out of the caps but names it', () => {
    const bank = oneDomain(2);
    const result = score(
      inputFor(bank, {
        items: { 'GOV-01': { applicable: true, critical: true } },
        answers: [answer('GOV-01', 'not_applicable', { naApproved: true }), answer('GOV-02', 4, { evidence: [metricsEvidence()] })],
      }),
    );
    expect(result.overall).toMatchObject({ score: 100, band: 'green', cappedBy: [] });
    expect(result.explanation).toContain('Left out as not applicable on an approved justification, although critical: GOV-01.');
  });

  it('lists red caps before amber caps and explains only the deciding ones in the headline', () => {
    const bank = oneDomain(3);
    const critical = { applicable: true, critical: true };
    const result = score(
      inputFor(bank, {
        items: { 'GOV-01': critical, 'GOV-02': critical },
        answers: [answer('GOV-01', 2), answer('GOV-02', 0), answer('GOV-03', 4, { evidence: [metricsEvidence()] })],
      }),
    );
    // (2 + 0 + 4)/12 = 50 → raw amber; GOV-02 at 0 forces red, GOV-01 at 2 does not move amber.
    expect(result.overall).toMatchObject({ rawBand: 'amber', band: 'red', cappedBy: ['GOV-02'] });
    expect(result.explanation[0]).toBe('Red because GOV-02 (critical) is at level 0; the score 50 alone would be amber.');
    expect(result.explanation).toContain('GOV-01 (critical) is at level 2, which on its own caps the band at amber.');
  });
});

describe('confidence label', () => {
  const bank = oneDomain(2);

  it('stays self-attested when nothing has been answered', () => {
    expect(score(inputFor(bank)).confidence.label).toBe('self_attested');
  });

  it('is reviewed when every answer is reviewed and no claim reaches 3', () => {
    const result = score(
      inputFor(bank, { answers: [answer('GOV-01', 2, { reviewedByOther: true }), answer('GOV-02', 1, { reviewedByOther: true })] }),
    );
    expect(result.confidence.label).toBe('reviewed');
  });

  it('needs sign-off as well as verification to be independently verified', () => {
    const verifiedOnly = score(inputFor(bank, { lifecycle: { signedOff: false, independentlyVerified: true } }));
    expect(verifiedOnly.confidence.label).toBe('self_attested');
  });

  it('counts unknown answers and N/A awaiting approval as answers for review purposes', () => {
    const result = score(
      inputFor(bank, {
        answers: [answer('GOV-01', 'unknown', { reviewedByOther: true }), answer('GOV-02', 'not_applicable', { reviewedByOther: false })],
      }),
    );
    expect(result.confidence.counts).toMatchObject({ answered: 2, answeredReviewed: 1, unknown: 1 });
    expect(result.confidence.label).toBe('self_attested');
  });
});

describe('predictUplift', () => {
  const bank = oneDomain(2);

  it('refuses question ids the bank does not hold', () => {
    expect(() => predictUplift(inputFor(bank), ['NOPE-01'])).toThrow(ScoringInputError);
  });

  it('leaves items already at or above target as they are', () => {
    const input = inputFor(bank, { answers: [answer('GOV-01', 4, { evidence: [metricsEvidence()] })] });
    const uplift = predictUplift(input, ['GOV-01']);
    expect(uplift.overall.delta).toBe(0);
    expect(uplift.projected).toEqual(score(input));
  });

  it('projects an unanswered item to its target and reports the band change', () => {
    const input = inputFor(bank, { answers: [answer('GOV-01', 4, { evidence: [metricsEvidence()] })] });
    const uplift = predictUplift(input, ['GOV-02']);
    // Before (4 + 0)/8 = 50; after (4 + 3)/8 = 87.5.
    expect(uplift.overall).toEqual({ before: 50, after: 87.5, delta: 37.5 });
    expect(uplift.domains['GOV']).toEqual({ before: 50, after: 87.5, delta: 37.5 });
    expect(uplift.band).toEqual({ before: 'amber', after: 'green' });
  });

  it("does not alter the caller's input", () => {
    const input = inputFor(bank, { answers: [answer('GOV-01', 1)] });
    const copy = structuredClone(input);
    predictUplift(input, ['GOV-01', 'GOV-02']);
    expect(input).toEqual(copy);
  });
});
