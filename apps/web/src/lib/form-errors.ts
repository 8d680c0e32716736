import type { z } from 'zod';

import { ApiError } from './api-client';

export type FieldErrors = Partial<Record<string, string>>;

/** First message per field from a client-side parse with the shared contract. */
export function fieldErrorsFromIssues(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    errors[key] ??= issue.message;
  }
  return errors;
}

/**
 * Splits a 400 envelope's details into messages the form can place beside a field and messages
 * for the form as a whole (a path the form has no input for, or the empty path for the body).
 */
export function fieldErrorsFromApiError(
  error: unknown,
  knownFields: readonly string[],
): { fields: FieldErrors; form: string[] } {
  const fields: FieldErrors = {};
  const form: string[] = [];
  if (!(error instanceof ApiError)) {
    return { fields, form };
  }
  for (const detail of error.details) {
    if (knownFields.includes(detail.path)) {
      fields[detail.path] ??= detail.message;
    } else {
      form.push(detail.message);
    }
  }
  return { fields, form };
}
