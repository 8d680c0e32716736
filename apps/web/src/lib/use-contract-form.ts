import type { UseMutationResult } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { z } from 'zod';

import { ApiUnreachableError } from './api-client';
import { fieldErrorsFromApiError, fieldErrorsFromIssues } from './form-errors';
import type { FieldErrors } from './form-errors';

/**
 * Submit and error handling for a form whose body is a shared zod contract: parse on the client
 * first (messages beside the fields), then send; a server 400 is split into field and form
 * messages; on any failure focus moves to the status area so keyboard and screen-reader users hear
 * why. `extraFieldErrors` lets a form map a known error code onto a field (e.g. EMAIL_IN_USE).
 */
export function useContractForm<TSchema extends z.ZodType, TData>({
  schema,
  mutation,
  fields,
  extraFieldErrors = {},
}: {
  schema: TSchema;
  mutation: UseMutationResult<TData, Error, z.output<TSchema>>;
  fields: readonly string[];
  extraFieldErrors?: FieldErrors;
}) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const statusRef = useRef<HTMLDivElement>(null);
  const server = fieldErrorsFromApiError(mutation.error, fields);
  const fieldErrors: FieldErrors = { ...server.fields, ...extraFieldErrors, ...clientErrors };
  const unreachable = mutation.error instanceof ApiUnreachableError ? mutation.error : null;
  /** The error to show once above the form: not unreachable, and not already beside a field. */
  const formError =
    mutation.error && !unreachable && Object.keys(server.fields).length === 0 && Object.keys(extraFieldErrors).length === 0 ? mutation.error : null;

  const submit = (values: z.input<TSchema>) => {
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      mutation.reset();
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    mutation.mutate(parsed.data, { onError: () => requestAnimationFrame(() => statusRef.current?.focus()) });
  };
  const onSubmit = (values: z.input<TSchema>) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(values);
  };

  /** What FormStatus needs from this form; retrying re-submits `values`. */
  const statusProps = (values: z.input<TSchema>) => ({
    statusRef,
    unreachable,
    formError,
    formMessages: server.form,
    onRetry: () => submit(values),
    isRetrying: mutation.isPending,
  });

  return { fieldErrors, onSubmit, statusProps };
}
