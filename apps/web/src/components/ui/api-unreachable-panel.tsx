import { useId } from 'react';

import { Button } from './button';

export interface ApiUnreachablePanelProps {
  /** The API's own code when it answered through a gateway, e.g. DATABASE_UNAVAILABLE. */
  code?: string | undefined;
  status?: number | undefined;
  onRetry?: (() => void) | undefined;
  isRetrying?: boolean;
  /** Banner sits above a page that still works; panel replaces a page that cannot render. */
  variant?: 'banner' | 'panel';
}

export function ApiUnreachablePanel({
  code,
  status,
  onRetry,
  isRetrying = false,
  variant = 'panel',
}: ApiUnreachablePanelProps) {
  // The banner and a form's own panel can be on screen together, so ids must be unique.
  const titleId = useId();
  const databaseDown = code === 'DATABASE_UNAVAILABLE';
  return (
    <section
      className={`unreachable unreachable--${variant}`}
      role="alert"
      aria-labelledby={titleId}
    >
      <svg className="unreachable__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          fillRule="evenodd" d="M12 2 1 21h22L12 2zm1 14h-2v2h2v-2zm0-6h-2v5h2v-5z"
          fill="currentColor"
        />
      </svg>
      <div className="unreachable__content">
        <h2 className="unreachable__title" id={titleId}>
          Can&apos;t reach the Hand on Heart server
        </h2>
        <p>
          {databaseDown
            ? 'The server is running but cannot reach its database, so nothing can be loaded or saved right now.'
            : status !== undefined
              ? `The server did not answer (HTTP ${String(status)} from the proxy in front of it). Nothing has been saved since this happened.`
              : 'Your browser could not connect to the server. Nothing has been saved since this happened.'}
        </p>
        <p className="unreachable__try">What to try:</p>
        <ul className="unreachable__list">
          {databaseDown ? (
            <li>Wait a moment: the database may be starting or restarting.</li>
          ) : (
            <li>
              Check the server is running. On the machine that hosts it, run <code>npm start</code>{' '}
              in the project folder.
            </li>
          )}
          <li>Check your network connection, or VPN if your organisation uses one.</li>
          <li>If it keeps happening, ask whoever runs Hand on Heart for your organisation.</li>
        </ul>
        {onRetry ? (
          <Button variant="primary" onClick={onRetry} isLoading={isRetrying}>
            Retry
          </Button>
        ) : null}
      </div>
    </section>
  );
}
