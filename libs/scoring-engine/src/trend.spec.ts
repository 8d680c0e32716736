import fc from 'fast-check';

import { score } from './score.js';
import { compareResults, scoreMovement } from './trend.js';
import type { Level, ScoringAnswer, ScoringInput } from './types.js';

const ASOF = '2026-11-28T12:00:00Z';
const EVIDENCE = { id: 'e1', status: 'accepted' as const, kind: 'metrics', issuedAt: '2026-10-01T00:00:00Z' };

/** Two domains of three questions each; every question answered by the arbitrary below. */
const QUESTIONS = ['A-01', 'A-02', 'A-03', 'B-01', 'B-02', 'B-03'];

function input(answers: ScoringAnswer[], version = '1'): ScoringInput {
  return {
    asOf: ASOF,
    bank: {
      frameworkId: 'test',
      version,
      domains: [
        { id: 'A', title: 'Detection' },
        { id: 'B', title: 'Reporting' },
      ],
      questions: QUESTIONS.map((id, i) => ({ id, domainId: id[0]!, weight: ((i % 3) + 1) as 1 | 2 | 3, scale: { kind: 'maturity' as const }, targetLevel: 3 })),
    },
    items: Object.fromEntries(QUESTIONS.map((id) => [id, { applicable: true, critical: false }])),
    answers,
  };
}

type Value = Level | 'unknown' | 'not_applicable' | null;
const valueArb: fc.Arbitrary<Value> = fc.constantFrom<Value>(0, 1, 2, 3, 4, 'unknown', 'not_applicable', null);
const answerArb = fc.record({ value: valueArb, naApproved: fc.boolean(), evidence: fc.boolean() });
const sideArb = fc.array(answerArb, { minLength: QUESTIONS.length, maxLength: QUESTIONS.length });

function answersOf(side: { value: Value; naApproved: boolean; evidence: boolean }[]): ScoringAnswer[] {
  return side.flatMap((a, i) =>
    a.value === null
      ? []
      : [{ questionId: QUESTIONS[i]!, value: a.value, naApproved: a.value === 'not_applicable' ? a.naApproved : undefined, reviewedByOther: true, evidence: a.evidence ? [EVIDENCE] : [] }],
  );
}

const resultOf = (side: { value: Value; naApproved: boolean; evidence: boolean }[]) => score(input(answersOf(side)));

describe('scoreMovement', () => {
  it('calls a change of 0 (in printed points) unchanged, never improved, and only then', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (b, a) => {
        const m = scoreMovement(b, a);
        expect(m.delta).toBe(Math.round(a) - Math.round(b));
        expect(m.direction === 'unchanged').toBe(m.delta === 0);
        if (m.delta! > 0) expect(m.direction).toBe('improved');
        if (m.delta! < 0) expect(m.direction).toBe('deteriorated');
      }),
    );
  });

  it('says "unchanged" for 61.2 → 61.4, printed 61 → 61: the label agrees with the number beside it', () => {
    expect(scoreMovement(61.2, 61.4)).toMatchObject({ delta: 0, direction: 'unchanged' });
    expect(scoreMovement(60, 60)).toMatchObject({ delta: 0, direction: 'unchanged' });
  });

  it('is not comparable when either side has no score', () => {
    expect(scoreMovement(null, 50).direction).toBe('not_comparable');
    expect(scoreMovement(50, null).delta).toBeNull();
  });
});

