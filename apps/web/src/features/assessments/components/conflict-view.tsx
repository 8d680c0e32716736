import type { AnswerResponse } from '@hoh/contracts';
import type { Question } from '@hoh/question-bank';

import { Button } from '@/components/ui/button';
import { type AnswerDraft, draftFromAnswer, FIGURE_FIELDS } from '../hooks/use-answer-autosave';

import { choiceTitle } from './level-choices';
import '../assessments.css';

function Side({ title, question, answer }: { title: string; question: Question; answer: AnswerDraft }) {
  return (
    <div className="conflict__side">
      <h4>{title}</h4>
      <dl className="facts">
        <div className="facts__row">
          <dt>Answer</dt>
          <dd>{choiceTitle(question, answer.value)}</dd>
        </div>
        {answer.value === 'not_applicable' ? (
          <div className="facts__row">
            <dt>Justification</dt>
            <dd>{answer.justification || '—'}</dd>
          </div>
        ) : null}
        {FIGURE_FIELDS.some((k) => answer.figures[k].trim() !== '') ? (
          <div className="facts__row">
            <dt>Figures</dt>
            <dd>
              {answer.figures.detections || '—'} detections, {answer.figures.reportable || '—'} reportable, {answer.figures.reported || '—'} reported, median{' '}
              {answer.figures.medianHoursToReport || '—'} hours
            </dd>
          </div>
        ) : null}
        <div className="facts__row">
          <dt>Comment</dt>
          <dd>{answer.comment || '—'}</dd>
        </div>
      </dl>
    </div>
  );
}

/** Shown on 412: the answer as someone else saved it beside mine, and the two ways out. */
export function ConflictView({
  question,
  theirs,
  theirName,
  mine,
  onKeepTheirs,
  onOverwrite,
}: {
  question: Question;
  theirs: AnswerResponse;
  theirName: string;
  mine: AnswerDraft;
  onKeepTheirs: () => void;
  onOverwrite: () => void;
}) {
  return (
    <section className="conflict" role="alert" aria-label={`Conflict on ${question.id}`}>
      <p className="conflict__title">
        {theirName} changed this answer
        {theirs.answeredAt ? ` at ${new Date(theirs.answeredAt).toLocaleTimeString()}` : ''} while you were editing it. Your change has not
        been saved.
      </p>
      <div className="conflict__sides">
        <Side
          title={`Theirs (${theirName})`}
          question={question}
          answer={draftFromAnswer(theirs)}
        />
        <Side title="Yours (not saved)" question={question} answer={mine} />
      </div>
      <div className="conflict__actions">
        <Button variant="secondary" onClick={onKeepTheirs}>
          Keep theirs
        </Button>
        <Button onClick={onOverwrite}>Overwrite with mine</Button>
      </div>
    </section>
  );
}
