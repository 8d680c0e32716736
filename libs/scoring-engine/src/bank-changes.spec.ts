import fc from 'fast-check';
import type { BankMapping } from '@hoh/question-bank';

import { arbInput, RUNS } from '../test/support/arbitraries.js';
import { bankChanges } from './bank-changes.js';
import { score } from './score.js';
import type { ScoringAnswer, ScoringInput, ScoringQuestion } from './types.js';

const q = (id: string, weight: 1 | 2 | 3 = 2, targetLevel = 3): ScoringQuestion => ({ id, domainId: 'D', weight, scale: { kind: 'maturity' }, targetLevel });
const answer = (questionId: string, value: ScoringAnswer['value'], reviewedByOther = true): ScoringAnswer => ({
  questionId,
  value,
  reviewedByOther,
  evidence: [],
});
const ASOF = '2026-12-07T12:00:00Z';

const before: ScoringInput = {
  asOf: ASOF,
  bank: { frameworkId: 'f', version: '1.0.0', domains: [{ id: 'D', title: 'Domain' }], questions: ['X-01', 'X-02', 'X-03', 'X-04', 'X-05'].map((id) => q(id)) },
  items: {},
  targets: { 'X-03': 4 },
  answers: [answer('X-01', 3), answer('X-02', 2), answer('X-03', 4), answer('X-04', 1), answer('X-05', 2)],
};
const after: Pick<ScoringInput, 'bank' | 'items'> = {
  bank: { frameworkId: 'f', version: '1.1.0', domains: [{ id: 'D', title: 'Domain' }], questions: ['X-01', 'X-02', 'X-03', 'X-05', 'X-06', 'X-07'].map((id) => q(id)) },
  items: { 'X-01': { applicable: true, critical: true }, 'X-02': { applicable: false, critical: false } },
};
const mapping: BankMapping = {
  frameworkId: 'f',
  from: '1.0.0',
  to: '1.1.0',
  questions: [
    { from: 'X-01', kind: 'unchanged', to: 'X-01', changes: ['X-01: critical where the new measure applies.'] },
    { from: 'X-02', kind: 'reworded', to: 'X-02', changes: [] },
    { from: 'X-03', kind: 'rescaled', to: 'X-03', levelMap: { '0': 0, '1': 1, '2': 1, '3': 2, '4': 3 }, changes: [] },
    { from: 'X-04', kind: 'retired', reason: 'Covered by the new inventory question.' },
    { from: 'X-05', kind: 'split', to: ['X-05', 'X-06'], changes: [] },
  ],
  newQuestions: ['X-07'],
};
const refs = { before: { 'X-01': ['uk-osa s.66'], 'X-03': ['ofcom-icu C9'] }, after: { 'X-01': ['uk-osa s.66'], 'X-03': ['ofcom-icu C9.2'] } };

describe('what a new bank version changes for an organisation', () => {
  const changes = bankChanges({ mapping, before, after, referencesBefore: refs.before, referencesAfter: refs.after });
  const byId = new Map(changes.questions.map((c) => [c.questionId, c]));

  it('lists every question of both versions once, in the new bank order with retired ones last', () => {
    expect(changes.questions.map((c) => c.questionId)).toEqual(['X-01', 'X-02', 'X-03', 'X-05', 'X-06', 'X-07', 'X-04']);
  });

  it('says how each answer moves: as it is, through the level map, asked again, or not at all', () => {
    expect(byId.get('X-01')?.answer).toBe('carries');
    expect(byId.get('X-02')?.answer).toBe('carries');
    expect(byId.get('X-03')?.answer).toBe('carries_rescaled');
    expect(byId.get('X-05')?.answer).toBe('needs_fresh_answer');
    expect(byId.get('X-06')?.answer).toBe('needs_fresh_answer');
    expect(byId.get('X-07')?.answer).toBe('needs_fresh_answer');
    expect(byId.get('X-04')?.answer).toBe('none');
  });

  it('names what the organisation should notice: new and applies, no longer applies, criticality changed, references corrected, retired', () => {
    expect(byId.get('X-07')?.effects).toEqual(['new_applies']);
    expect(byId.get('X-02')?.effects).toEqual(['no_longer_applies']);
    expect(byId.get('X-01')?.effects).toEqual(['criticality_changed']);
    expect(byId.get('X-03')?.effects).toEqual(['references_corrected']);
    expect(byId.get('X-04')?.effects).toEqual(['retired']);
    expect(byId.get('X-01')?.notes).toEqual(['X-01: critical where the new measure applies.']);
    expect(changes.counts).toMatchObject({ new_applies: 1, no_longer_applies: 1, criticality_changed: 1, references_corrected: 1, retired: 1, needsFreshAnswer: 3 });
  });

  it('predicts the score as the engine scores the carried answers on the new bank, minus the old score', () => {
    const carried: ScoringInput = {
      ...before,
      bank: after.bank,
      items: after.items,
      targets: { 'X-03': 3 },
      answers: [answer('X-01', 3), answer('X-02', 2, false), answer('X-03', 3, false)],
    };
    expect(changes.score.before).toBe(score(before).overall.score);
    expect(changes.score.after).toBe(score(carried).overall.score);
    expect(changes.score.delta).toBeCloseTo(changes.score.after - changes.score.before, 12);
  });

  it('refuses a mapping that does not join the two banks given', () => {
    expect(() => bankChanges({ mapping: { ...mapping, to: '2.0.0' }, before, after, referencesBefore: {}, referencesAfter: {} })).toThrow(/1.0.0 → 2.0.0/);
    const lost = { ...mapping, newQuestions: ['X-99'] };
    expect(() => bankChanges({ mapping: lost, before, after, referencesBefore: {}, referencesAfter: {} })).toThrow(/X-99/);
  });

  it('property: a version that changes nothing predicts no score change and nothing to notice', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const same: BankMapping = {
          frameworkId: input.bank.frameworkId,
          from: input.bank.version,
          to: input.bank.version,
          questions: input.bank.questions.map((x) => ({ from: x.id, kind: 'unchanged' as const, to: x.id, changes: [] })),
          newQuestions: [],
        };
        const result = bankChanges({ mapping: same, before: input, after: input, referencesBefore: {}, referencesAfter: {} });
        expect(result.score.delta).toBe(0);
        expect(result.questions.every((c) => c.effects.length === 0)).toBe(true);
        expect(result.counts.needsFreshAnswer).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});
