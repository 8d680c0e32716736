import { attestationCheck, ATTESTATION_EXCEPTION_KIND_LABELS, type AttestationInput, type DetectionFigures, UNQUALIFIED_PHRASE } from './attestation.js';
import { score } from './score.js';
import type { ScoringAnswer, ScoringInput } from './types.js';

const ASOF = '2026-11-28T12:00:00Z';
const FRESH = '2026-06-01T00:00:00Z';
const EVIDENCE = { id: 'e1', status: 'accepted' as const, kind: 'metrics', issuedAt: '2026-10-01T00:00:00Z' };

/** One legal-duty reconciliation question (R-06, standing in for TRN-06), answered, evidenced and reviewed. */
function build(value: ScoringAnswer['value'], detectionFigures?: Record<string, DetectionFigures | null>, applicable = true): AttestationInput {
  const input: ScoringInput = {
    asOf: ASOF,
    bank: {
      frameworkId: 'test',
      version: '1',
      domains: [{ id: 'R', title: 'Reporting' }],
      questions: [{ id: 'R-06', domainId: 'R', weight: 3, scale: { kind: 'legal_duty' }, targetLevel: 4 }],
    },
    items: { 'R-06': { applicable, critical: false } },
    answers: [{ questionId: 'R-06', value, authorId: 'u1', reviewedByOther: true, evidence: [EVIDENCE] }],
  };
  return {
    input,
    result: score(input),
    actions: [],
    profileFacts: ['services'],
    profileConfirmedAt: { services: FRESH },
    signer: { name: 'Ada Exec', role: 'owner' },
    organisationName: 'Acme',
    assessmentTitle: 'Review 2026',
    ...(detectionFigures ? { detectionFigures } : {}),
  };
}

const figures = (over: Partial<DetectionFigures> = {}): DetectionFigures => ({ detections: 40, reportable: 12, reported: 12, medianHoursToReport: 6, ...over });

describe('the hand-on-heart check reads the detection figures (detections_unreported)', () => {
  it('raises detections_unreported when fewer were reported than were reportable, with the numbers in words', () => {
    const check = attestationCheck(build(4, { 'R-06': figures({ reported: 10 }) }));
    expect(check.exceptions).toEqual([
      { id: 'detections_unreported:R-06', kind: 'detections_unreported', questionId: 'R-06', message: 'R-06: 12 reportable detections, 10 reported: 2 not reported in the last 12 months.' },
    ]);
    expect(check.unqualified).toBe(false);
    expect(check.statement).not.toContain(UNQUALIFIED_PHRASE);
    expect(check.statement).toContain('2 not reported in the last 12 months');
  });

  it('raises it whatever the answer says: a "partial" or "no" with unreconciled figures still has unreported detections', () => {
    expect(attestationCheck(build(2, { 'R-06': figures({ reportable: 1, reported: 0 }) })).exceptions.map((e) => e.message)).toEqual([
      'R-06: 1 reportable detection, 0 reported: 1 not reported in the last 12 months.',
    ]);
  });

  it('raises it when the question is answered yes (4) with no figures behind it', () => {
    const [e] = attestationCheck(build(4, { 'R-06': null })).exceptions;
    expect(e?.kind).toBe('detections_unreported');
    expect(e?.message).toContain('no figures back it');
  });

  it('stays silent when the figures reconcile, including none reportable, and for a partial or no answer without figures', () => {
    expect(attestationCheck(build(4, { 'R-06': figures() })).exceptions).toEqual([]);
    expect(attestationCheck(build(4, { 'R-06': figures({ detections: 0, reportable: 0, reported: 0, medianHoursToReport: null }) })).exceptions).toEqual([]);
    expect(attestationCheck(build(2, { 'R-06': null })).exceptions.map((e) => e.kind)).not.toContain('detections_unreported');
    expect(attestationCheck(build(0, { 'R-06': null })).exceptions.map((e) => e.kind)).not.toContain('detections_unreported');
  });

  it('ignores figure questions the bank does not ask or the profile excludes, and inputs without detectionFigures', () => {
    expect(attestationCheck(build(4, { 'TRN-06': null })).exceptions).toEqual([]);
    expect(attestationCheck(build(4, { 'R-06': figures({ reported: 0 }) }, false)).exceptions.map((e) => e.kind)).not.toContain('detections_unreported');
    expect(attestationCheck(build(4)).exceptions).toEqual([]);
  });

  it('has a label in words', () => {
    expect(ATTESTATION_EXCEPTION_KIND_LABELS.detections_unreported).toBe('Detections not all reported');
  });
});
