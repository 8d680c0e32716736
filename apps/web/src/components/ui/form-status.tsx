import type { ReactNode, RefObject } from 'react';

import { describeError } from '@/lib/api-client';
import type { ApiUnreachableError } from '@/lib/api-client';

import { Alert } from './alert';
import { ApiUnreachablePanel } from './api-unreachable-panel';

/**
 * The focusable area above a form that says why a submit failed: the API unreachable (with retry),
 * one message for the whole form, or the server's messages that belong to no field.
 */
export function FormStatus({
  id,
  statusRef,
  unreachable,
  formError,
  formErrorTitle,
  formMessages,
  onRetry,
  isRetrying,
  children,
}: {
  id: string;
  statusRef: RefObject<HTMLDivElement | null>;
  unreachable: ApiUnreachableError | null;
  formError: Error | null;
  formErrorTitle: string;
  formMessages: readonly string[];
  onRetry: () => void;
  isRetrying: boolean;
  children?: ReactNode;
}) {
  return (
    <div id={id} ref={statusRef} tabIndex={-1} className="form__status">
      {unreachable ? <ApiUnreachablePanel code={unreachable.code} status={unreachable.status} onRetry={onRetry} isRetrying={isRetrying} /> : null}
      {children}
      {formError ? <Alert tone="error" title={formErrorTitle}>{describeError(formError)}</Alert> : null}
      {formMessages.length > 0 ? (
        <Alert tone="error" title="Please check the form">
          <ul>
            {formMessages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
    </div>
  );
}
