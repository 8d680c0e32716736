import type { DrillResponse, DrillRating } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { SelectField } from '@/components/ui/select-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { describeError } from '@/lib/api-client';
import { drillRecordHref, useDrillStep } from '../api/drills';
import '../drills.css';

/** Drill time as m:ss or h:mm:ss. */
export function drillTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return h > 0 ? `${String(h)}:${two(m)}:${two(total % 60)}` : `${String(m)}:${two(total % 60)}`;
}

const RATINGS: { value: DrillRating | ''; label: string }[] = [
  { value: '', label: 'Not rated' },
  { value: 'as_expected', label: 'As expected' },
  { value: 'partly', label: 'Partly' },
  { value: 'missed', label: 'Missed' },
];
const MILESTONES = [
  ['escalation', 'Escalation'],
  ['isolation', 'Isolation'],
  ['report_decision', 'Report decision'],
] as const;

type Step = ReturnType<typeof useDrillStep>;
type Decision = DrillResponse['injects'][number]['decisions'][number];

function DecisionForm({ drill, injectId, decision, step, youId, canRecord }: { drill: DrillResponse; injectId: string; decision: Decision; step: Step; youId: string; canRecord: boolean }) {
  const people = [drill.facilitator, ...drill.participants.filter((p) => p.userId !== drill.facilitator.userId)];
  const unique = people.filter((p, i) => people.findIndex((q) => q.userId === p.userId) === i);
  const [decidedBy, setDecidedBy] = useState(unique.some((p) => p.userId === youId) && !drill.youFacilitate ? youId : (drill.participants[0]?.userId ?? youId));
  const [response, setResponse] = useState('');
  const [rating, setRating] = useState<DrillRating | ''>('');
  const [mistakes, setMistakes] = useState<string[]>([]);
  const recorded = drill.timeline.filter((e) => e.kind === 'decision' && e.injectId === injectId && e.decisionId === decision.id);
  return (
    <div className="block">
      <h4>{decision.prompt}</h4>
      <p className="muted">
        Role: {decision.role.replaceAll('_', ' ')}
        {decision.milestone ? ` · marks ${decision.milestone.replace('_', ' ')}` : ''}
      </p>
      {decision.goodPractice ? (
        <details>
          <summary>Expected good practice and common mistakes</summary>
          <ul>
            {decision.goodPractice.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
          <p className="muted">Common mistakes: {decision.commonMistakes?.map((m) => m.text).join(' ')}</p>
        </details>
      ) : null}
      {recorded.length > 0 ? (
        <ul aria-label={`Recorded: ${decision.prompt}`}>
          {recorded.map((e) => (
            <li key={e.seq}>
              {drillTime(e.elapsedMs)} · {e.decidedBy?.name}: {e.text}
              {e.rating ? ` (${RATINGS.find((r) => r.value === e.rating)?.label ?? e.rating})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {drill.status === 'running' && canRecord ? (
        <form
          className="form"
          aria-label={`Decision: ${decision.prompt}`}
          onSubmit={(event) => {
            event.preventDefault();
            step.mutate(
              { kind: 'decisions', body: { injectId, decisionId: decision.id, decidedBy, response, ...(rating ? { rating } : {}), ...(mistakes.length > 0 ? { mistakes } : {}) } },
              {
                onSuccess: () => {
                  setResponse('');
                  setRating('');
                  setMistakes([]);
                },
              },
            );
          }}
        >
          <SelectField label="Decided by" value={decidedBy} onChange={(e) => setDecidedBy(e.target.value)} options={unique.map((p) => ({ value: p.userId, label: p.name }))} />
          <TextareaField label="What was decided" hint="Words only: never add or describe material." value={response} onChange={(e) => setResponse(e.target.value)} rows={2} required />
          {drill.youFacilitate ? (
            <>
              <SelectField label="Against good practice" value={rating} onChange={(e) => setRating(e.target.value as DrillRating | '')} options={RATINGS} />
              {decision.commonMistakes?.map((m) => (
                <label key={m.id} className="choice">
                  <input
                    type="checkbox"
                    checked={mistakes.includes(m.id)}
                    onChange={(e) => setMistakes((all) => (e.target.checked ? [...all, m.id] : all.filter((x) => x !== m.id)))}
                  />{' '}
                  {m.text}
                </label>
              ))}
            </>
          ) : null}
          <Button type="submit" variant="secondary" isLoading={step.isPending} disabled={response.trim() === ''}>
            Record decision
          </Button>
        </form>
      ) : null}
    </div>
  );
}

/** One drill: controls for the facilitator, revealed injects with their decisions, notes, timeline and, once finished, the record. */
export function DrillRun({ orgId, drill, youId }: { orgId: string; drill: DrillResponse; youId: string }) {
  const step = useDrillStep(orgId, drill);
  const [note, setNote] = useState('');
  const [lessons, setLessons] = useState('');
  const [followUps, setFollowUps] = useState('');
  const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const taking = drill.youFacilitate || drill.participants.some((p) => p.userId === youId);

  return (
    <>
      <Card aria-label="Drill status">
        <p>
          <strong>Status:</strong> {drill.status} · <strong>Drill time:</strong> {drillTime(drill.elapsedMs)} · <strong>Injects:</strong> {drill.injects.length} of {drill.injectCount} revealed · <strong>Facilitator:</strong>{' '}
          {drill.facilitator.name}
        </p>
        <p className="muted">Participants: {drill.participants.map((p) => `${p.name} (${p.roleTitle})`).join('; ')}</p>
        <p>
          {MILESTONES.map(([key, label]) => (
            <span key={key}>
              {label}: {drill.milestones[key] === null ? 'not reached' : drillTime(drill.milestones[key])}.{' '}
            </span>
          ))}
        </p>
        {drill.youFacilitate && drill.status !== 'finished' ? (
          <div className="section-head">
            <Button onClick={() => step.mutate({ kind: 'reveal' })} disabled={drill.status !== 'running' || drill.injects.length >= drill.injectCount} isLoading={step.isPending}>
              Reveal next inject
            </Button>
            {drill.status === 'running' ? (
              <Button variant="secondary" onClick={() => step.mutate({ kind: 'pause' })}>
                Pause
              </Button>
            ) : (
              <Button variant="secondary" onClick={() => step.mutate({ kind: 'resume' })}>
                Resume
              </Button>
            )}
          </div>
        ) : null}
        {step.error ? <Alert tone="error" title="That step was not recorded">{describeError(step.error)}</Alert> : null}
      </Card>

      {drill.injects.map((inject) => (
        <Card key={inject.id} aria-label={`Inject: ${inject.title}`}>
          <h3>{inject.title}</h3>
          <p>{inject.text}</p>
          {inject.decisions.map((d) => (
            <DecisionForm key={d.id} drill={drill} injectId={inject.id} decision={d} step={step} youId={youId} canRecord={taking} />
          ))}
        </Card>
      ))}

      {taking && drill.status !== 'finished' ? (
        <form
          className="form"
          aria-label="Add a note"
          onSubmit={(event) => {
            event.preventDefault();
            step.mutate({ kind: 'notes', body: { text: note } }, { onSuccess: () => setNote('') });
          }}
        >
          <TextareaField label="Note" hint="Words only." value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
          <Button type="submit" variant="secondary" disabled={note.trim() === ''}>
            Add note
          </Button>
        </form>
      ) : null}

      {drill.youFacilitate && drill.status !== 'finished' ? (
        <form
          className="form"
          aria-label="Finish the drill"
          onSubmit={(event) => {
            event.preventDefault();
            step.mutate({ kind: 'finish', body: { lessons: lines(lessons), followUps: lines(followUps) } });
          }}
        >
          <TextareaField label="Lessons (one per line)" value={lessons} onChange={(e) => setLessons(e.target.value)} rows={3} />
          <TextareaField label="Follow-up actions (one per line)" value={followUps} onChange={(e) => setFollowUps(e.target.value)} rows={3} />
          <Button type="submit" isLoading={step.isPending}>
            Finish and keep the record
          </Button>
        </form>
      ) : null}

      {drill.record ? (
        <Card aria-label="Drill record">
          <h3>The record</h3>
          <p>
            <a href={drillRecordHref(orgId, drill.record.evidenceId)} download>
              Open the drill record (PDF)
            </a>
          </p>
          <p className="muted">
            Stored as exercise evidence {drill.record.linkedQuestionIds.length > 0 ? `linked to ${drill.record.linkedQuestionIds.join(', ')} on the open assessment` : 'with no open assessment to link it to'}. It counts once another owner or
            assessor opens and accepts it in Evidence. SHA-256 {drill.record.pdfSha256}.
          </p>
          {drill.lessons.length > 0 ? (
            <ul aria-label="Lessons">
              {drill.lessons.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          ) : null}
          {drill.followUps.length > 0 ? (
            <ul aria-label="Follow-up actions on the remediation board">
              {drill.followUps.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          ) : null}
        </Card>
      ) : null}

      <Card aria-label="Timeline">
        <h3>Timeline</h3>
        <ol>
          {drill.timeline.map((e) => (
            <li key={e.seq}>
              {drillTime(e.elapsedMs)} · {e.actor.name} · {e.kind}
              {e.text ? `: ${e.text}` : ''}
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
