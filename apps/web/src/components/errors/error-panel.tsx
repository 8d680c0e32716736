import { useId } from 'react';

import { ApiContractError, ApiError, ApiUnreachableError, describeError } from '@/lib/api-client';
import { ApiUnreachablePanel } from '../ui/api-unreachable-panel';
import { Button } from '../ui/button';

export interface ErrorPanelProps {
  error: unknown;
  onRetry: () => void;
  isRetrying?: boolean;
}

/** A full-width explanation for an error that stopped a page from rendering. */
export function ErrorPanel({ error, onRetry, isRetrying = false }: ErrorPanelProps) {
  const titleId = useId();
  if (error instanceof ApiUnreachableError) {
    return (
      <div className="error-page">
        <ApiUnreachablePanel
          code={error.code}
          status={error.status}
          onRetry={onRetry}
          isRetrying={isRetrying}
        />
      </div>
    );
  }
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div className="error-page">
      <section className="error-panel" role="alert" aria-labelledby={titleId}>
        <h2 id={titleId}>
          {error instanceof ApiContractError ? 'The app and server disagree' : 'Something went wrong'}
        </h2>
        <p>{describeError(error)}</p>
        {requestId ? (
          <p className="error-panel__ref">
            If you contact support, quote reference <code>{requestId}</code>.
          </p>
        ) : null}
        <div className="error-panel__actions">
          <Button onClick={onRetry} isLoading={isRetrying}>
            Try again
          </Button>
          <a className="btn btn--ghost" href="/">
            Go to the overview
          </a>
        </div>
      </section>
    </div>
  );
}
