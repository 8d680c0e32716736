import fc from 'fast-check';

import type { Level, ScoringAnswer, ScoringEvidence, ScoringInput } from '../../src/index.js';
import { AS_OF, buildBank } from './builders.js';
import type { Bank } from './builders.js';

const DAY_MS = 86_400_000;
const AS_OF_MS = Date.parse(AS_OF);
const iso = (ms: number) => new Date(ms).toISOString();

/** DEEP=1 runs every property ten times as often. */
export const RUNS = process.env['DEEP'] === '1' ? 10_000 : 1_000;

const DOMAIN_IDS = ['GOV', 'RA', 'HASH', 'URL', 'NOV', 'OPS', 'REP', 'ENT', 'TRN'];

export const arbBank: fc.Arbitrary<Bank> = fc
  .array(
    fc.array(
      fc.record({
        weight: fc.constantFrom(1 as const, 2 as const, 3 as const),
        kind: fc.constantFrom('maturity' as const, 'maturity' as const, 'legal_duty' as const),
        target: fc.integer({ min: 0, max: 4 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    { minLength: 1, maxLength: 9 },
  )
  .map((domains) => buildBank(domains.map((questions, d) => ({ id: DOMAIN_IDS[d]!, questions }))));

const arbLevel = fc.constantFrom<Level>(0, 1, 2, 3, 4);

// Dates around asOf: some expired, some current, a few issued after asOf.
export const arbEvidence: fc.Arbitrary<ScoringEvidence> = fc
  .record({
    id: fc.uuid(),
    status: fc.constantFrom('accepted' as const, 'accepted' as const, 'rejected' as const, 'pending' as const),
    kind: fc.constantFrom('metrics', 'policy', 'configuration'),
    issuedDaysAgo: fc.integer({ min: -10, max: 800 }),
    expiry: fc.option(fc.integer({ min: -400, max: 800 }), { nil: undefined }),
  })
  .map(({ id, status, kind, issuedDaysAgo, expiry }) => {
    const issued = AS_OF_MS - issuedDaysAgo * DAY_MS;
    const ev: ScoringEvidence = { id, status, kind, issuedAt: iso(issued) };
    if (expiry !== undefined) ev.expiresAt = iso(issued + expiry * DAY_MS);
    return ev;
  });

const arbValue: fc.Arbitrary<ScoringAnswer['value']> = fc.oneof(
  { weight: 8, arbitrary: arbLevel },
  { weight: 1, arbitrary: fc.constant('unknown' as const) },
  { weight: 1, arbitrary: fc.constant('not_applicable' as const) },
);

const arbAnswerBody = fc.record({
  value: arbValue,
  naApproved: fc.boolean(),
  reviewedByOther: fc.boolean(),
  evidence: fc.array(arbEvidence, { maxLength: 3 }),
});

/** A synthetic assessment over a synthetic bank of 1–9 domains. */
export const arbInput: fc.Arbitrary<ScoringInput> = arbBank.chain((bank) => {
  const n = bank.questions.length;
  return fc
    .record({
      items: fc.array(
        fc.record({
          applicable: fc.integer({ min: 0, max: 9 }).map((x) => x > 0),
          critical: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
          present: fc.integer({ min: 0, max: 9 }).map((x) => x > 1),
        }),
        { minLength: n, maxLength: n },
      ),
      answers: fc.array(fc.option(arbAnswerBody, { nil: undefined, freq: 6 }), { minLength: n, maxLength: n }),
      targets: fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined, freq: 1 }), { minLength: n, maxLength: n }),
      signedOff: fc.boolean(),
      independentlyVerified: fc.boolean(),
    })
    .map(({ items, answers, targets, signedOff, independentlyVerified }) => {
      const input: ScoringInput = {
        asOf: AS_OF,
        bank,
        items: {},
        targets: {},
        answers: [],
        lifecycle: { signedOff, independentlyVerified },
      };
      bank.questions.forEach((q, i) => {
        const item = items[i]!;
        // A missing entry means applicable and not critical; exercise both forms.
        if (item.present) input.items[q.id] = { applicable: item.applicable, critical: item.critical };
        const body = answers[i];
        if (body) input.answers.push({ questionId: q.id, authorId: 'author', ...body });
        const target = targets[i];
        if (target !== undefined) input.targets![q.id] = target;
      });
      return input;
    });
});
