import fc from 'fast-check';

import type { BankMapping } from '@hoh/question-bank';

import { chainMoves, movedQuestionLinks, questionLinksOn } from './bank-moves.js';

const step: BankMapping = {
  framework: 'f',
  from: '1.0.0',
  to: '2.0.0',
  questions: [
    { from: 'A', kind: 'unchanged', to: 'A' },
    { from: 'B', kind: 'split', to: ['B', 'B2'], changes: ['Split.'] },
    { from: 'C', kind: 'retired', reason: 'Gone.' },
    { from: 'D', kind: 'reworded', to: 'E', changes: ['Renamed.'] },
    { from: 'F', kind: 'merged', to: 'A', changes: ['Merged.'] },
  ],
} as unknown as BankMapping;
const newIds = new Set(['A', 'B', 'B2', 'E', 'N']);

describe("an action's links across bank versions (docs/PRODUCT.md §7.1)", () => {
  it('carries each linked question to every question it became: split to each part, retired to none, renamed to its new id, merged once', () => {
    expect(movedQuestionLinks(chainMoves([step]), ['A', 'B', 'C', 'D', 'F'], newIds)).toEqual(['A', 'B', 'B2', 'E']);
    expect(movedQuestionLinks(chainMoves([step]), ['C'], newIds)).toEqual([]);
  });

  it('keeps an id the mapping does not name when the new version has it, and drops one it does not have', () => {
    expect(movedQuestionLinks(chainMoves([step]), ['N', 'Z'], newIds)).toEqual(['N']);
  });

  it('only ever names questions of the new version, once each, sorted', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'F', 'N', 'Z')), (ids) => {
        const out = movedQuestionLinks(chainMoves([step]), ids, newIds);
        expect(out.every((id) => newIds.has(id))).toBe(true);
        expect(out).toEqual([...new Set(out)].sort());
      }),
    );
  });

  it("names a version's own links where the action has some, else its newest links that the version also has", () => {
    const links = [
      { bankVersion: '1.0.0', questionIds: ['C', 'D'] },
      { bankVersion: '2.0.0', questionIds: ['A', 'E', 'N'] },
    ];
    expect(questionLinksOn(links, '1.0.0', new Set(['A', 'C', 'D']))).toEqual(['C', 'D']);
    expect(questionLinksOn(links, '2.0.0', newIds)).toEqual(['A', 'E', 'N']);
    // An action created on 2.0.0, judged against a 1.0.0 assessment: what 1.0.0 also has.
    expect(questionLinksOn([links[1]!], '1.0.0', new Set(['A', 'C', 'D']))).toEqual(['A']);
    expect(questionLinksOn([], '1.0.0', new Set(['A']))).toEqual([]);
  });
});
