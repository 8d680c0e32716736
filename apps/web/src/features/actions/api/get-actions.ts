import { ActionListResponseSchema } from '@hoh/contracts';
import type { ActionListResponse } from '@hoh/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { actionKeys, actionsPath, filtersToQuery } from './keys';
import type { ActionFilters } from './keys';

/** Every action matching the filters, following nextCursor (organisations have tens, not thousands). */
export async function getActions(orgId: string, filters: ActionFilters, signal?: AbortSignal): Promise<ActionListResponse> {
  const page = (cursor: string | null): Promise<ActionListResponse> => {
    const q = filtersToQuery(filters);
    q.set('limit', '200');
    if (cursor) q.set('cursor', cursor);
    return apiClient.get(actionsPath(orgId, `?${q.toString()}`), ActionListResponseSchema, signal);
  };
  const first = await page(null);
  const items = [...first.items];
  let cursor = first.nextCursor;
  while (cursor !== null) {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  return { ...first, items, nextCursor: null };
}

export const getActionsQueryOptions = (orgId: string, filters: ActionFilters) =>
  queryOptions({
    queryKey: actionKeys.list(orgId, filters),
    queryFn: ({ signal }) => getActions(orgId, filters, signal),
    // Changing a filter keeps the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });

export const useActions = (orgId: string, filters: ActionFilters) => useQuery(getActionsQueryOptions(orgId, filters));
