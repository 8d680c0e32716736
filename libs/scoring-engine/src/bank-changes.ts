import type { BankMapping, QuestionMapping } from '@hoh/question-bank';

import { type AnswerCarry, moveOf, movedAnswer, movedTarget } from './bank-moves.js';
import { score } from './score.js';
import type { ScoringAnswer, ScoringInput } from './types.js';

export type { AnswerCarry } from './bank-moves.js';

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

/**
 * How an answer moves under one mapping entry: the rule of bank-moves.ts, shared with the upgrade
 * itself, so the prediction is what an upgrade would do. A carried answer that loses its review
 * (reworded, rescaled) also loses its N/A approval, as the upgrade clears both.
 */
function carried(entry: QuestionMapping, answer: ScoringAnswer | undefined): { answers: ScoringAnswer[]; carry: AnswerCarry } {
  const move = moveOf(entry);
  if (!answer) return { answers: [], carry: move.answer === 'needs_fresh_answer' ? 'needs_fresh_answer' : 'none' };
  const moved = movedAnswer(move, answer);
  if (!moved) return { answers: [], carry: move.answer };
  const { keepsReview, ...rest } = moved;
  return { answers: [keepsReview ? rest : { ...rest, reviewedByOther: false, naApproved: false }], carry: move.answer };
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
      const movedTo = target === undefined ? null : movedTarget(moveOf(entry), { questionId: entry.from, target });
      if (movedTo) carriedTargets[movedTo.questionId] = movedTo.target;
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