describe('compareResults', () => {
  it('labels a domain unchanged exactly when its rounded delta is 0', () => {
    fc.assert(
      fc.property(sideArb, sideArb, (b, a) => {
        const c = compareResults(resultOf(b), resultOf(a));
        for (const d of c.domains) {
          if (d.delta === null) expect(d.direction).toBe('not_comparable');
          else expect(d.direction === 'unchanged').toBe(d.delta === 0);
        }
        expect(c.overall.direction === 'unchanged').toBe(c.overall.delta === 0);
      }),
    );
  });

  it('is antisymmetric: swapping the two negates deltas, swaps improved and deteriorated and keeps unchanged and review resets', () => {
    const flip = { improved: 'deteriorated', deteriorated: 'improved', unchanged: 'unchanged', review_reset: 'review_reset', not_comparable: 'not_comparable' } as const;
    fc.assert(
      fc.property(sideArb, sideArb, (b, a) => {
        const forward = compareResults(resultOf(b), resultOf(a));
        const back = compareResults(resultOf(a), resultOf(b));
        expect(back.overall.direction).toBe(flip[forward.overall.direction]);
        expect(back.overall.delta === null ? null : -back.overall.delta + 0).toBe(forward.overall.delta === null ? null : forward.overall.delta + 0);
        for (const d of forward.domains) {
          const r = back.domains.find((x) => x.domainId === d.domainId)!;
          expect(r.direction).toBe(flip[d.direction]);
          expect(r.delta === null ? null : -r.delta + 0).toBe(d.delta === null ? null : d.delta + 0);
        }
      }),
    );
  });

  it('labels a change caused only by reset N/A approvals as a review reset, never a deterioration', () => {
    fc.assert(
      fc.property(sideArb, fc.array(fc.boolean(), { minLength: QUESTIONS.length, maxLength: QUESTIONS.length }), (side, resets) => {
        // Last year's answers with their approvals; this year's are the same answers with some N/A approvals reset.
        const next = side.map((a, i) => (a.value === 'not_applicable' && resets[i] ? { ...a, naApproved: false } : a));
        const c = compareResults(resultOf(side), resultOf(next));
        for (const d of c.domains) {
          expect(d.changedQuestionIds).toEqual([]);
          expect(['unchanged', 'review_reset', 'not_comparable']).toContain(d.direction);
        }
        expect(['unchanged', 'review_reset']).toContain(c.overall.direction);
      }),
    );
  });

  it('is the identity on one result: every domain unchanged or not comparable, nothing changed', () => {
    fc.assert(
      fc.property(sideArb, (side) => {
        const r = resultOf(side);
        const c = compareResults(r, r);
        expect(c.overall).toMatchObject({ delta: 0, direction: 'unchanged', reviewResetQuestionIds: [] });
        for (const d of c.domains) {
          expect(d.changedQuestionIds).toEqual([]);
          expect(['unchanged', 'not_comparable']).toContain(d.direction);
        }
      }),
    );
  });

  it('names the carried-over N/A whose approval was reset, and calls a real drop a deterioration', () => {
    const lastYear = [
      { value: 4 as const, naApproved: false, evidence: true },
      { value: 'not_applicable' as const, naApproved: true, evidence: false },
      { value: 4 as const, naApproved: false, evidence: true },
      { value: 4 as const, naApproved: false, evidence: true },
      { value: 4 as const, naApproved: false, evidence: true },
      { value: 4 as const, naApproved: false, evidence: true },
    ];
    const reset = lastYear.map((a, i) => (i === 1 ? { ...a, naApproved: false } : a));
    const c = compareResults(resultOf(lastYear), resultOf(reset));
    const a = c.domains.find((d) => d.domainId === 'A')!;
    expect(a).toMatchObject({ direction: 'review_reset', reviewResetQuestionIds: ['A-02'], changedQuestionIds: [] });
    expect(a.delta).toBeLessThan(0);
    expect(c.domains.find((d) => d.domainId === 'B')).toMatchObject({ delta: 0, direction: 'unchanged' });

    const dropped = reset.map((x, i) => (i === 3 ? { ...x, value: 1 as const } : x));
    const d = compareResults(resultOf(lastYear), resultOf(dropped));
    expect(d.domains.find((x) => x.domainId === 'B')).toMatchObject({ direction: 'deteriorated', changedQuestionIds: ['B-01'] });
    expect(d.overall.direction).toBe('deteriorated');
  });

  it('does not compare domains across bank versions, only the overall score', () => {
    const side = answersOf([{ value: 3, naApproved: false, evidence: true }, ...Array.from({ length: 5 }, () => ({ value: 2 as const, naApproved: false, evidence: false }))]);
    const c = compareResults(score(input(side, '1')), score(input(side, '2')));
    expect(c.sameBank).toBe(false);
    expect(c.domains.every((d) => d.direction === 'not_comparable' && d.delta === null)).toBe(true);
    expect(c.overall.direction).toBe('unchanged');
  });
});
