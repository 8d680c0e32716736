import type { AnswerValue } from '@hoh/contracts';
import type { Question } from '@hoh/question-bank';
import { useId } from 'react';
import '../assessments.css';

export interface ChoiceCard {
  value: AnswerValue;
  title: string;
  descriptor: string;
}

/** The question's own scale (five level descriptors, or yes/partial/no), then Unknown and N/A. */
export function choicesFor(question: Question): ChoiceCard[] {
  const scale: ChoiceCard[] =
    question.scale.kind === 'maturity'
      ? question.scale.levels.map((l) => ({ value: l.level as AnswerValue, title: `Level ${String(l.level)}`, descriptor: l.descriptor }))
      : question.scale.options.map((o) => ({
          value: o.value,
          title: `${o.label.charAt(0).toUpperCase()}${o.label.slice(1)} (${String(o.value)})`,
          descriptor: o.descriptor,
        }));
  return [
    ...scale,
    { value: 'unknown', title: 'Unknown', descriptor: 'We do not know yet. Counts as 0 until answered.' },
    {
      value: 'not_applicable',
      title: 'Not applicable',
      descriptor: 'This control does not apply to us. Say why; a reviewer must approve it before it leaves the score.',
    },
  ];
}

export function choiceTitle(question: Question, value: AnswerValue | null): string {
  if (value === null) {
    return 'Not answered';
  }
  return choicesFor(question).find((c) => c.value === value)?.title ?? String(value);
}

/** Radio cards: every descriptor is visible while choosing, and the whole card is the target. */
export function LevelChoices({
  question,
  value,
  onChange,
}: {
  question: Question;
  value: AnswerValue | null;
  onChange: (value: AnswerValue) => void;
}) {
  const name = useId();
  return (
    <fieldset className="level-choices">
      <legend className="field__label">Your answer for {question.id}</legend>
      <div className="level-choices__grid">
        {choicesFor(question).map((c) => (
          <label key={String(c.value)} className={`level-card${value === c.value ? ' is-selected' : ''}${typeof c.value === 'string' ? ' level-card--aside' : ''}`}>
            <input type="radio" name={name} value={String(c.value)} checked={value === c.value} onChange={() => onChange(c.value)} />
            <span className="level-card__title">{c.title}</span>
            <span className="level-card__descriptor">{c.descriptor}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The same scale as a read-only list, with the chosen answer marked (no inputs at all). */
export function LevelList({ question, value }: { question: Question; value: AnswerValue | null }) {
  return (
    <div>
      <p className="field__label">Answer: {choiceTitle(question, value)}</p>
      <ul className="level-list">
        {choicesFor(question)
          .filter((c) => typeof c.value === 'number' || c.value === value)
          .map((c) => (
            <li key={String(c.value)} className={value === c.value ? 'is-selected' : undefined}>
              <strong>{c.title}</strong>
              {value === c.value ? <span className="tag tag--yes">Chosen</span> : null} {c.descriptor}
            </li>
          ))}
      </ul>
    </div>
  );
}
