import type { BankMapping, QuestionMapping } from '@hoh/question-bank';

import { score } from './score.js';
import type { Level, ScoringAnswer, ScoringInput } from './types.js';

/**
 * "What this version changes for you" (docs/PRODUCT.md §3.4): a new bank version read against one
 * organisation — its profile, as resolved into each bank's applicability — and its latest answers.
 * Pure: the caller resolves both banks' items from the same profile at the same instant; this says,
 * per question, what changes and whether the answer carries, and predicts the effect on the score
 * as the engine's score of the carried answers on the new bank minus their score on the old one
 * (new questions unanswered count as the scoring rules say: 0 where they apply).
 */

/** What the organisation should notice about one question. */
export const QUESTION_CHANGE_EFFECTS = [
  'new_applies',
  'now_applies',
  'no_longer_applies',
  'criticality_changed',
  'references_corrected',
  'retired',
] as const;
export type QuestionChangeEffect = (typeof QUESTION_CHANGE_EFFECTS)[number];

/** What happens to the organisation's answer: it moves as it is, moves through a level map, must be given again, or there is none to move. */
export type AnswerCarry = 'carries' | 'carries_rescaled' | 'needs_fresh_answer' | 'none';

export interface QuestionChange {
  /** The question's id in the new version; for a retired question, its old id. */
  questionId: string;
  /** The old questions it comes from (empty for a new one). */
  previousIds: string[];
  mapping: QuestionMapping['kind'] | 'new';
  /** Whether it applies to this organisation in each version; null where the question does not exist in it. */
  appliesBefore: boolean | null;
  appliesAfter: boolean | null;
  criticalBefore: boolean | null;
  criticalAfter: boolean | null;
  effects: QuestionChangeEffect[];
  answer: AnswerCarry;
  /** The mapping's own notes on the change, in the bank author's words. */
  notes: string[];
}

export interface BankChangesInput {
  mapping: BankMapping;
  /** The latest assessment on the old version: its bank, items resolved from the profile, targets and answers. */
  before: ScoringInput;
  /** The new version's bank and items, resolved from the same profile at the same `asOf`. */
  after: Pick<ScoringInput, 'bank' | 'items'>;
  /** Each question's references ("regime id"), per version, to say where they were corrected. */
  referencesBefore: Readonly<Record<string, readonly string[]>>;
  referencesAfter: Readonly<Record<string, readonly string[]>>;
}

export interface BankChanges {
  from: string;
  to: string;
  questions: QuestionChange[];
  counts: Record<QuestionChangeEffect, number> & { needsFreshAnswer: number };
  /** The carried answers scored on each bank (unrounded) and the difference; the carried input is scored as of `before.asOf`. */
  score: { before: number; after: number; delta: number };
}

const itemOf = (input: Pick<ScoringInput, 'items'>, id: string) => input.items[id] ?? { applicable: true, critical: false };

function sameReferences(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = [...(a ?? [])].sort();
  const right = [...(b ?? [])].sort();
  return left.length === right.length && left.every((r, i) => r === right[i]);
}

function rescale(answer: ScoringAnswer, levelMap: Record<'0' | '1' | '2' | '3' | '4', number>): ScoringAnswer {
  if (typeof answer.value !== 'number') return answer;
  return { ...answer, value: levelMap[String(answer.value) as '0'] as Level };
}

/**
 * How an answer moves under one mapping entry. An unchanged question keeps its review; any other
 * move drops it (the question or its scale changed, so a second person must look again).
 */
function carried(entry: QuestionMapping, answer: ScoringAnswer | undefined): { answers: ScoringAnswer[]; carry: AnswerCarry } {
  if (entry.kind === 'retired') return { answers: [], carry: 'none' };
  if (!answer) return { answers: [], carry: entry.kind === 'split' || entry.kind === 'merged' ? 'needs_fresh_answer' : 'none' };
  switch (entry.kind) {
    case 'unchanged':
      return { answers: [{ ...answer, questionId: entry.to }], carry: 'carries' };
    case 'reworded':
      return { answers: [{ ...answer, questionId: entry.to, reviewedByOther: false }], carry: 'carries' };
    case 'rescaled':
      return { answers: [{ ...rescale(answer, entry.levelMap), questionId: entry.to, reviewedByOther: false }], carry: 'carries_rescaled' };
    // One answer cannot speak for several new questions, nor several answers for one: each is asked again.
    case 'split':
    case 'merged':
      return { answers: [], carry: 'needs_fresh_answer' };
  }
}

