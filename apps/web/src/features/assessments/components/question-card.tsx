import type { AnswerResponse, Member, ScoreResponse } from '@hoh/contracts';
import { isFigureQuestion, type Question, type ReferenceWithState } from '@hoh/question-bank';

import { Alert } from '@/components/ui/alert';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { CAP_REASON_TEXT, REGIME_LABELS } from '@/config/vocabulary';
import { type FieldErrors, FIGURE_FIELDS, type FigureField, type FiguresDraft, useAnswerAutosave } from '../hooks/use-answer-autosave';

import { ConflictView } from './conflict-view';
import { EvidencePanel } from './evidence-panel';
import { LevelChoices, LevelList } from './level-choices';
import { SaveStatus } from './save-status';
import { TargetOverride } from './target-override';
import '../assessments.css';

type ScoreItem = ScoreResponse['items'][number];

/** "Claimed 4, counts as 2: no accepted, unexpired evidence", or how the answer counts. */
export function effectiveText(item: ScoreItem | undefined): string | null {
  if (!item) {
    return null;
  }
  switch (item.status) {
    case 'unanswered':
      return 'Unanswered: counts as 0.';
    case 'unknown':
      return 'Unknown: counts as 0.';
    case 'na_pending':
      return 'Not applicable, awaiting a reviewer’s approval: counts as 0 until approved.';
    case 'not_applicable':
      return 'Not applicable (approved): left out of the score.';
    case 'excluded_by_profile':
      return 'Does not apply to your profile: left out of the score.';
    case 'answered':
      break;
  }
  if (item.claimed !== null && item.effectiveLevel !== null && item.claimed !== item.effectiveLevel) {
    return `Claimed ${String(item.claimed)}, counts as ${String(item.effectiveLevel)}: ${CAP_REASON_TEXT[item.capReason]}.`;
  }
  return `Counts as level ${String(item.effectiveLevel ?? 0)}${item.gap > 0 ? `; target ${String(item.target)}` : ''}.`;
}

export interface QuestionCardProps {
  orgId: string;
  assessmentId: string;
  question: Question;
  /** Bank 1.1.0 on: the question's references with their state for this organisation, applies first. */
  referenceStates?: readonly ReferenceWithState[] | undefined;
  answer: AnswerResponse | undefined;
  scoreItem: ScoreItem | undefined;
  /** False for auditors, signed assessments and contributors on questions not assigned to them. */
  canAnswer: boolean;
  /** Members for "assigned to" and the conflict view's names; assignment shows only with onAssign. */
  members: readonly Member[];
  onAssign?: ((questionId: string, assigneeId: string | null) => void) | undefined;
  /** The recorded target override, if any; with `canSetTarget` managers may change a non-critical target. */
  targetOverride?: { target: number; reason: string } | undefined;
  canSetTarget?: boolean;
  autosaveDelayMs?: number;
}

