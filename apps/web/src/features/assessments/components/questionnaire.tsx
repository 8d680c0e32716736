import type { AssessmentResponse, Member, ScoreResponse } from '@hoh/contracts';
import { exposureMap, referencesFor } from '@hoh/question-bank';
import type { Framework, ReferenceWithState } from '@hoh/question-bank';
import { useId, useMemo, useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { BandBadge } from '@/components/ui/band-badge';
import { ProgressBar } from '@/components/ui/progress-bar';
import { describeError } from '@/lib/api-client';
import { useAssignQuestions } from '../api/assessment-mutations';

import { QuestionCard } from './question-card';
import '../assessments.css';

export interface QuestionnaireProps {
  orgId: string;
  assessment: AssessmentResponse;
  framework: Framework;
  score: ScoreResponse | undefined;
  userId: string;
  /** Owners and assessors answer anything; contributors only what is assigned to them. */
  answerScope: 'all' | 'assigned' | 'none';
  canAssign: boolean;
  members: readonly Member[];
  autosaveDelayMs?: number;
}

/** Domain navigation with progress, and the questions of the chosen domain. */
export function Questionnaire({ orgId, assessment, framework, score, userId, answerScope, canAssign, members, autosaveDelayMs }: QuestionnaireProps) {
  const filterId = useId();
  const [assignedOnly, setAssignedOnly] = useState(answerScope === 'assigned');
  const [domainId, setDomainId] = useState(framework.domains[0]?.id ?? '');
  const assign = useAssignQuestions(orgId, assessment.id);

  // From bank 1.1.0 each reference has a state for this organisation, from the exposure map of the
  // assessment's own bank version and its profile snapshot (pure, so computed here).
  const referenceStates = useMemo(() => {
    const profile = assessment.profileSnapshot;
    if (profile === null || framework.version === '1.0.0') return null;
    const exposure = exposureMap(profile, framework.version);
    return new Map<string, ReferenceWithState[]>(framework.questions.map((q) => [q.id, referencesFor(q, profile, framework.version, exposure).references]));
  }, [assessment.profileSnapshot, framework]);

  const locked = assessment.status === 'signed';
  const answerOf = (id: string) => assessment.answers.find((a) => a.questionId === id);
  const itemOf = (id: string) => score?.items.find((i) => i.questionId === id);
  // Until the score arrives every question is shown; after, only those the profile makes applicable.
  const applicable = framework.questions.filter((q) => itemOf(q.id)?.status !== 'excluded_by_profile');
  const visible = applicable.filter((q) => !assignedOnly || answerOf(q.id)?.assigneeId === userId);
  const isAnswered = (id: string) => answerOf(id)?.answered === true;

  const domains = framework.domains
    .map((d) => {
      const qs = visible.filter((q) => q.domainId === d.id);
      return { ...d, total: qs.length, answered: qs.filter((q) => isAnswered(q.id)).length };
    })
    .filter((d) => d.total > 0);
  const selected = domains.find((d) => d.id === domainId) ?? domains[0];
  const questions = visible.filter((q) => q.domainId === selected?.id);
  const overallAnswered = visible.filter((q) => isAnswered(q.id)).length;

  const canAnswer = (questionId: string): boolean => {
    if (locked || answerScope === 'none') {
      return false;
    }
    return answerScope === 'all' || answerOf(questionId)?.assigneeId === userId;
  };

  return (
    <div className="questionnaire">
      <div className="questionnaire__bar" aria-label="Progress and score">
        <ProgressBar label={assignedOnly ? 'Your questions answered' : 'Questions answered'} value={overallAnswered} max={visible.length} />
        {score ? (
          <p className="questionnaire__score" aria-live="polite">
            Score <strong data-testid="questionnaire-score">{score.overall.rounded}</strong> <BandBadge band={score.overall.band} />
          </p>
        ) : null}
        <label className="choice" htmlFor={filterId}>
          <input id={filterId} type="checkbox" checked={assignedOnly} onChange={(e) => setAssignedOnly(e.target.checked)} />
          <span>Assigned to me</span>
        </label>
      </div>

      {locked ? (
        <Alert tone="info" title="Signed off and locked">
          This assessment was signed and can no longer change. Start a new assessment from it on the overview to make changes.
        </Alert>
      ) : null}
      {answerScope === 'none' && !locked ? (
        <Alert tone="info" title="Read-only">
          Your role can read every answer but not change them.
        </Alert>
      ) : null}
      {assign.error ? (
        <Alert tone="error" title="The assignment was not saved">
          {describeError(assign.error)}
        </Alert>
      ) : null}

      {domains.length === 0 ? (
        <Alert tone="info" title={assignedOnly ? 'Nothing is assigned to you' : 'No questions apply'}>
          {assignedOnly
            ? 'Untick “Assigned to me” to read every question, or ask an assessor to assign questions to you.'
            : 'Check the organisation profile: no question applies to the services described there.'}
        </Alert>
      ) : (
        <div className="questionnaire__layout">
          <nav className="domain-nav" aria-label="Domains">
            <ul>
              {domains.map((d) => (
                <li key={d.id}>
                  <button
                    type="button"
                    className={`domain-nav__item${d.id === selected?.id ? ' is-active' : ''}`}
                    aria-current={d.id === selected?.id ? 'true' : undefined}
                    onClick={() => setDomainId(d.id)}
                  >
                    <span className="domain-nav__title">{d.title}</span>
                    <span className="domain-nav__count">
                      {d.answered}/{d.total}
                      <span className="visually-hidden"> answered</span>
                    </span>
                    <span className="domain-nav__meter" aria-hidden="true">
                      <span style={{ width: `${String(d.total ? Math.round((d.answered / d.total) * 100) : 0)}%` }} />
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <section className="questionnaire__questions" aria-labelledby="domain-title">
            <h2 id="domain-title">{selected?.title}</h2>
            <p className="muted">{selected?.description}</p>
            {questions.map((q) => (
              <QuestionCard
                key={`${assessment.id}-${q.id}`}
                orgId={orgId}
                assessmentId={assessment.id}
                question={q}
                referenceStates={referenceStates?.get(q.id)}
                answer={answerOf(q.id)}
                scoreItem={itemOf(q.id)}
                canAnswer={canAnswer(q.id)}
                members={members}
                onAssign={canAssign && !locked ? (questionId, assigneeId) => assign.mutate({ assigneeId, questionIds: [questionId] }) : undefined}
                targetOverride={assessment.targets.find((t) => t.questionId === q.id)}
                canSetTarget={canAssign && !locked}
                {...(autosaveDelayMs !== undefined ? { autosaveDelayMs } : {})}
              />
            ))}
          </section>
        </div>
      )}
    </div>
  );
}
