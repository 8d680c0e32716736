import { ScoringInputError } from './errors.js';
import { score } from './score.js';
import type { DomainScoreChange, InputIssue, ScoringAnswer, ScoringInput, ScoringResult, Uplift } from './types.js';

/**
 * The input as it would be if each named item reached its target: claimed = target, backed by an
 * accepted metrics document issued at `asOf`, with review status kept. Items already at or above
 * target, and items not included (ruled out by profile or approved N/A), are left as they are.
 */
export function raiseToTargets(input: ScoringInput, current: ScoringResult, questionIds: string[]): ScoringInput {
  const byId = new Map(current.items.map((item) => [item.questionId, item]));
  const issues: InputIssue[] = [];
  const raise = new Set<string>();
  questionIds.forEach((id, i) => {
    const item = byId.get(id);
    if (!item) issues.push({ path: `questionIds[${i}]`, message: `unknown question ${id}` });
    else if (item.gap > 0) raise.add(id);
  });
  if (issues.length > 0) throw new ScoringInputError(issues);
  if (raise.size === 0) return input;

  const answers: ScoringAnswer[] = [];
  for (const answer of input.answers) if (!raise.has(answer.questionId)) answers.push(answer);
  for (const id of raise) {
    const item = byId.get(id)!;
    const previous = input.answers.find((a) => a.questionId === id);
    answers.push({
      questionId: id,
      value: item.target,
      naApproved: false,
      ...(previous?.authorId !== undefined ? { authorId: previous.authorId } : {}),
      reviewedByOther: previous?.reviewedByOther ?? false,
      evidence: [
        ...(previous?.evidence ?? []),
        { id: `projected:${id}`, status: 'accepted', kind: 'metrics', issuedAt: input.asOf, expiresAt: null },
      ],
    });
  }
  return { ...input, answers };
}

/**
 * Projected score if the named items reached their targets, and the change from today's score.
 * `current` must be `score(input)` when given: a caller projecting many item sets against one input
 * (an action list) scores today once instead of once per projection.
 */
export function predictUplift(input: ScoringInput, questionIds: string[], current?: ScoringResult): Uplift {
  const before = current ?? score(input);
  const raised = raiseToTargets(input, before, questionIds);
  const projected = raised === input ? before : score(raised);
  const domains: Record<string, DomainScoreChange> = {};
  for (let d = 0; d < before.domains.length; d++) {
    const b = before.domains[d]!;
    const a = projected.domains[d]!;
    domains[b.domainId] = { before: b.score, after: a.score, delta: (a.score ?? 0) - (b.score ?? 0) };
  }
  return {
    overall: { before: before.overall.score, after: projected.overall.score, delta: projected.overall.score - before.overall.score },
    domains,
    band: { before: before.overall.band, after: projected.overall.band },
    projected,
  };
}