export function bankChanges({ mapping, before, after, referencesBefore, referencesAfter }: BankChangesInput): BankChanges {
  if (before.bank.version !== mapping.from || after.bank.version !== mapping.to) {
    throw new Error(`The mapping goes ${mapping.from} → ${mapping.to}, but the banks given are ${before.bank.version} → ${after.bank.version}.`);
  }
  const answers = new Map(before.answers.map((a) => [a.questionId, a]));
  const newIds = new Set(after.bank.questions.map((q) => q.id));
  const questions: QuestionChange[] = [];
  const carriedAnswers: ScoringAnswer[] = [];
  const carriedTargets: Record<string, number> = {};

  // Merged entries share their target: the new question is one change, listed once with every source.
  const mergedInto = new Map<string, string[]>();
  for (const entry of mapping.questions) if (entry.kind === 'merged') mergedInto.set(entry.to, [...(mergedInto.get(entry.to) ?? []), entry.from]);

  for (const entry of mapping.questions) {
    const { answers: moved, carry } = carried(entry, answers.get(entry.from));
    carriedAnswers.push(...moved);
    const oldItem = itemOf(before, entry.from);
    const target = before.targets?.[entry.from];
    if (entry.kind === 'retired') {
      questions.push({
        questionId: entry.from,
        previousIds: [entry.from],
        mapping: 'retired',
        appliesBefore: oldItem.applicable,
        appliesAfter: null,
        criticalBefore: oldItem.critical,
        criticalAfter: null,
        effects: oldItem.applicable ? ['retired'] : [],
        answer: carry,
        notes: [entry.reason],
      });
      continue;
    }
    if (entry.kind === 'merged' && mergedInto.get(entry.to)?.[0] !== entry.from) continue;
    const targets = entry.kind === 'split' ? entry.to : [entry.to];
    for (const to of targets) {
      if (!newIds.has(to)) throw new Error(`The mapping sends ${entry.from} to ${to}, which is not in ${mapping.to}.`);
      if (target !== undefined && (entry.kind === 'unchanged' || entry.kind === 'reworded')) carriedTargets[to] = target;
      if (target !== undefined && entry.kind === 'rescaled') carriedTargets[to] = entry.levelMap[String(target) as '0'];
      const newItem = itemOf(after, to);
      const effects: QuestionChangeEffect[] = [];
      if (!oldItem.applicable && newItem.applicable) effects.push('now_applies');
      if (oldItem.applicable && !newItem.applicable) effects.push('no_longer_applies');
      if (oldItem.applicable && newItem.applicable && oldItem.critical !== newItem.critical) effects.push('criticality_changed');
      if (newItem.applicable && !sameReferences(referencesBefore[entry.from], referencesAfter[to])) effects.push('references_corrected');
      questions.push({
        questionId: to,
        previousIds: entry.kind === 'merged' ? (mergedInto.get(to) ?? [entry.from]) : [entry.from],
        mapping: entry.kind,
        appliesBefore: oldItem.applicable,
        appliesAfter: newItem.applicable,
        criticalBefore: oldItem.critical,
        criticalAfter: newItem.critical,
        effects,
        answer: carry,
        notes: [...entry.changes],
      });
    }
  }
  for (const id of mapping.newQuestions) {
    if (!newIds.has(id)) throw new Error(`The mapping lists ${id} as new, but it is not in ${mapping.to}.`);
    const item = itemOf(after, id);
    questions.push({
      questionId: id,
      previousIds: [],
      mapping: 'new',
      appliesBefore: null,
      appliesAfter: item.applicable,
      criticalBefore: null,
      criticalAfter: item.critical,
      effects: item.applicable ? ['new_applies'] : [],
      answer: item.applicable ? 'needs_fresh_answer' : 'none',
      notes: [],
    });
  }

  // In the new bank's order, so the screen reads like the questionnaire; retired ones last.
  const order = new Map(after.bank.questions.map((q, i) => [q.id, i]));
  questions.sort((a, b) => (order.get(a.questionId) ?? Infinity) - (order.get(b.questionId) ?? Infinity));

  const beforeScore = score(before).overall.score;
  const afterScore = score({ ...before, bank: after.bank, items: after.items, answers: carriedAnswers, targets: carriedTargets }).overall.score;
  const counts = Object.fromEntries(QUESTION_CHANGE_EFFECTS.map((e) => [e, questions.filter((q) => q.effects.includes(e)).length])) as Record<
    QuestionChangeEffect,
    number
  >;
  return {
    from: mapping.from,
    to: mapping.to,
    questions,
    counts: { ...counts, needsFreshAnswer: questions.filter((q) => q.answer === 'needs_fresh_answer').length },
    score: { before: beforeScore, after: afterScore, delta: afterScore - beforeScore },
  };
}