export function QuestionCard(props: QuestionCardProps) {
  const { question, answer, scoreItem, canAnswer, members, onAssign } = props;
  const nameOf = (id: string | null | undefined) => members.find((m) => m.userId === id)?.name;
  const assignee = nameOf(answer?.assigneeId);
  const headingId = `q-${question.id}`;

  return (
    <article className="question card" aria-labelledby={headingId}>
      <header className="question__head">
        <span className="qid">{question.id}</span>
        {scoreItem?.critical ? <span className="tag tag--critical">Critical</span> : null}
        <span className="tag">Weight {question.weight}</span>
        {question.scale.kind === 'legal_duty' ? <span className="tag">Legal duty</span> : null}
        <span className="question__assignee muted small">{assignee ? `Assigned to ${assignee}` : 'Unassigned'}</span>
      </header>
      <h3 id={headingId} className="question__text">
        {question.text}
      </h3>
      <p className="question__guidance">{question.guidance}</p>

      {answer?.review.status === 'returned' ? (
        <Alert tone="warning" title="Returned by the reviewer">
          {answer.review.comment ?? 'Revise the answer and it will go back for review.'}
        </Alert>
      ) : null}

      {canAnswer ? <Editor {...props} nameOf={nameOf} /> : <ReadOnlyAnswer question={question} answer={answer} />}

      <p className="question__effective" data-testid={`effective-${question.id}`}>
        {effectiveText(scoreItem)}
      </p>

      {scoreItem && scoreItem.status !== 'excluded_by_profile' ? (
        <TargetOverride
          orgId={props.orgId}
          assessmentId={props.assessmentId}
          questionId={question.id}
          target={scoreItem.target}
          override={props.targetOverride}
          canChange={props.canSetTarget === true && !scoreItem.critical}
        />
      ) : null}

      {onAssign ? (
        <SelectField
          className="question__assign"
          label={`Assign ${question.id} to`}
          value={answer?.assigneeId ?? ''}
          onChange={(e) => onAssign(question.id, e.target.value === '' ? null : e.target.value)}
          options={[{ value: '', label: 'Nobody' }, ...members.map((m) => ({ value: m.userId, label: `${m.name} (${m.role})` }))]}
        />
      ) : null}

      <EvidencePanel
        evidenceIds={answer?.evidenceIds ?? []}
        kinds={question.evidenceKinds}
        upload={canAnswer ? { orgId: props.orgId, assessmentId: props.assessmentId, questionId: question.id } : undefined}
      />

      <details className="question__more">
        <summary>References and how to improve</summary>
        <h4>References</h4>
        {props.referenceStates ? (
          <ReferenceStates references={props.referenceStates} />
        ) : (
          <ul className="refs">
            {question.references.map((r) => (
              <li key={`${r.regime}|${r.id}`}>
                {REGIME_LABELS[r.regime]} <strong>{r.id}</strong>: {r.title}
                {r.verified ? null : <span className="tag tag--unverified">Unverified reference</span>}
              </li>
            ))}
          </ul>
        )}
        <h4>How to improve</h4>
        <p>{question.remediation}</p>
      </details>
    </article>
  );
}

function Editor({
  orgId,
  assessmentId,
  question,
  answer,
  autosaveDelayMs,
  nameOf,
}: QuestionCardProps & { nameOf: (id: string | null | undefined) => string | undefined }) {
  const autosave = useAnswerAutosave({
    orgId,
    assessmentId,
    questionId: question.id,
    serverAnswer: answer,
    ...(autosaveDelayMs !== undefined ? { delayMs: autosaveDelayMs } : {}),
  });
  const { draft, setDraft, state } = autosave;
  const needsJustification = draft.value === 'not_applicable' && draft.justification.trim() === '';

  return (
    <div className="question__editor">
      <LevelChoices question={question} value={draft.value} onChange={(value) => setDraft({ value })} />
      {draft.value === 'not_applicable' ? (
        <TextareaField
          label="Why does this not apply? (required)"
          hint="A reviewer approves N/A justifications; until then the question counts as 0."
          value={draft.justification}
          onChange={(e) => setDraft({ justification: e.target.value })}
          error={needsJustification && state.kind === 'invalid' ? state.message : undefined}
          required
        />
      ) : null}
      {isFigureQuestion(question.id) ? (
        <FiguresFields
          figures={draft.figures}
          onChange={(field, text) => setDraft({ figures: { ...draft.figures, [field]: text } })}
          errors={state.kind === 'invalid' || state.kind === 'error' ? (state.fields ?? {}) : {}}
        />
      ) : null}
      <TextareaField label="Comment (optional)" value={draft.comment} onChange={(e) => setDraft({ comment: e.target.value })} rows={2} />
      {state.kind === 'conflict' ? (
        <ConflictView
          question={question}
          theirs={state.theirs}
          theirName={nameOf(state.theirs.authorId) ?? 'Someone else'}
          mine={draft}
          onKeepTheirs={autosave.keepTheirs}
          onOverwrite={autosave.overwriteWithMine}
        />
      ) : null}
      <SaveStatus state={state} onRetry={() => void autosave.retry()} />
    </div>
  );
}

const FIGURE_LABELS: Record<FigureField, { label: string; hint: string }> = {
  detections: { label: 'Detections', hint: 'Everything detected in the last 12 months: hash matches, confirmed classifier hits, upheld reports, notices.' },
  reportable: { label: 'Reportable', hint: 'Of those, how many had to be reported.' },
  reported: { label: 'Reported', hint: 'Of the reportable ones, how many were reported to the right body.' },
  medianHoursToReport: { label: 'Median hours to report', hint: 'From detection to report; leave blank if none were reported or it was not measured.' },
};

