import { readFileSync } from 'node:fs';

import fc from 'fast-check';

import { answer, buildBank, inputFor } from '../test/support/builders.js';
import { arbInput, RUNS } from '../test/support/arbitraries.js';
import { score } from './score.js';
import { needsSuggestion, SUGGESTION_DUE_DAYS, SUGGESTION_TITLE_MAX, suggestActions, suggestedTitle, type SuggestionQuestion } from './suggestions.js';

const guidance = (id: string): SuggestionQuestion => ({
  id,
  text: `Is ${id} in place?`,
  remediation: `Fix ${id} by writing the procedure, naming its owner and training the team. Then review it each year.`,
});

describe('which items get a suggested action', () => {
  const bank = buildBank([{ id: 'GOV', questions: [{ weight: 3 }, { weight: 3 }, { weight: 3 }, { weight: 3 }, { weight: 1 }] }]);
  const questions = bank.questions.map((q) => guidance(q.id));

  it('suggests nothing for an N/A awaiting approval, an approved N/A or an item the profile rules out, though the first is below target', () => {
    const result = score(
      inputFor(bank, {
        items: { 'GOV-03': { applicable: false, critical: false } },
        answers: [answer('GOV-01', 'not_applicable'), answer('GOV-02', 'not_applicable', { naApproved: true }), answer('GOV-04', 1)],
      }),
    );
    const pending = result.items.find((i) => i.questionId === 'GOV-01')!;
    // The case of the issue: the pending N/A counts as level 0, so it had the largest gap and uplift.
    expect(pending).toMatchObject({ status: 'na_pending', included: true });
    expect(pending.gap).toBeGreaterThan(0);
    expect(suggestActions(result, questions).map((s) => s.questionId)).toEqual(['GOV-04', 'GOV-05']);
  });

  it('suggests nothing for an item at or above target', () => {
    const result = score(inputFor(bank, { targets: { 'GOV-04': 1 }, answers: [answer('GOV-04', 1)] }));
    expect(suggestActions(result, questions).map((s) => s.questionId)).not.toContain('GOV-04');
  });

  it('suggests exactly for included items below target that are not N/A, for any input (property)', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = score(input);
        const made = new Set(suggestActions(result, input.bank.questions.map((q) => guidance(q.id))).map((s) => s.questionId));
        return result.items.every((i) => made.has(i.questionId) === (i.included && i.gap > 0 && i.status !== 'na_pending' && i.status !== 'not_applicable'));
      }),
      { numRuns: RUNS },
    );
  });

  it('never suggests for an N/A or excluded status, whatever the gap', () => {
    for (const status of ['not_applicable', 'na_pending', 'excluded_by_profile'] as const) {
      expect(needsSuggestion({ status, included: true, gap: 4 })).toBe(false);
    }
    expect(needsSuggestion({ status: 'unknown', included: true, gap: 3 })).toBe(true);
    expect(needsSuggestion({ status: 'unanswered', included: true, gap: 3 })).toBe(true);
  });

  it('gives each suggestion its priority, the due days of that priority, the question and its full guidance, and the assignee as owner', () => {
    const result = score(inputFor(bank, { answers: [answer('GOV-04', 1)] }));
    const [first, , , , last] = suggestActions(result, questions, new Map([['GOV-01', 'user-1']]));
    expect(first).toMatchObject({ questionId: 'GOV-01', priority: 'p2', dueInDays: SUGGESTION_DUE_DAYS.p2, ownerId: 'user-1', target: 3 });
    expect(first!.description).toBe(`Is GOV-01 in place?\n\n${questions[0]!.remediation}`);
    expect(last).toMatchObject({ questionId: 'GOV-05', priority: 'p3', dueInDays: 180, ownerId: null });
  });
});

describe('suggested titles say what to do, from the remediation guidance', () => {
  it('takes the first sentence of the guidance without its full stop', () => {
    expect(suggestedTitle('Add CSAM risk as a standing annual board item. Prepare a two-page pack.')).toBe('Add CSAM risk as a standing annual board item');
  });

  it('does not end the sentence at an abbreviation or inside brackets', () => {
    expect(suggestedTitle('License a CSAM URL list (e.g. IWF. See their site), then match it. Review monthly.')).toBe('License a CSAM URL list (e.g. IWF. See their site), then match it');
  });

  it('drops bracketed asides from a long sentence before shortening it', () => {
    const long = `Integrate perceptual hash matching (e.g. PhotoDNA or PDQ via IWF, NCMEC, Thorn Safer or Image Intercept for smaller services) on every upload path before content is visible. More.`;
    expect(suggestedTitle(long)).toBe('Integrate perceptual hash matching on every upload path before content is visible');
  });

  it('ends a sentence still too long at its last clause, else at a whole word with an ellipsis', () => {
    const clauses = `Map every content surface and messaging channel, give trained moderators the tooling they need, ${'and write a procedure that starts reporting '.repeat(4)}`;
    expect(suggestedTitle(clauses)).toBe('Map every content surface and messaging channel, give trained moderators the tooling they need');
    const words = 'word '.repeat(60);
    const cut = suggestedTitle(words);
    expect(cut.endsWith('word…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(SUGGESTION_TITLE_MAX);
  });

  it('is one non-empty, trimmed line within the limit, for any guidance (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z(),.;:'-]{1,30}$/);
    const text = fc.array(fc.oneof(word, fc.constantFrom(' ', '\n', '. ', ', ', ' (e.g. ', ') ', '\t')), { minLength: 1, maxLength: 120 }).map((parts) => `Do ${parts.join(' ')}`);
    fc.assert(
      fc.property(text, fc.integer({ min: 20, max: 200 }), (remediation, max) => {
        const title = suggestedTitle(remediation, max);
        return title.length > 0 && title.length <= max && !/[\r\n\t]/u.test(title) && title === title.trim();
      }),
      { numRuns: RUNS },
    );
  });

  it.each(['1.0.0', '1.1.0', '1.2.0'])('titles every question of bank %s with words of its own guidance, within the limit and never as “reach level”', (version) => {
    const bank = JSON.parse(readFileSync(`libs/question-bank/content/hoh-csam/${version}/framework.json`, 'utf8')) as { questions: SuggestionQuestion[] };
    const bare = (w: string) => w.replace(/^[(]+|[),.;:…]+$/gu, '');
    for (const q of bank.questions) {
      const title = suggestedTitle(q.remediation);
      const words = new Set(q.remediation.split(/\s+/u).map(bare));
      expect([q.id, title.length > 10 && title.length <= SUGGESTION_TITLE_MAX]).toEqual([q.id, true]);
      expect([q.id, title.split(' ').map(bare).filter((w) => !words.has(w))]).toEqual([q.id, []]);
      expect(title).not.toMatch(/reach level/u);
    }
  });
});
