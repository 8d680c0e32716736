import fc from 'fast-check';

import { deepFreeze, predictUplift, score, ScoreMemo, scoreStableUntil } from '../src/index.js';
import type { Level, ScoringAnswer, ScoringEvidence, ScoringInput, ScoringResult } from '../src/index.js';
import { arbEvidence, arbInput, RUNS } from './support/arbitraries.js';

const EPS = 1e-9;

/** Every score in `after` is at least its counterpart in `before` (null domains stay null). */
function noScoreLower(before: ScoringResult, after: ScoringResult): void {
  expect(after.overall.score).toBeGreaterThanOrEqual(before.overall.score - EPS);
  before.domains.forEach((d, i) => {
    const a = after.domains[i]!;
    if (d.score === null) expect(a.score).toBeNull();
    else expect(a.score!).toBeGreaterThanOrEqual(d.score - EPS);
  });
}

function withAnswer(input: ScoringInput, questionId: string, change: (a: ScoringAnswer | undefined) => ScoringAnswer): ScoringInput {
  const current = input.answers.find((a) => a.questionId === questionId);
  const others = input.answers.filter((a) => a.questionId !== questionId);
  return { ...input, answers: [...others, change(current)] };
}

/** The pick arbitrary: an input plus the index of one of its questions. */
const arbInputAndQuestion = arbInput.chain((input) =>
  fc.tuple(fc.constant(input), fc.integer({ min: 0, max: input.bank.questions.length - 1 })),
);

