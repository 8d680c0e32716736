import type { AnswerResponse, AssessmentResponse, EvidenceResponse, Member } from '@hoh/contracts';
import type { Framework, Question } from '@hoh/question-bank';
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { TextareaField } from '@/components/ui/textarea-field';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useReviewAnswers } from '../api/assessment-mutations';
import { EvidenceSummary } from '@/features/evidence';
import { useEvidenceItems, useReviewEvidenceBatch } from '../api/review-evidence';
import { useReviewShortcuts } from '../hooks/use-review-shortcuts';

import { AnswerHistory } from './answer-history';
import { choicesFor } from './level-choices';
import { answersInQuestionnaireOrder, linkedEvidenceIds, mayAcceptEvidence, mayReviewAnswer } from './review-model';
import './review-list.css';
import '../assessments.css';

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

const plural = (n: number, one: string, many = `${one}s`) => `${String(n)} ${n === 1 ? one : many}`;

/**
 * Every answered item in questionnaire order, with its chosen level's descriptor, its evidence and
 * its history. Reviewers select many and approve or return them with one comment, accept the
 * evidence they opened in one go, and move through the list with the keyboard. No control is shown
 * that the server would refuse this member (review-model.ts says which).
 */
export function ReviewList({ orgId, assessment, framework, userId, canReview, members }: ReviewListProps) {
  const review = useReviewAnswers(orgId, assessment.id);
  const acceptEvidence = useReviewEvidenceBatch(orgId, assessment.id);
  const answered = answersInQuestionnaireOrder(framework, assessment.answers);
  const me = { userId, canReview };
  const reviewable = new Set(answered.filter((a) => mayReviewAnswer(assessment, a, me)).map((a) => a.questionId));
  const evidenceIds = linkedEvidenceIds(answered);
  const evidence = useEvidenceItems(orgId, evidenceIds);
  const acceptable = evidenceIds.flatMap((id) => {
    const e = evidence.byId.get(id);
    return e && mayAcceptEvidence(assessment, e, me) ? [e] : [];
  });

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [current, setCurrent] = useState(-1);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | undefined>();
  const [done, setDone] = useState('');
  const [rejecting, setRejecting] = useState<EvidenceResponse | null>(null);
  const [rejectReason, setRejectReason] = useState('');
  const [rejectError, setRejectError] = useState<string | undefined>();
  const listRef = useRef<HTMLOListElement>(null);
  const scopeRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef(new Map<string, HTMLLIElement>());
  const bulkRef = useRef<HTMLElement>(null);
  const focusComment = () => bulkRef.current?.querySelector('textarea')?.focus();

  const nameOf = (id: string | null) => members.find((m) => m.userId === id)?.name ?? 'A former member';
  const questionOf = (id: string) => framework.questions.find((q) => q.id === id);
  const pendingNa = answered.filter((a) => a.value === 'not_applicable' && !a.review.naApproved).length;
  const chosen = [...selected].filter((id) => reviewable.has(id));
  const pending = answered.filter((a) => reviewable.has(a.questionId) && a.review.status === 'pending').map((a) => a.questionId);
  const allPendingSelected = pending.length > 0 && pending.every((id) => selected.has(id));
  const showBulk = reviewable.size > 0;

  const toggle = (id: string) => {
    if (!reviewable.has(id)) return;
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };
  const moveTo = (index: number) => {
    const clamped = Math.max(0, Math.min(answered.length - 1, index));
    const a = answered[clamped];
    if (!a) return;
    setCurrent(clamped);
    itemRefs.current.get(a.questionId)?.focus();
  };
  const decide = (ids: readonly string[], decision: 'approve' | 'return', text?: string) => {
    if (ids.length === 0) return;
    setDone('');
    review.mutate(
      { items: ids.map((questionId) => ({ questionId, decision, ...(text ? { comment: text } : {}) })) },
      {
        onSuccess: () => {
          setSelected(new Set());
          setComment('');
          setDone(`${decision === 'approve' ? 'Approved' : 'Returned'} ${plural(ids.length, 'answer')}.`);
        },
      },
    );
  };
  const approveSelected = () => decide(chosen, 'approve', comment.trim() || undefined);
  const returnSelected = () => {
    if (comment.trim() === '') {
      setCommentError('Say what needs to change before returning answers');
      focusComment();
      return;
    }
    setCommentError(undefined);
    decide(chosen, 'return', comment.trim());
  };
  const accept = (items: readonly EvidenceResponse[]) => {
    setDone('');
    acceptEvidence.mutate(
      { evidenceIds: items.map((e) => e.id), decision: 'accept' },
      { onSuccess: ({ items: accepted }) => setDone(`Accepted ${plural(accepted.length, 'evidence item')}.`) },
    );
  };
  const reject = () => {
    if (!rejecting) return;
    if (rejectReason.trim() === '') {
      setRejectError('Say why it is rejected, so the uploader knows what to provide instead');
      return;
    }
    setDone('');
    const title = rejecting.title;
    acceptEvidence.mutate(
      { evidenceIds: [rejecting.id], decision: 'reject', reason: rejectReason.trim() },
      {
        onSuccess: () => {
          setRejecting(null);
          setRejectReason('');
          setDone(`Rejected ${title}.`);
        },
      },
    );
  };
  // The evidence summary offers Accept and Reject under the server's rules (own upload, opened);
  // on a signed assessment, or for a member who may not review, it offers none.
  const evidenceReview =
    canReview && assessment.status !== 'signed'
      ? (e: EvidenceResponse, decision: 'accept' | 'reject') => {
          if (decision === 'accept') accept([e]);
          else {
            setRejectError(undefined);
            setRejecting(e);
          }
        }
      : undefined;

  const currentAnswer = answered[current];
  useReviewShortcuts(
    scopeRef,
    listRef,
    {
      next: () => moveTo(current + 1),
      previous: () => moveTo(current - 1),
      toggle: () => {
        if (currentAnswer) toggle(currentAnswer.questionId);
      },
      approve: () => {
        if (chosen.length > 0) approveSelected();
        else if (currentAnswer && reviewable.has(currentAnswer.questionId) && currentAnswer.review.status !== 'approved')
          decide([currentAnswer.questionId], 'approve');
      },
      returnItems: () => {
        if (chosen.length === 0 && currentAnswer && reviewable.has(currentAnswer.questionId))
          setSelected(new Set([currentAnswer.questionId]));
        if (chosen.length > 0 || (currentAnswer && reviewable.has(currentAnswer.questionId))) focusComment();
      },
    },
    answered.length > 0,
  );

  if (answered.length === 0) {
    return <p className="muted">No answers yet. Answers appear here for review as they are saved in the questionnaire.</p>;
  }

  return (
    <div ref={scopeRef} className="review">
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
      {acceptEvidence.error ? (
        <Alert tone="error" title="No evidence was accepted">
          {describeError(acceptEvidence.error)}
        </Alert>
      ) : null}
      <p role="status" className="review-done">
        {done}
      </p>

      {showBulk ? (
        <section ref={bulkRef} className="review-bulk card" aria-label="Review several answers at once">
          <div className="review-bulk__row">
            <label className="review-check">
              <input
                type="checkbox"
                checked={allPendingSelected}
                disabled={pending.length === 0}
                onChange={(e) =>
                  setSelected(
                    e.target.checked ? new Set([...selected, ...pending]) : new Set([...selected].filter((id) => !pending.includes(id))),
                  )
                }
              />
              Select all waiting for review ({pending.length})
            </label>
            <span className="muted small" aria-live="polite">
              {plural(chosen.length, 'answer')} selected
            </span>
          </div>
          <TextareaField
            label="Comment for the selected answers (required to return them)"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            error={commentError}
            rows={2}
          />
          <div className="row">
            <Button
              isLoading={review.isPending && (review.variables.items.length > 1 || chosen.length > 0)}
              disabled={chosen.length === 0}
              onClick={approveSelected}
            >
              Approve selected ({chosen.length})
            </Button>
            <Button variant="secondary" disabled={chosen.length === 0 || review.isPending} onClick={returnSelected}>
              Return selected ({chosen.length})
            </Button>
          </div>
        </section>
      ) : null}

      <p className="review-keys small muted" aria-label="Keyboard shortcuts">
        Keys: <kbd>j</kbd>/<kbd>↓</kbd> next · <kbd>k</kbd>/<kbd>↑</kbd> previous
        {showBulk ? (
          <>
            {' '}
            · <kbd>x</kbd> select · <kbd>a</kbd> approve the selected (or this) answer · <kbd>r</kbd> return: write the comment
          </>
        ) : null}
      </p>

      {evidenceIds.length > 0 ? (
        <section className="review-evidence-all card" aria-labelledby="review-evidence-title">
          <h3 id="review-evidence-title">Evidence linked to these answers ({evidenceIds.length})</h3>
          {canReview && assessment.status !== 'signed' ? (
            <p className="muted small">
              Open each item before accepting it: Accept is offered only for evidence you opened and did not add yourself.
            </p>
          ) : null}
          {evidence.error ? <p className="field__error">Some evidence could not be loaded: {describeError(evidence.error)}</p> : null}
          <ul className="review-evidence-all__list">
            {evidenceIds.map((id) => {
              const e = evidence.byId.get(id);
              if (!e)
                return (
                  <li key={id} className="muted small">
                    Loading evidence…
                  </li>
                );
              return (
                <li key={id}>
                  <EvidenceSummary
                    evidence={e}
                    density="compact"
                    onReview={evidenceReview}
                    reviewing={acceptEvidence.isPending && acceptEvidence.variables.evidenceIds.includes(id)}
                  />
                  {canReview && assessment.status !== 'signed' && e.uploadedBy.userId === userId ? (
                    <p className="muted small">You added this, so another owner or assessor reviews it.</p>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {acceptable.length > 1 ? (
            <Button
              isLoading={acceptEvidence.isPending && acceptEvidence.variables.evidenceIds.length > 1}
              onClick={() => accept(acceptable)}
            >
              Accept all {String(acceptable.length)} you opened
            </Button>
          ) : null}
        </section>
      ) : null}
      {rejecting ? (
        <Dialog
          title={`Reject ${rejecting.title}`}
          description="The uploader sees your reason; rejected evidence lifts no score cap."
          onClose={() => setRejecting(null)}
          onSubmit={reject}
          actions={
            <>
              <Button type="submit" variant="danger" isLoading={acceptEvidence.isPending}>
                Reject
              </Button>
              <Button variant="secondary" onClick={() => setRejecting(null)}>
                Cancel
              </Button>
            </>
          }
        >
          <TextareaField
            label="Why is it rejected? (required)"
            value={rejectReason}
            onChange={(e) => setRejectReason(e.target.value)}
            error={rejectError}
            rows={3}
          />
        </Dialog>
      ) : null}

      <ol className="review-list" ref={listRef} aria-label="Answers in questionnaire order">
        {answered.map((a, index) => (
          <ReviewItem
            key={a.questionId}
            ref={(el) => {
              if (el) itemRefs.current.set(a.questionId, el);
              else itemRefs.current.delete(a.questionId);
            }}
            answer={a}
            question={questionOf(a.questionId)}
            isCurrent={index === current}
            onFocus={() => setCurrent(index)}
            selectable={reviewable.has(a.questionId)}
            isSelected={selected.has(a.questionId)}
            onToggle={() => toggle(a.questionId)}
            evidence={a.evidenceIds.map((id) => evidence.byId.get(id))}
            nameOf={nameOf}
            orgId={orgId}
            actions={
              canReview && assessment.status !== 'signed' ? (
                reviewable.has(a.questionId) ? (
                  <ReviewActions
                    answer={a}
                    isBusy={
                      review.isPending && review.variables.items.length === 1 && review.variables.items[0]?.questionId === a.questionId
                    }
                    onDecide={(decision, text) => decide([a.questionId], decision, text)}
                  />
                ) : (
                  <p className="muted small">You answered this, so another owner or assessor must review it.</p>
                )
              ) : null
            }
          />
        ))}
      </ol>
    </div>
  );
}

function ReviewItem({
  ref,
  answer: a,
  question,
  isCurrent,
  onFocus,
  selectable,
  isSelected,
  onToggle,
  evidence,
  nameOf,
  orgId,
  actions,
}: {
  ref: (el: HTMLLIElement | null) => void;
  answer: AnswerResponse;
  question: Question | undefined;
  isCurrent: boolean;
  onFocus: () => void;
  selectable: boolean;
  isSelected: boolean;
  onToggle: () => void;
  evidence: readonly (EvidenceResponse | undefined)[];
  nameOf: (id: string | null) => string;
  orgId: string;
  actions: ReactNode;
}) {
  const choice = question ? choicesFor(question).find((c) => c.value === a.value) : undefined;
  const headId = `review-${a.questionId}`;
  return (
    <li
      ref={ref}
      tabIndex={-1}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onFocus();
      }}
      className={['review-item', 'card', isCurrent ? 'is-current' : '', isSelected ? 'is-selected' : ''].filter(Boolean).join(' ')}
      aria-labelledby={headId}
      data-question={a.questionId}
    >
      <div className="review-item__head">
        {selectable ? (
          <input
            type="checkbox"
            className="review-item__check"
            checked={isSelected}
            onChange={onToggle}
            aria-label={`Select ${a.questionId}`}
          />
        ) : null}
        <span className="qid" id={headId}>
          {a.questionId}
        </span>
        <span className={`tag tag--review-${a.review.status}`}>{REVIEW_LABELS[a.review.status]}</span>
        {a.value === 'not_applicable' && !a.review.naApproved ? <span className="tag tag--critical">N/A to approve</span> : null}
      </div>
      <p className="review-item__text">{question?.text}</p>
      <p>
        <strong>Answer:</strong> {choice ? choice.title : String(a.value)}
        {choice ? <span className="review-item__descriptor"> — {choice.descriptor}</span> : null}
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
      <div className="review-item__evidence">
        <strong>Evidence:</strong>{' '}
        {evidence.length === 0 ? (
          <span className="muted">none linked</span>
        ) : (
          <ul>
            {evidence.map((e, i) => (
              <li key={e?.id ?? a.evidenceIds[i]}>
                {e ? <EvidenceSummary evidence={e} density="compact" /> : <span className="muted small">Loading…</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <ul className="review-history" aria-label={`History of ${a.questionId}`}>
        <li>
          Answered by {nameOf(a.authorId)}, {formatDateTime(a.answeredAt)}
          {a.version > 1 ? ` (version ${String(a.version)})` : ''}
        </li>
        {a.assigneeId ? <li>Assigned to {nameOf(a.assigneeId)}</li> : null}
        {a.review.reviewedAt ? (
          <li>
            {REVIEW_LABELS[a.review.status]} by {nameOf(a.review.reviewerId)}, {formatDateTime(a.review.reviewedAt)}
            {a.review.comment ? <>: “{a.review.comment}”</> : null}
          </li>
        ) : (
          <li>Not reviewed yet</li>
        )}
      </ul>
      {a.answered ? <AnswerHistory orgId={orgId} assessmentId={a.assessmentId} questionId={a.questionId} nameOf={nameOf} /> : null}
      {actions}
    </li>
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
