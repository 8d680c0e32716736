import type { BankChangesResponse } from '@hoh/contracts';
import { QUESTION_CHANGE_EFFECT_LABELS } from '@hoh/contracts';
import { formatScore } from '@hoh/scoring-engine';

import { Card } from '@/components/ui/card';

import './bank-changes.css';

type Question = BankChangesResponse['questions'][number];

const ANSWER_LABEL: Record<Question['answer'], string> = {
  carries: 'Your answer carries over',
  carries_rescaled: 'Carries over on the new scale',
  needs_fresh_answer: 'Needs an answer',
  none: '—',
};

// Most consequential first; a question appears under its first effect only.
const GROUPS: { effect: keyof typeof QUESTION_CHANGE_EFFECT_LABELS; lead: string }[] = [
  { effect: 'new_applies', lead: 'New questions that apply to your organisation.' },
  { effect: 'now_applies', lead: 'Questions you were not asked before, because the rules now cover you.' },
  { effect: 'criticality_changed', lead: 'Critical questions can cap your band; this changes which ones do.' },
  { effect: 'no_longer_applies', lead: 'Questions the new rules no longer ask of you.' },
  { effect: 'references_corrected', lead: 'The regulation cited was corrected or checked again; your answer stands.' },
  { effect: 'retired', lead: 'Questions no longer asked.' },
];

function signed(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return rounded > 0 ? `+${rounded}` : rounded === 0 ? '0' : `−${Math.abs(rounded)}`;
}

export function BankChangesView({ changes }: { changes: BankChangesResponse }) {
  const placed = new Set<string>();
  const groups = GROUPS.map(({ effect, lead }) => {
    const questions = changes.questions.filter((q) => q.effects[0] === effect && !placed.has(q.questionId));
    questions.forEach((q) => placed.add(q.questionId));
    return { effect, lead, questions };
  }).filter((g) => g.questions.length > 0);
  const unchanged = changes.questions.length - placed.size;

  return (
    <>
      <Card aria-labelledby="bank-changes-summary" className="bank-changes__summary">
        <h2 id="bank-changes-summary">
          {changes.frameworkId} {changes.from} → {changes.to}
        </h2>
        {changes.assessment ? (
          <p>
            Your answers in <strong>{changes.assessment.title}</strong> scored on {changes.to}: {formatScore(changes.score.after)} against{' '}
            {formatScore(changes.score.before)} on {changes.from} (<strong>{signed(changes.score.delta)}</strong> points). The change comes from the
            bank, not from your controls: new questions count as unanswered until you answer them.
          </p>
        ) : (
          <p>You have no assessment on {changes.from}; this compares the two versions against your organisation profile.</p>
        )}
        <p className="muted">
          {changes.counts.needsFreshAnswer} question{changes.counts.needsFreshAnswer === 1 ? '' : 's'} will need an answer; {unchanged} unchanged for you.
        </p>
      </Card>
      {groups.map((g) => (
        <section key={g.effect} aria-labelledby={`bank-changes-${g.effect}`} className="bank-changes__group">
          <h2 id={`bank-changes-${g.effect}`}>
            {QUESTION_CHANGE_EFFECT_LABELS[g.effect]} ({g.questions.length})
          </h2>
          <p className="muted">{g.lead}</p>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col">What changes</th>
                  <th scope="col">Your answer</th>
                </tr>
              </thead>
              <tbody>
                {g.questions.map((q) => (
                  <tr key={q.questionId}>
                    <th scope="row">
                      <span className="bank-changes__id">{q.questionId}</span>
                      {q.previousIds.length > 0 && q.previousIds.join() !== q.questionId ? <span className="muted small"> (was {q.previousIds.join(', ')})</span> : null}
                      <div className="small">{q.text}</div>
                    </th>
                    <td>
                      <ul className="bank-changes__notes small">
                        {q.effects.map((e) => (
                          <li key={e}>{QUESTION_CHANGE_EFFECT_LABELS[e]}</li>
                        ))}
                        {q.notes.map((n) => (
                          <li key={n} className="muted">
                            {n}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{ANSWER_LABEL[q.answer]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
