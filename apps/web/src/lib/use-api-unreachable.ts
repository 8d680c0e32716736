import { useQueryClient } from '@tanstack/react-query';
import type { Query, QueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';

import { ApiUnreachableError } from './api-client';

const isUnreachable = (query: Query): boolean =>
  query.state.status === 'error' && query.state.error instanceof ApiUnreachableError;

function firstUnreachableError(client: QueryClient): ApiUnreachableError | null {
  const query = client.getQueryCache().findAll({ predicate: isUnreachable })[0];
  const error = query?.state.error;
  return error instanceof ApiUnreachableError ? error : null;
}

/**
 * The outage, if any query is currently failing because the server can't be reached. Derived from
 * the query cache rather than a separate flag so it clears itself the moment a refetch succeeds.
 */
export function useApiUnreachable(): { error: ApiUnreachableError | null; retry: () => Promise<void> } {
  const client = useQueryClient();
  const subscribe = useCallback(
    (onChange: () => void) => client.getQueryCache().subscribe(onChange),
    [client],
  );
  const error = useSyncExternalStore(subscribe, () => firstUnreachableError(client));
  const retry = useCallback(
    () => client.refetchQueries({ predicate: isUnreachable }),
    [client],
  );
  return { error, retry };
}
