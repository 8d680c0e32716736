import type { BankMapping, QuestionMapping } from '@hoh/question-bank';

/**
 * How an assessment's rows move from one bank version to a later one (docs/PRODUCT.md §3.4): THE
 * rule, used both to predict ("what a newer version changes for you", bank-changes.ts) and to do it
 * (the API's upgrade of a draft or in-review assessment). Pure: rows in, rows out.
 *
 * Per mapping entry:
 * - unchanged: the answer, its review, its evidence links, target and assignment carry.
 * - reworded: the same, but the review is dropped (a second person must read the new wording).
 * - rescaled: a level goes through the level map (so does the target); the review is dropped.
 * - split: the answer cannot speak for several questions (needs a fresh answer); evidence links and
 *   the assignment go to every new question.
 * - merged: nor can several answers speak for one (needs a fresh answer); evidence links and the
 *   assignment go to the merged question (once, however many sources had them).
 * - retired: everything of it is dropped.
 * Across several published steps the moves are chained: an answer carries only if it carries at
 * every step, keeps its review only if unchanged at every step, and levels go through each map.
 */

export type LevelMap = Readonly<Record<'0' | '1' | '2' | '3' | '4', number>>;

/** What happens to an existing answer: it moves as it is, moves through a level map, must be given again, or is dropped with its question. */
export type AnswerCarry = 'carries' | 'carries_rescaled' | 'needs_fresh_answer' | 'none';

export interface QuestionMove {
  /** The question's id in the version the assessment is on. */
  from: string;
  /** Its questions in the version it moves to: several after a split, none once retired. Links and assignments follow to each. */
  to: readonly string[];
  /** Each step's kind, oldest first. */
  kinds: readonly QuestionMapping['kind'][];
  answer: AnswerCarry;
  /** Whether a carried answer keeps its review (and N/A approval): only when unchanged at every step. */
  keepsReview: boolean;
  /** The composed level map; null when no step rescaled. */
  levelMap: LevelMap | null;
}

const LEVELS = ['0', '1', '2', '3', '4'] as const;

function compose(first: LevelMap | null, then: LevelMap | null): LevelMap | null {
  if (!first) return then;
  if (!then) return first;
  return Object.fromEntries(LEVELS.map((l) => [l, then[String(first[l]) as '0']])) as unknown as LevelMap;
}

/** The move one mapping entry makes (one step). */
export function moveOf(entry: QuestionMapping): QuestionMove {
  switch (entry.kind) {
    case 'retired':
      return { from: entry.from, to: [], kinds: ['retired'], answer: 'none', keepsReview: false, levelMap: null };
    case 'unchanged':
      return { from: entry.from, to: [entry.to], kinds: ['unchanged'], answer: 'carries', keepsReview: true, levelMap: null };
    case 'reworded':
      return { from: entry.from, to: [entry.to], kinds: ['reworded'], answer: 'carries', keepsReview: false, levelMap: null };
    case 'rescaled':
      return {
        from: entry.from,
        to: [entry.to],
        kinds: ['rescaled'],
        answer: 'carries_rescaled',
        keepsReview: false,
        levelMap: entry.levelMap,
      };
    case 'split':
      return { from: entry.from, to: [...entry.to], kinds: ['split'], answer: 'needs_fresh_answer', keepsReview: false, levelMap: null };
    case 'merged':
      return { from: entry.from, to: [entry.to], kinds: ['merged'], answer: 'needs_fresh_answer', keepsReview: false, levelMap: null };
  }
}

/** A move followed by the next step's moves of each question it reached. */
function then(move: QuestionMove, next: ReadonlyMap<string, QuestionMove>): QuestionMove {
  const steps = move.to.map((id) => {
    const step = next.get(id);
    if (!step) throw new Error(`${id} has no entry in the next step's mapping; every question must be accounted for.`);
    return step;
  });
  const to = [...new Set(steps.flatMap((s) => s.to))];
  const kinds = [...move.kinds, ...new Set(steps.flatMap((s) => s.kinds))];
  let answer: AnswerCarry;
  if (to.length === 0) answer = 'none';
  else if (move.answer === 'needs_fresh_answer' || steps.some((s) => s.answer === 'needs_fresh_answer')) answer = 'needs_fresh_answer';
  else if (move.answer === 'carries_rescaled' || steps.some((s) => s.answer === 'carries_rescaled')) answer = 'carries_rescaled';
  else answer = 'carries';
  // A carried answer reached exactly one question in one step, so steps[0] is the only one then.
  const carries = answer === 'carries' || answer === 'carries_rescaled';
  return {
    from: move.from,
    to,
    kinds,
    answer,
    keepsReview: carries && move.keepsReview && steps[0]!.keepsReview,
    levelMap: carries ? compose(move.levelMap, steps[0]!.levelMap) : null,
  };
}

/**
 * Every question of the first step's old version, moved through each step in turn (the steps must
 * join: each one's `to` is the next one's `from`). Keyed by the old question id.
 */
export function chainMoves(steps: readonly BankMapping[]): Map<string, QuestionMove> {
  if (steps.length === 0) throw new Error('An upgrade needs at least one published step.');
  steps.forEach((s, i) => {
    if (i > 0 && steps[i - 1]!.to !== s.from) throw new Error(`The steps do not join: ${steps[i - 1]!.to} then ${s.from}.`);
  });
  let moves = new Map(steps[0]!.questions.map((e) => [e.from, moveOf(e)]));
  for (const step of steps.slice(1)) {
    const next = new Map(step.questions.map((e) => [e.from, moveOf(e)]));
    moves = new Map([...moves].map(([id, move]) => [id, then(move, next)]));
  }
  return moves;
}

