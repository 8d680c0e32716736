import { ApiTokenPageSchema, CreateApiTokenResponseSchema } from '@hoh/contracts';
import type { ApiToken, CreateApiTokenRequest, CreateApiTokenResponse } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

/** Tokens belong to the person, not the organisation. */
export const tokenKeys = { list: () => ['auth', 'tokens'] as const };

export async function getTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  const items: ApiToken[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const page = await apiClient.get(`/api/v1/auth/tokens${query}`, ApiTokenPageSchema, signal);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

export const getTokensQueryOptions = () => queryOptions({ queryKey: tokenKeys.list(), queryFn: ({ signal }) => getTokens(signal) });
export const useTokens = () => useQuery(getTokensQueryOptions());

export const createToken = (body: CreateApiTokenRequest): Promise<CreateApiTokenResponse> =>
  apiClient.post('/api/v1/auth/tokens', body, CreateApiTokenResponseSchema);
export const revokeToken = (id: string): Promise<undefined> => apiClient.delete(`/api/v1/auth/tokens/${encodeURIComponent(id)}`, null);

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createToken, onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.list(), exact: true }) });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: revokeToken, onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.list(), exact: true }) });
}