describe('scoring properties', () => {
  it('raising a claimed level never lowers any domain or overall score', () => {
    fc.assert(
      fc.property(arbInputAndQuestion, fc.integer({ min: 0, max: 4 }), ([input, qi], raiseBy) => {
        const q = input.bank.questions[qi]!;
        const before = score(input);
        const item = before.items[qi]!;
        // Approved N/A changes inclusion, not level: not a raise.
        fc.pre(item.status !== 'not_applicable');
        const raised = withAnswer(input, q.id, (a) => {
          const from = a && typeof a.value === 'number' ? a.value : 0;
          const to = Math.min(4, from + raiseBy) as Level;
          return { questionId: q.id, authorId: 'author', reviewedByOther: false, evidence: [], ...a, value: to };
        });
        noScoreLower(before, score(raised));
      }),
      { numRuns: RUNS },
    );
  });

  it('adding accepted evidence never lowers a score', () => {
    fc.assert(
      fc.property(arbInputAndQuestion, arbEvidence, ([input, qi], extra) => {
        const q = input.bank.questions[qi]!;
        const before = score(input);
        const added: ScoringEvidence = { ...extra, status: 'accepted' };
        const after = score(
          withAnswer(input, q.id, (a) =>
            a ? { ...a, evidence: [...a.evidence, added] } : { questionId: q.id, value: 0, reviewedByOther: false, evidence: [added] },
          ),
        );
        // An unanswered item gains a level-0 answer above: same level, so still comparable.
        noScoreLower(before, after);
      }),
      { numRuns: RUNS },
    );
  });

  it("marking an item N/A (approved) never changes another domain's score or band", () => {
    fc.assert(
      fc.property(arbInputAndQuestion, ([input, qi]) => {
        const q = input.bank.questions[qi]!;
        const before = score(input);
        const after = score(
          withAnswer(input, q.id, (a) => ({
            questionId: q.id,
            reviewedByOther: false,
            evidence: [],
            ...a,
            value: 'not_applicable',
            naApproved: true,
          })),
        );
        before.domains.forEach((d, i) => {
          if (d.domainId === q.domainId) return;
          expect(after.domains[i]!.score).toBe(d.score);
          expect(after.domains[i]!.band).toBe(d.band);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps every score and every uplift within 0..100', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const r = score(input);
        const inRange = (x: number) => x >= -EPS && x <= 100 + EPS;
        expect(inRange(r.overall.score)).toBe(true);
        for (const d of r.domains) if (d.score !== null) expect(inRange(d.score)).toBe(true);
        for (const item of r.items) {
          expect(item.uplift.overall).toBeGreaterThanOrEqual(0);
          expect(item.uplift.domain).toBeGreaterThanOrEqual(0);
          expect(inRange(r.overall.score + item.uplift.overall)).toBe(true);
        }
        for (const pct of [r.confidence.evidencePct, r.confidence.reviewedPct, r.confidence.unknownPct]) {
          expect(inRange(pct)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same result whatever the order of the answers', () => {
    fc.assert(
      fc.property(
        arbInput.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.shuffledSubarray(input.answers, { minLength: input.answers.length, maxLength: input.answers.length }),
          ),
        ),
        ([input, shuffled]) => {
          expect(score({ ...input, answers: shuffled })).toEqual(score(input));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('predicts exactly the score change of actually raising the items to target with accepted metrics evidence', () => {
    fc.assert(
      fc.property(
        arbInput.chain((input) => fc.tuple(fc.constant(input), fc.subarray(input.bank.questions.map((q) => q.id)))),
        ([input, ids]) => {
          const before = score(input);
          const predicted = predictUplift(input, ids);

          // Raise independently of the engine's own projection.
          let actual = input;
          for (const id of ids) {
            const item = before.items.find((i) => i.questionId === id)!;
            if (!item.included || item.effectiveLevel === null || item.effectiveLevel >= item.target) continue;
            actual = withAnswer(actual, id, (a) => ({
              questionId: id,
              reviewedByOther: a?.reviewedByOther ?? false,
              value: item.target,
              naApproved: false,
              evidence: [
                ...(a?.evidence ?? []),
                { id: `raise-${id}`, status: 'accepted', kind: 'metrics', issuedAt: '2026-06-29T00:00:00Z', expiresAt: null },
              ],
            }));
          }
          const after = score(actual);

          expect(predicted.overall.before).toBe(before.overall.score);
          expect(Math.abs(predicted.overall.after - after.overall.score)).toBeLessThan(EPS);
          expect(Math.abs(predicted.overall.delta - (after.overall.score - before.overall.score))).toBeLessThan(EPS);
          expect(predicted.band).toEqual({ before: before.overall.band, after: after.overall.band });
          for (const d of after.domains) {
            const p = predicted.domains[d.domainId]!;
            if (d.score === null) expect(p.after).toBeNull();
            else expect(Math.abs(p.after! - d.score)).toBeLessThan(EPS);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('given today\'s result, predictUplift projects exactly what it projects when it scores today itself', () => {
    fc.assert(
      fc.property(
        arbInput.chain((input) => fc.tuple(fc.constant(input), fc.subarray(input.bank.questions.map((q) => q.id)))),
        ([input, ids]) => {
          expect(predictUplift(input, ids, score(input))).toEqual(predictUplift(input, ids));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('reports per item the same uplift that predictUplift gives for that item alone', () => {
    fc.assert(
      fc.property(arbInputAndQuestion, ([input, qi]) => {
        const item = score(input).items[qi]!;
        const alone = predictUplift(input, [item.questionId]);
        expect(Math.abs(item.uplift.overall - alone.overall.delta)).toBeLessThan(EPS);
        expect(Math.abs(item.uplift.domain - alone.domains[item.domainId]!.delta)).toBeLessThan(EPS);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('scoreStableUntil', () => {
  const DAY_MS = 86_400_000;
  const at = (input: ScoringInput, ms: number): ScoringInput => ({ ...input, asOf: new Date(ms).toISOString() });

  // asOf moved off midnight (evidence dates in the arbitraries fall on whole days from it).
  const arbShiftedInput = fc.tuple(arbInput, fc.integer({ min: -2 * DAY_MS, max: 2 * DAY_MS })).map(([input, shift]) => at(input, Date.parse(input.asOf) + shift));

  it('the result at asOf holds, apart from asOf itself, at every later instant before scoreStableUntil, including the last millisecond', () => {
    fc.assert(
      fc.property(arbShiftedInput, fc.double({ min: 0, max: 1, noNaN: true }), (input, fraction) => {
        const from = Date.parse(input.asOf);
        const until = scoreStableUntil(input);
        expect(until).toBeGreaterThan(from);
        const last = Number.isFinite(until) ? until - 1 : from + 5_000 * DAY_MS;
        const expected = score(input);
        for (const t of [from + Math.floor(fraction * (last - from)), last]) {
          expect({ ...score(at(input, t)), asOf: input.asOf }).toEqual(expected);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is the expiry of the only counting evidence, after which the score drops', () => {
    const input = fc.sample(arbInput, { numRuns: 1, seed: 7 })[0]!;
    const q = input.bank.questions[0]!;
    const expiresAt = new Date(Date.parse(input.asOf) + 10 * DAY_MS).toISOString();
    const evidence: ScoringEvidence = { id: 'e1', status: 'accepted', kind: 'metrics', issuedAt: '2026-01-01', expiresAt };
    const single: ScoringInput = { ...input, items: {}, answers: [{ questionId: q.id, authorId: 'author', value: 4, naApproved: false, reviewedByOther: true, evidence: [evidence] }] };
    expect(scoreStableUntil(single)).toBe(Date.parse(expiresAt));
    expect(score(at(single, Date.parse(expiresAt))).overall.score).toBeLessThan(score(single).overall.score);
  });

  it('is the issue date of evidence not yet issued, and twelve calendar months after issue for evidence without an expiry', () => {
    const base = fc.sample(arbInput, { numRuns: 1, seed: 7 })[0]!;
    const q = base.bank.questions[0]!;
    const withEvidence = (issuedAt: string): ScoringInput => ({
      ...base,
      asOf: '2024-02-29T12:00:00Z',
      answers: [{ questionId: q.id, authorId: 'author', value: 4, naApproved: false, reviewedByOther: true, evidence: [{ id: 'e', status: 'accepted', kind: 'policy', issuedAt }] }],
    });
    expect(scoreStableUntil(withEvidence('2024-03-05'))).toBe(Date.parse('2024-03-05'));
    // Issued on a leap day: twelve calendar months end on 1 March.
    expect(scoreStableUntil(withEvidence('2024-02-29'))).toBe(Date.parse('2025-03-01'));
    expect(scoreStableUntil({ ...base, answers: [] })).toBe(Number.POSITIVE_INFINITY);
    expect(scoreStableUntil({ ...base, asOf: 'yesterday' })).toBeNaN();
  });
});

describe('ScoreMemo', () => {
  const DAY_MS = 86_400_000;
  // A call: the input at some time (before, within or past its stable window), sometimes with the
  // first question's applicability or target changed (new objects), or the other lifecycle.
  const arbCall = fc.record({
    offsetDays: fc.integer({ min: -30, max: 800 }),
    offsetMs: fc.integer({ min: 0, max: DAY_MS - 1 }),
    change: fc.constantFrom('none', 'none', 'none', 'items', 'targets', 'lifecycle'),
  });

  it('returns exactly what score() returns, call after call, whatever the times and parts', () => {
    fc.assert(
      fc.property(arbInput, fc.array(arbCall, { minLength: 1, maxLength: 12 }), (raw, calls) => {
        const input = deepFreeze(raw);
        const memo = new ScoreMemo();
        const start = Date.parse(input.asOf);
        for (const { offsetDays, offsetMs, change } of calls) {
          const call: ScoringInput = { ...input, asOf: new Date(start + offsetDays * DAY_MS + offsetMs).toISOString() };
          const first = input.bank.questions[0]!;
          if (change === 'items') call.items = deepFreeze({ ...input.items, [first.id]: { applicable: !(input.items[first.id]?.applicable ?? true), critical: false } });
          if (change === 'targets') {
            call.targets = Object.freeze({ ...input.targets, [first.id]: ((input.targets?.[first.id] ?? first.targetLevel) + 1) % 5 });
          }
          if (change === 'lifecycle') call.lifecycle = { signedOff: !input.lifecycle?.signedOff, independentlyVerified: true };
          expect(memo.score(call).result).toEqual(score(call));
        }
      }),
      // Each run scores up to 24 times.
      { numRuns: RUNS / 4 },
    );
  });

  it('reuses one result within its stable window, and scores afresh an input whose parts are not frozen', () => {
    const input = deepFreeze(fc.sample(arbInput, { numRuns: 1, seed: 11 })[0]!);
    const memo = new ScoreMemo();
    const first = memo.score(input);
    const later = memo.score({ ...input, asOf: new Date(Date.parse(input.asOf) + 1000).toISOString() });
    expect(first.shared).not.toBeNull();
    expect(later.shared).toBe(first.shared);
    expect(later.result.asOf).not.toBe(first.result.asOf);

    const thawed: ScoringInput = { ...input, answers: [...input.answers] };
    expect(memo.score(thawed).shared).toBeNull();
    thawed.answers.length = 0;
    expect(memo.score(thawed).result).toEqual(score(thawed));
  });
});
