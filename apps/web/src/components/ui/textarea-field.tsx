import type { TextareaHTMLAttributes } from 'react';

import { Field } from './field';

export interface TextareaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
}

export function TextareaField({ label, hint, error, className, ...rest }: TextareaFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(control) => <textarea rows={3} {...rest} {...control} className="field__input field__textarea" />}
    </Field>
  );
}