/** The figures behind the closing question's answer (docs/PRODUCT.md §5.1), saved with it. */
function FiguresFields({ figures, onChange, errors }: { figures: FiguresDraft; onChange: (field: FigureField, text: string) => void; errors: FieldErrors }) {
  return (
    <fieldset className="question__figures">
      <legend>Figures for the last 12 months</legend>
      <p className="small muted">Saved with the answer. The attestation check lists any reportable detection not reported.</p>
      {FIGURE_FIELDS.map((field) => (
        <TextField
          key={field}
          label={FIGURE_LABELS[field].label}
          hint={FIGURE_LABELS[field].hint}
          type="number"
          inputMode={field === 'medianHoursToReport' ? 'decimal' : 'numeric'}
          min={0}
          step={field === 'medianHoursToReport' ? 'any' : 1}
          value={figures[field]}
          onChange={(e) => onChange(field, e.target.value)}
          error={errors[`figures.${field}`]}
        />
      ))}
    </fieldset>
  );
}

function ReadOnlyAnswer({ question, answer }: { question: Question; answer: AnswerResponse | undefined }) {
  return (
    <div className="question__readonly">
      <LevelList question={question} value={answer?.answered ? answer.value : null} />
      {answer?.value === 'not_applicable' ? (
        <p>
          <strong>Justification:</strong> {answer.justification}
        </p>
      ) : null}
      {answer?.figures ? (
        <p data-testid={`figures-${question.id}`}>
          <strong>Last 12 months:</strong> {answer.figures.detections} detections, {answer.figures.reportable} reportable, {answer.figures.reported} reported
          {answer.figures.medianHoursToReport === null ? '' : `, median ${String(answer.figures.medianHoursToReport)} hours to report`}.
        </p>
      ) : null}
      {answer?.comment ? (
        <p>
          <strong>Comment:</strong> {answer.comment}
        </p>
      ) : null}
    </div>
  );
}

const CHECK_TAGS = { primary: 'Primary text read', secondary: 'Secondary source only', unchecked: 'Not checked' } as const;

function ReferenceItem({ r, showReason }: { r: ReferenceWithState; showReason: boolean }) {
  return (
    <li>
      {REGIME_LABELS[r.regime]} <strong>{r.id}</strong>: {r.title}
      {r.check ? (
        <span className={r.check.state === 'primary' ? 'tag tag--yes' : 'tag tag--unverified'} title={r.check.note}>
          {CHECK_TAGS[r.check.state]}
        </span>
      ) : null}
      {showReason ? <span className="muted small"> — {r.reason}</span> : null}
    </li>
  );
}

/** Applies first; voluntary ones as such; the rest collapsed, each with why it does not apply. */
function ReferenceStates({ references }: { references: readonly ReferenceWithState[] }) {
  const applies = references.filter((r) => r.state === 'applies');
  const voluntary = references.filter((r) => r.state === 'voluntary');
  const others = references.filter((r) => r.state !== 'applies' && r.state !== 'voluntary');
  return (
    <>
      {applies.length > 0 ? (
        <>
          <p className="small">Apply to you</p>
          <ul className="refs">
            {applies.map((r) => (
              <ReferenceItem key={`${r.regime}|${r.id}`} r={r} showReason={false} />
            ))}
          </ul>
        </>
      ) : (
        <p className="small muted">No binding reference of this question applies to you; it is good practice.</p>
      )}
      {voluntary.length > 0 ? (
        <>
          <p className="small">Voluntary principles, guidance and industry practice</p>
          <ul className="refs">
            {voluntary.map((r) => (
              <ReferenceItem key={`${r.regime}|${r.id}`} r={r} showReason={false} />
            ))}
          </ul>
        </>
      ) : null}
      {others.length > 0 ? (
        <details>
          <summary className="small">
            {others.length} {others.length === 1 ? 'reference does' : 'references do'} not apply to you
          </summary>
          <ul className="refs">
            {others.map((r) => (
              <ReferenceItem key={`${r.regime}|${r.id}`} r={r} showReason />
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
