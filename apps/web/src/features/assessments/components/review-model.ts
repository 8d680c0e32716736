import type { AnswerResponse, AssessmentResponse, EvidenceResponse } from '@hoh/contracts';
import type { Framework } from '@hoh/question-bank';

/**
 * The answered items in questionnaire order: the bank's domains in their order, and each domain's
 * questions in the bank's order (the order the questionnaire shows them), never alphabetical.
 * Answers to questions the bank does not know (none expected) go last, in the order received.
 */
export function answersInQuestionnaireOrder(framework: Framework, answers: readonly AnswerResponse[]): AnswerResponse[] {
  const domainRank = new Map(framework.domains.map((d, i) => [d.id, i]));
  const rank = new Map(
    framework.questions.map((q, i) => [q.id, (domainRank.get(q.domainId) ?? framework.domains.length) * framework.questions.length + i]),
  );
  const last = Number.MAX_SAFE_INTEGER;
  return answers
    .filter((a) => a.answered)
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (rank.get(x.a.questionId) ?? last) - (rank.get(y.a.questionId) ?? last) || x.i - y.i)
    .map(({ a }) => a);
}

export interface Reviewer {
  userId: string;
  /** Owners and assessors (permission `manage`). */
  canReview: boolean;
}

/**
 * Whether the server would take approve/return on this answer from this member (docs/API.md,
 * POST …/reviews): a reviewer, an unlocked assessment, and an answer someone else wrote.
 */
export function mayReviewAnswer(assessment: Pick<AssessmentResponse, 'status'>, answer: AnswerResponse, me: Reviewer): boolean {
  return me.canReview && assessment.status !== 'signed' && answer.answered && answer.authorId !== me.userId;
}

/**
 * Whether the server would accept this evidence from this member (issue 24 contract): a reviewer,
 * not its uploader, who has opened it, on an unlocked assessment, and not already accepted
 * (repeating the current decision is refused).
 */
export function mayAcceptEvidence(assessment: Pick<AssessmentResponse, 'status'>, evidence: EvidenceResponse, me: Reviewer): boolean {
  return (
    me.canReview &&
    assessment.status !== 'signed' &&
    evidence.uploadedBy.userId !== me.userId &&
    evidence.openedByYouAt !== null &&
    evidence.status !== 'accepted'
  );
}

/** The distinct evidence ids linked to these answers, in the order they first appear. */
export function linkedEvidenceIds(answers: readonly AnswerResponse[]): string[] {
  return [...new Set(answers.flatMap((a) => a.evidenceIds))];
}