/** A level through the move's level map ("unknown" and N/A stay as they are). */
export function movedLevel<V extends number | string>(move: QuestionMove, value: V): V | number {
  if (typeof value !== 'number' || !move.levelMap) return value;
  return move.levelMap[String(value) as '0'];
}

/**
 * An answer as it is on the new version, or null when it does not carry (needs a fresh answer, or
 * retired). A carried answer's review is kept only when `keepsReview`; the caller clears it otherwise.
 */
export function movedAnswer<A extends { questionId: string; value: number | string }>(
  move: QuestionMove,
  answer: A,
): (A & { keepsReview: boolean }) | null {
  if (move.answer !== 'carries' && move.answer !== 'carries_rescaled') return null;
  return { ...answer, questionId: move.to[0]!, value: movedLevel(move, answer.value) as A['value'], keepsReview: move.keepsReview };
}

/** A target override as it is on the new version: it carries wherever the answer would (through the level map), else it is dropped. */
export function movedTarget<T extends { questionId: string; target: number }>(move: QuestionMove, target: T): T | null {
  if (move.answer !== 'carries' && move.answer !== 'carries_rescaled') return null;
  return { ...target, questionId: move.to[0]!, target: movedLevel<number>(move, target.target) };
}

/** Rows that follow their question to every question it became (evidence links, assignments), first one kept where several land on the same key. */
export function followRows<R extends { questionId: string }>(
  moves: ReadonlyMap<string, QuestionMove>,
  rows: readonly R[],
  key: (row: R) => string,
): R[] {
  const out = new Map<string, R>();
  for (const row of rows) {
    for (const to of moves.get(row.questionId)?.to ?? []) {
      const moved = { ...row, questionId: to };
      const k = key(moved);
      if (!out.has(k)) out.set(k, moved);
    }
  }
  return [...out.values()];
}

type AnswerLike = { questionId: string; value: number | string };
type TargetLike = { questionId: string; target: number };
type LinkLike = { questionId: string; evidenceId: string };
type AssignmentLike = { questionId: string; assigneeId: string };

/** An assessment's rows; each may carry more fields (who, when), which move with it. */
export interface UpgradeRows<
  A extends AnswerLike,
  T extends TargetLike = TargetLike,
  L extends LinkLike = LinkLike,
  S extends AssignmentLike = AssignmentLike,
> {
  answers: readonly A[];
  targets: readonly T[];
  links: readonly L[];
  assignments: readonly S[];
}

export interface UpgradePlan<
  A extends AnswerLike,
  T extends TargetLike = TargetLike,
  L extends LinkLike = LinkLike,
  S extends AssignmentLike = AssignmentLike,
> {
  /** Carried answers on the new version, each with the answer it came from. */
  answers: { from: A; to: A & { keepsReview: boolean }; carry: AnswerCarry }[];
  /** Answers that do not carry, with why and where their question went. */
  dropped: { from: A; carry: AnswerCarry; to: readonly string[] }[];
  targets: T[];
  links: L[];
  /** One assignee per question: where several old questions land on one, the first in the old rows' order. */
  assignments: S[];
}

/**
 * Where every row of an assessment goes under the chained steps. Rows of questions the old version
 * does not have (there should be none) are dropped, like a retired question's.
 */
export function planUpgrade<A extends AnswerLike, T extends TargetLike, L extends LinkLike, S extends AssignmentLike>(
  steps: readonly BankMapping[],
  rows: UpgradeRows<A, T, L, S>,
): UpgradePlan<A, T, L, S> {
  const moves = chainMoves(steps);
  const plan: UpgradePlan<A, T, L, S> = { answers: [], dropped: [], targets: [], links: [], assignments: [] };
  for (const answer of rows.answers) {
    const move = moves.get(answer.questionId);
    const to = move ? movedAnswer(move, answer) : null;
    if (move && to) plan.answers.push({ from: answer, to, carry: move.answer });
    else plan.dropped.push({ from: answer, carry: move?.answer ?? 'none', to: move?.to ?? [] });
  }
  for (const t of rows.targets) {
    const move = moves.get(t.questionId);
    const moved = move ? movedTarget(move, t) : null;
    if (moved) plan.targets.push(moved);
  }
  plan.links = followRows(moves, rows.links, (l) => `${l.questionId}\u0000${l.evidenceId}`);
  plan.assignments = followRows(moves, rows.assignments, (a) => a.questionId);
  return plan;
}

/** An action's links on one bank version (docs/PRODUCT.md §7.1): the question ids it names there. */
export interface QuestionLinks {
  bankVersion: string;
  questionIds: readonly string[];
}

/**
 * An action's links carried to the next bank version: each linked question to every question it
 * became (a split one to all its parts, a retired one to none). An id the moves do not know but the
 * new version has stays as it is (a link made to a newer bank than the one moved from). Sorted, once each.
 */
export function movedQuestionLinks(
  moves: ReadonlyMap<string, QuestionMove>,
  questionIds: readonly string[],
  newVersionIds: ReadonlySet<string>,
): string[] {
  const out = new Set<string>();
  for (const id of questionIds) {
    const move = moves.get(id);
    if (move) move.to.forEach((to) => out.add(to));
    else if (newVersionIds.has(id)) out.add(id);
  }
  return [...out].sort();
}

/**
 * The questions an action names on `version`: its links made on that version when it has them
 * (links are added per version and never replaced); otherwise its newest links that `version` also
 * has, so an action created after a bank upgrade still shows against an older assessment where the
 * question existed. `links` oldest first.
 */
export function questionLinksOn(links: readonly QuestionLinks[], version: string, versionIds: ReadonlySet<string>): string[] {
  const exact = links.find((l) => l.bankVersion === version);
  if (exact) return [...exact.questionIds];
  const newest = links.at(-1);
  return newest ? newest.questionIds.filter((id) => versionIds.has(id)) : [];
}
