import type { ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import type { SaveState } from '../hooks/use-answer-autosave';
import '../assessments.css';

/** "Saving… / Saved / Not saved — retry", announced politely to screen readers. */
export function SaveStatus({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  let content: ReactNode = null;
  switch (state.kind) {
    case 'idle':
      content = null;
      break;
    case 'pending':
      content = <span className="save-status__text">Unsaved changes…</span>;
      break;
    case 'saving':
      content = <span className="save-status__text">Saving…</span>;
      break;
    case 'saved':
      content = <span className="save-status__text save-status__text--ok">Saved</span>;
      break;
    case 'invalid':
      content = <span className="save-status__text save-status__text--warn">Not saved: {state.message}</span>;
      break;
    case 'error':
      content = (
        <>
          <span className="save-status__text save-status__text--error">Not saved — {state.message}</span>
          <Button variant="secondary" onClick={onRetry}>
            Retry saving
          </Button>
        </>
      );
      break;
    case 'conflict':
      content = <span className="save-status__text save-status__text--error">Not saved — someone else changed this answer</span>;
      break;
  }
  return (
    <div className="save-status" role="status" aria-live="polite">
      {content}
    </div>
  );
}
