import type { ItemResult, ItemStatus } from './types.js';

/**
 * How one score moved between two assessments (docs/PRODUCT.md §10, trend and comparisons):
 * - `unchanged`: the printed (rounded) scores are equal — never "improved" for a change of 0;
 * - `review_reset`: the score moved only because a review state differs between the two (a
 *   carried-over N/A whose approval was reset when next year's review started, or approved since):
 *   the answers themselves are the same, so it is neither an improvement nor a deterioration;
 * - `improved` / `deteriorated`: the answers moved it;
 * - `not_comparable`: one side has no score here, or the two used different bank versions.
 */
export const CHANGE_DIRECTIONS = ['improved', 'deteriorated', 'unchanged', 'review_reset', 'not_comparable'] as const;
export type ChangeDirection = (typeof CHANGE_DIRECTIONS)[number];

export interface ScoreMovement {
  before: number | null;
  after: number | null;
  /**
   * Difference of the two rounded scores (whole points, as printed everywhere), so the label always
   * agrees with the number beside it; null when not comparable.
   */
  delta: number | null;
  direction: ChangeDirection;
}

export interface DomainMovement extends ScoreMovement {
  domainId: string;
  title: string;
  /** Questions whose answer differs between the two (value, N/A or unknown, evidence cap). */
  changedQuestionIds: string[];
  /** Questions whose answer is the same but whose review state differs (an N/A approval). */
  reviewResetQuestionIds: string[];
}

export interface Comparison {
  /** False when the bank versions differ: domains are then not compared, only the overall score. */
  sameBank: boolean;
  overall: ScoreMovement & { reviewResetQuestionIds: string[] };
  domains: DomainMovement[];
}

/** The parts of a scoring result a comparison reads; a ScoringResult is one. */
export interface ComparableResult {
  bank: { frameworkId: string; version: string };
  overall: { score: number };
  domains: { domainId: string; title: string; score: number | null }[];
  items: Pick<ItemResult, 'questionId' | 'domainId' | 'status' | 'claimed' | 'effectiveLevel' | 'included'>[];
}

type ComparableItem = ComparableResult['items'][number];

const NA: ReadonlySet<ItemStatus> = new Set<ItemStatus>(['not_applicable', 'na_pending']);

/** Whole points as printed (the engine's `rounded`). */
const points = (score: number): number => Math.round(score);

/** Overall or domain scores alone, when nothing says why they moved (e.g. a trend read from signed rows). */
export function scoreMovement(before: number | null, after: number | null): ScoreMovement {
  if (before === null || after === null || !Number.isFinite(before) || !Number.isFinite(after)) return { before, after, delta: null, direction: 'not_comparable' };
  const delta = points(after) - points(before);
  return { before, after, delta, direction: delta === 0 ? 'unchanged' : delta > 0 ? 'improved' : 'deteriorated' };
}

/**
 * How one question differs between the two: `same` (its contribution is the same), `review` (the
 * same answer, only the review state of an N/A differs) or `answer` (anything else: a new value, a
 * new evidence cap, answered on one side only, applicability changed).
 */
export function itemDifference(before: ComparableItem | undefined, after: ComparableItem | undefined): 'same' | 'review' | 'answer' {
  if (!before || !after) return before === after ? 'same' : 'answer';
  const sameContribution = before.included === after.included && before.effectiveLevel === after.effectiveLevel && before.status === after.status;
  if (sameContribution) return 'same';
  if (NA.has(before.status) && NA.has(after.status)) return 'review';
  return 'answer';
}

/** A score movement with its cause: only review-state differences behind a non-zero change make it `review_reset`. */
function withCause(m: ScoreMovement, answerChanged: boolean, reviewChanged: boolean): ScoreMovement {
  if (m.direction === 'improved' || m.direction === 'deteriorated') {
    if (!answerChanged && reviewChanged) return { ...m, direction: 'review_reset' };
  }
  return m;
}

/**
 * Per-domain and overall movements from `before` to `after`, the one place the product computes
 * them (the overview, the trend route and the report print these, never their own arithmetic).
 * Domains follow `after`'s order; a domain only `before` had is listed after them. Antisymmetric:
 * swapping the two negates every delta, swaps improved and deteriorated, and keeps the rest.
 */
export function compareResults(before: ComparableResult, after: ComparableResult): Comparison {
  const sameBank = before.bank.frameworkId === after.bank.frameworkId && before.bank.version === after.bank.version;
  const beforeItems = new Map(before.items.map((i) => [i.questionId, i]));
  const afterItems = new Map(after.items.map((i) => [i.questionId, i]));
  const questionIds = [...new Set([...beforeItems.keys(), ...afterItems.keys()])].sort();
  const changedBy = new Map<string, string[]>();
  const resetBy = new Map<string, string[]>();
  const allReset: string[] = [];
  let anyAnswerChange = false;
  for (const q of questionIds) {
    const b = beforeItems.get(q);
    const a = afterItems.get(q);
    const diff = itemDifference(b, a);
    if (diff === 'same') continue;
    const domains = new Set([b?.domainId, a?.domainId].filter((d): d is string => d !== undefined));
    const into = diff === 'review' ? resetBy : changedBy;
    for (const d of domains) into.set(d, [...(into.get(d) ?? []), q]);
    if (diff === 'review') allReset.push(q);
    else anyAnswerChange = true;
  }

  const beforeDomains = new Map(before.domains.map((d) => [d.domainId, d]));
  const afterIds = new Set(after.domains.map((d) => d.domainId));
  const rows = [...after.domains, ...before.domains.filter((d) => !afterIds.has(d.domainId))];
  const domains: DomainMovement[] = rows.map((d) => {
    const was = beforeDomains.get(d.domainId)?.score ?? null;
    const now = afterIds.has(d.domainId) ? d.score : null;
    const changedQuestionIds = changedBy.get(d.domainId) ?? [];
    const reviewResetQuestionIds = resetBy.get(d.domainId) ?? [];
    const base = sameBank ? scoreMovement(was, now) : { before: was, after: now, delta: null, direction: 'not_comparable' as const };
    return { domainId: d.domainId, title: d.title, ...withCause(base, changedQuestionIds.length > 0, reviewResetQuestionIds.length > 0), changedQuestionIds, reviewResetQuestionIds };
  });
  const overallBase = scoreMovement(before.overall.score, after.overall.score);
  const overall = { ...(sameBank ? withCause(overallBase, anyAnswerChange, allReset.length > 0) : overallBase), reviewResetQuestionIds: sameBank ? allReset : [] };
  return { sameBank, overall, domains };
}

/** Short human wording for a direction, the same on screen and in the PDF. */
export const CHANGE_LABEL: Readonly<Record<ChangeDirection, string>> = {
  improved: 'Improved',
  deteriorated: 'Deteriorated',
  unchanged: 'Unchanged',
  review_reset: 'Review reset (answers unchanged)',
  not_comparable: 'Not comparable',
};
