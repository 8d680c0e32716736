import { ApiUnreachableError, describeError } from '@/lib/api-client';

import { Alert } from './alert';
import { Button } from './button';

/**
 * What to show when a section's data failed to load: the reason and a retry. An outage is already
 * explained by the banner above every page, so here it only says what could not load.
 */
export function LoadError({ what, error, onRetry }: { what: string; error: unknown; onRetry: () => void }) {
  return (
    <Alert tone="error" title={`Could not load ${what}`}>
      <p>{error instanceof ApiUnreachableError ? 'The server could not be reached.' : describeError(error)}</p>
      <Button variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </Alert>
  );
}
