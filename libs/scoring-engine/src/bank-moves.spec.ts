import type { BankMapping } from '@hoh/question-bank';

import { chainMoves, moveOf, movedAnswer, movedTarget, planUpgrade } from './bank-moves.js';

const step1: BankMapping = {
  frameworkId: 'f',
  from: '1.0.0',
  to: '1.1.0',
  questions: [
    { from: 'A', kind: 'unchanged', to: 'A', changes: [] },
    { from: 'B', kind: 'reworded', to: 'B2', changes: [] },
    { from: 'C', kind: 'rescaled', to: 'C', levelMap: { '0': 0, '1': 1, '2': 1, '3': 2, '4': 3 }, changes: [] },
    { from: 'D', kind: 'split', to: ['D1', 'D2'], changes: [] },
    { from: 'E', kind: 'merged', to: 'EF', changes: [] },
    { from: 'F', kind: 'merged', to: 'EF', changes: [] },
    { from: 'G', kind: 'retired', reason: 'No longer asked of anyone.' },
  ],
  newQuestions: ['N'],
};
const step2: BankMapping = {
  frameworkId: 'f',
  from: '1.1.0',
  to: '1.2.0',
  questions: [
    { from: 'A', kind: 'unchanged', to: 'A', changes: [] },
    { from: 'B2', kind: 'unchanged', to: 'B2', changes: [] },
    { from: 'C', kind: 'rescaled', to: 'C', levelMap: { '0': 0, '1': 2, '2': 3, '3': 4, '4': 4 }, changes: [] },
    { from: 'D1', kind: 'unchanged', to: 'D1', changes: [] },
    { from: 'D2', kind: 'retired', reason: 'Folded into the inventory question.' },
    { from: 'EF', kind: 'reworded', to: 'EF', changes: [] },
    { from: 'N', kind: 'unchanged', to: 'N', changes: [] },
  ],
  newQuestions: [],
};

describe('bank moves: how one question’s rows move under a mapping (docs/PRODUCT.md §3.4)', () => {
  it('carries an unchanged answer with its review, a reworded one without, and a rescaled one through the level map', () => {
    const [a, b, c] = step1.questions.map(moveOf);
    expect(movedAnswer(a!, { questionId: 'A', value: 3 })).toEqual({ questionId: 'A', value: 3, keepsReview: true });
    expect(movedAnswer(b!, { questionId: 'B', value: 'not_applicable' })).toEqual({
      questionId: 'B2',
      value: 'not_applicable',
      keepsReview: false,
    });
    expect(movedAnswer(c!, { questionId: 'C', value: 3 })).toEqual({ questionId: 'C', value: 2, keepsReview: false });
    expect(movedAnswer(c!, { questionId: 'C', value: 'unknown' })).toEqual({ questionId: 'C', value: 'unknown', keepsReview: false });
    expect(movedTarget(c!, { questionId: 'C', target: 4, reason: 'kept' })).toEqual({ questionId: 'C', target: 3, reason: 'kept' });
  });

  it('asks again for a split or merged question’s answer and drops a retired one’s, with its target', () => {
    const moves = step1.questions.map(moveOf);
    for (const i of [3, 4, 6]) {
      expect(movedAnswer(moves[i]!, { questionId: moves[i]!.from, value: 2 })).toBeNull();
      expect(movedTarget(moves[i]!, { questionId: moves[i]!.from, target: 2 })).toBeNull();
    }
    expect(moves.map((m) => m.answer)).toEqual([
      'carries',
      'carries',
      'carries_rescaled',
      'needs_fresh_answer',
      'needs_fresh_answer',
      'needs_fresh_answer',
      'none',
    ]);
  });

  it('chains steps: level maps compose, a review survives only unchanged steps, a split branch can retire', () => {
    const moves = chainMoves([step1, step2]);
    expect(moves.get('A')).toMatchObject({ to: ['A'], answer: 'carries', keepsReview: true, levelMap: null });
    expect(moves.get('B')).toMatchObject({ to: ['B2'], answer: 'carries', keepsReview: false });
    // 3 → 2 (step 1) → 3 (step 2)
    expect(moves.get('C')).toMatchObject({ to: ['C'], answer: 'carries_rescaled', levelMap: { '0': 0, '1': 2, '2': 2, '3': 3, '4': 4 } });
    expect(moves.get('D')).toMatchObject({ to: ['D1'], answer: 'needs_fresh_answer', kinds: ['split', 'unchanged', 'retired'] });
    expect(moves.get('E')).toMatchObject({ to: ['EF'], answer: 'needs_fresh_answer' });
    expect(moves.get('G')).toMatchObject({ to: [], answer: 'none' });
    expect(() => chainMoves([step2, step1])).toThrow(/do not join/);
  });

  it('plans every row: answers, targets, evidence links to each new question (merged ones once), assignments to each', () => {
    const plan = planUpgrade([step1], {
      answers: [
        { questionId: 'A', value: 3 },
        { questionId: 'C', value: 4 },
        { questionId: 'D', value: 2 },
        { questionId: 'G', value: 1 },
      ],
      targets: [
        { questionId: 'A', target: 4 },
        { questionId: 'C', target: 4 },
        { questionId: 'D', target: 2 },
      ],
      links: [
        { questionId: 'D', evidenceId: 'e1' },
        { questionId: 'E', evidenceId: 'e2' },
        { questionId: 'F', evidenceId: 'e2' },
        { questionId: 'F', evidenceId: 'e3' },
        { questionId: 'G', evidenceId: 'e4' },
      ],
      assignments: [
        { questionId: 'D', assigneeId: 'u1' },
        { questionId: 'E', assigneeId: 'u2' },
        { questionId: 'F', assigneeId: 'u3' },
        { questionId: 'G', assigneeId: 'u4' },
      ],
    });
    expect(plan.answers.map((a) => [a.from.questionId, a.to.questionId, a.to.value, a.to.keepsReview])).toEqual([
      ['A', 'A', 3, true],
      ['C', 'C', 3, false],
    ]);
    expect(plan.dropped.map((d) => [d.from.questionId, d.carry, d.to])).toEqual([
      ['D', 'needs_fresh_answer', ['D1', 'D2']],
      ['G', 'none', []],
    ]);
    expect(plan.targets).toEqual([
      { questionId: 'A', target: 4 },
      { questionId: 'C', target: 3 },
    ]);
    expect(plan.links).toEqual([
      { questionId: 'D1', evidenceId: 'e1' },
      { questionId: 'D2', evidenceId: 'e1' },
      { questionId: 'EF', evidenceId: 'e2' },
      { questionId: 'EF', evidenceId: 'e3' },
    ]);
    expect(plan.assignments).toEqual([
      { questionId: 'D1', assigneeId: 'u1' },
      { questionId: 'D2', assigneeId: 'u1' },
      { questionId: 'EF', assigneeId: 'u2' },
    ]);
  });

  it('drops rows of a question the old version does not have', () => {
    const plan = planUpgrade([step1], {
      answers: [{ questionId: 'ZZ', value: 1 }],
      targets: [{ questionId: 'ZZ', target: 1 }],
      links: [{ questionId: 'ZZ', evidenceId: 'e' }],
      assignments: [],
    });
    expect(plan).toEqual({
      answers: [],
      dropped: [{ from: { questionId: 'ZZ', value: 1 }, carry: 'none', to: [] }],
      targets: [],
      links: [],
      assignments: [],
    });
  });
});
