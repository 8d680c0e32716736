import { useId } from 'react';

export interface Choice<V extends string> {
  value: V;
  label: string;
  hint?: string;
}

interface BaseProps<V extends string> {
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  choices: readonly Choice<V>[];
  name?: string;
  inline?: boolean;
}

/** A fieldset of radios (one choice) with a legend, hint and error tied to it. */
export function RadioGroup<V extends string>({
  legend,
  hint,
  error,
  choices,
  value,
  onChange,
  name,
  inline = false,
}: BaseProps<V> & { value: V | null; onChange: (value: V) => void }) {
  const id = useId();
  return (
    <fieldset className={`choice-group${inline ? ' choice-group--inline' : ''}${error ? ' field--invalid' : ''}`} aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend className="field__label">{legend}</legend>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? <p className="field__error">{error}</p> : null}
      {choices.map((c) => (
        <label key={c.value} className="choice">
          <input type="radio" name={name ?? id} value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
          <span>
            {c.label}
            {c.hint ? <span className="choice__hint">{c.hint}</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** A fieldset of checkboxes (several choices). */
export function CheckboxGroup<V extends string>({
  legend,
  hint,
  error,
  choices,
  values,
  onChange,
  inline = false,
}: BaseProps<V> & { values: readonly V[]; onChange: (values: V[]) => void }) {
  const id = useId();
  const toggle = (v: V, on: boolean) => onChange(on ? [...values, v] : values.filter((x) => x !== v));
  return (
    <fieldset className={`choice-group${inline ? ' choice-group--inline' : ''}${error ? ' field--invalid' : ''}`} aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend className="field__label">{legend}</legend>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? <p className="field__error">{error}</p> : null}
      {choices.map((c) => (
        <label key={c.value} className="choice">
          <input type="checkbox" value={c.value} checked={values.includes(c.value)} onChange={(e) => toggle(c.value, e.target.checked)} />
          <span>
            {c.label}
            {c.hint ? <span className="choice__hint">{c.hint}</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
