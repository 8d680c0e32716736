import { actionPriority, type Priority } from './remediation.js';
import type { ItemResult, Level, ScoringResult } from './types.js';

/**
 * Suggested remediation actions, docs/PRODUCT.md §7.5: which items get one, what it is called, who
 * owns it and when it is due. Pure, so the API, the demo seed and the tests agree on the rule.
 */

/** The part of a bank question a suggestion reads. */
export interface SuggestionQuestion {
  id: string;
  text: string;
  remediation: string;
}

export interface Suggestion {
  questionId: string;
  /** What to do, from the question's remediation guidance (at most SUGGESTION_TITLE_MAX characters). */
  title: string;
  /** The question, then its full remediation guidance. */
  description: string;
  priority: Priority;
  /** Days from today: 30 / 90 / 180 / 365 for P1 / P2 / P3 / P4. */
  dueInDays: number;
  /** The member the question is assigned to in the assessment, when there is one. */
  ownerId: string | null;
  critical: boolean;
  target: Level;
}

/**
 * Longest suggested title. The contract allows 200; a title is read at a glance in a table row, and
 * the full guidance is in the description.
 */
export const SUGGESTION_TITLE_MAX = 140;

export const SUGGESTION_DUE_DAYS: Readonly<Record<Priority, number>> = { p1: 30, p2: 90, p3: 180, p4: 365 };

/**
 * Whether an item gets a suggestion: included and below target. Never for an N/A answer (approved or
 * awaiting approval: fixing it is a review decision, not work) nor for an item the profile rules out
 * (not applicable to the organisation). An N/A awaiting approval is included at level 0, so its gap
 * alone would otherwise make it the largest suggestion.
 */
export function needsSuggestion(item: Pick<ItemResult, 'included' | 'gap' | 'status'>): boolean {
  if (item.status === 'not_applicable' || item.status === 'na_pending' || item.status === 'excluded_by_profile') return false;
  return item.included && item.gap > 0;
}

// A full stop after these is not the end of a sentence ("e.g. PhotoDNA").
const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|incl|approx|art|para|sec)$/i;

/** The first sentence of `text` (its end mark dropped), ignoring stops inside brackets and after abbreviations. */
function firstSentence(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '(' || c === '[') depth += 1;
    else if ((c === ')' || c === ']') && depth > 0) depth -= 1;
    else if ((c === '.' || c === '!' || c === '?' || c === ';') && depth === 0) {
      const next = text[i + 1];
      if (next !== undefined && !/\s/.test(next)) continue;
      if (c === '.' && ABBREVIATIONS.test(text.slice(0, i))) continue;
      return text.slice(0, i);
    }
  }
  return text;
}


const clean = (s: string): string => s.replace(/[\s,;:–—-]+$/u, '').trim();

/** `s` without its bracketed asides ("hash matching (e.g. PhotoDNA) on uploads" → "hash matching on uploads"). */
function withoutAsides(s: string): string {
  let out = '';
  let depth = 0;
  for (const c of s) {
    if (c === '(' || c === '[') depth += 1;
    else if ((c === ')' || c === ']') && depth > 0) depth -= 1;
    else if (depth === 0) out += c;
  }
  return out.replace(/ +([,;:.])/gu, '$1').replace(/ {2,}/gu, ' ').trim();
}

/**
 * A title that says what to do: the first sentence of the remediation guidance ("Map every content
 * surface, …"). Too long, it loses its bracketed asides; still too long, it ends at the last comma,
 * semicolon or colon that keeps at least half of `max`, else at a whole word with "…". Whitespace
 * (line breaks included) becomes single spaces, so the title is one line of at most `max` characters.
 */
export function suggestedTitle(remediation: string, max = SUGGESTION_TITLE_MAX): string {
  const sentence = clean(firstSentence(remediation.replace(/\s+/gu, ' ').trim()));
  if (sentence.length <= max) return sentence;
  const plain = clean(withoutAsides(sentence)) || sentence;
  if (plain.length <= max) return plain;
  const clauseEnds = [...plain.slice(0, max + 1).matchAll(/[,;:] /gu)].map((m) => m.index);
  const clause = clauseEnds.length > 0 ? clean(plain.slice(0, clauseEnds[clauseEnds.length - 1])) : '';
  if (clause.length >= max / 2) return clause;
  // Whole words up to max - 1 characters, then the ellipsis; a single overlong word is cut.
  const words = plain.slice(0, max).split(' ');
  const head = words.length > 1 ? clean(words.slice(0, -1).join(' ')) : '';
  return `${(head || plain).slice(0, max - 1)}…`;
}

/**
 * One suggestion per item that needs one (needsSuggestion), in the result's (bank) order. The owner
 * is the question's assignee in `assignees` (question id → member id), when there is one.
 */
export function suggestActions(
  result: Pick<ScoringResult, 'items'>,
  questions: readonly SuggestionQuestion[],
  assignees: ReadonlyMap<string, string> = new Map(),
): Suggestion[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  return result.items.flatMap((item) => {
    const question = byId.get(item.questionId);
    if (!question || !needsSuggestion(item)) return [];
    const priority = actionPriority(result.items, [item.questionId]);
    return [
      {
        questionId: item.questionId,
        title: suggestedTitle(question.remediation),
        description: `${question.text}\n\n${question.remediation}`,
        priority,
        dueInDays: SUGGESTION_DUE_DAYS[priority],
        ownerId: assignees.get(item.questionId) ?? null,
        critical: item.critical,
        target: item.target,
      },
    ];
  });
}
