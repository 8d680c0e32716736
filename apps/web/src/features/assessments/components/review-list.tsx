import type { AnswerResponse, AssessmentResponse, Member } from '@hoh/contracts';
import type { Framework } from '@hoh/question-bank';
import { useState } from 'react';

import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { TextareaField } from '../../../components/ui/textarea-field';
import { describeError } from '../../../lib/api-client';
import { useReviewAnswers } from '../api/assessment-mutations';

import { choiceTitle } from './level-choices';

const REVIEW_LABELS = { pending: 'Waiting for review', approved: 'Approved', returned: 'Returned' } as const;

export interface ReviewListProps {
  orgId: string;
  assessment: AssessmentResponse;
  framework: Framework;
  userId: string;
  /** Owners and assessors review; everyone else sees the list without any buttons. */
  canReview: boolean;
  members: readonly Member[];
}

/** Every answered item with its review state; reviewers approve or return what others answered. */
export function ReviewList({ orgId, assessment, framework, userId, canReview, members }: ReviewListProps) {
  const review = useReviewAnswers(orgId, assessment.id);
  const answered = assessment.answers.filter((a) => a.answered);
  const locked = assessment.status === 'signed';
  const nameOf = (id: string | null) => members.find((m) => m.userId === id)?.name ?? 'A former member';
  const pendingNa = answered.filter((a) => a.value === 'not_applicable' && !a.review.naApproved).length;

  if (answered.length === 0) {
    return <p className="muted">No answers yet. Answers appear here for review as they are saved in the questionnaire.</p>;
  }

  return (
    <>
      {pendingNa > 0 ? (
        <Alert tone="warning" title={`${String(pendingNa)} “not applicable” justification${pendingNa === 1 ? '' : 's'} to approve`}>
          Until approved, these questions count as 0 in the score.
        </Alert>
      ) : null}
      {review.error ? (
        <Alert tone="error" title="The review was not saved">
          {describeError(review.error)}
        </Alert>
      ) : null}
      <ul className="review-list">
        {answered.map((a) => {
          const question = framework.questions.find((q) => q.id === a.questionId);
          return (
            <li key={a.questionId} className="review-item card">
              <div className="review-item__head">
                <span className="qid">{a.questionId}</span>
                <span className={`tag tag--review-${a.review.status}`}>{REVIEW_LABELS[a.review.status]}</span>
                {a.value === 'not_applicable' && !a.review.naApproved ? <span className="tag tag--critical">N/A to approve</span> : null}
              </div>
              <p className="review-item__text">{question?.text}</p>
              <p>
                <strong>Answer:</strong> {question ? choiceTitle(question, a.value) : String(a.value)} <span className="muted">by {nameOf(a.authorId)}</span>
              </p>
              {a.value === 'not_applicable' ? (
                <p>
                  <strong>Justification:</strong> {a.justification}
                </p>
              ) : null}
              {a.comment ? (
                <p>
                  <strong>Comment:</strong> {a.comment}
                </p>
              ) : null}
              {a.review.comment ? (
                <p>
                  <strong>Reviewer’s comment:</strong> {a.review.comment}
                </p>
              ) : null}
              {canReview && !locked ? (
                a.authorId === userId ? (
                  <p className="muted small">You answered this, so another owner or assessor must review it.</p>
                ) : (
                  <ReviewActions
                    answer={a}
                    isBusy={review.isPending && review.variables.items[0]?.questionId === a.questionId}
                    onDecide={(decision, comment) =>
                      review.mutate({ items: [{ questionId: a.questionId, decision, ...(comment ? { comment } : {}) }] })
                    }
                  />
                )
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}

function ReviewActions({
  answer,
  isBusy,
  onDecide,
}: {
  answer: AnswerResponse;
  isBusy: boolean;
  onDecide: (decision: 'approve' | 'return', comment?: string) => void;
}) {
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | undefined>();
  const isNa = answer.value === 'not_applicable';
  return (
    <div className="review-item__actions">
      {returning ? (
        <>
          <TextareaField
            label={`What needs to change in ${answer.questionId}? (required)`}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            error={error}
            rows={2}
          />
          <div className="row">
            <Button
              variant="danger"
              isLoading={isBusy}
              onClick={() => {
                if (comment.trim() === '') {
                  setError('Say what needs to change when returning an item');
                  return;
                }
                onDecide('return', comment.trim());
              }}
            >
              Return {answer.questionId}
            </Button>
            <Button variant="ghost" onClick={() => setReturning(false)}>
              Cancel
            </Button>
          </div>
        </>
      ) : (
        <div className="row">
          {answer.review.status !== 'approved' ? (
            <Button
              isLoading={isBusy}
              onClick={() => onDecide('approve')}
              aria-label={`${isNa ? 'Approve N/A justification' : 'Approve'} ${answer.questionId}`}
            >
              {isNa ? 'Approve N/A justification' : 'Approve'}
            </Button>
          ) : null}
          <Button variant="secondary" onClick={() => setReturning(true)} aria-label={`Return with comment ${answer.questionId}`}>
            Return with comment
          </Button>
        </div>
      )}
    </div>
  );
}
