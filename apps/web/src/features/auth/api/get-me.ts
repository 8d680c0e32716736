import { MeResponseSchema } from '@hoh/contracts';
import type { MeResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient, setCsrfToken } from '@/lib/api-client';

export const meQueryKey = ['auth', 'me'] as const;

export async function getMe(signal?: AbortSignal): Promise<MeResponse> {
  const me = await apiClient.get('/api/v1/auth/me', MeResponseSchema, signal);
  setCsrfToken(me.csrfToken);
  return me;
}

export const getMeQueryOptions = () =>
  queryOptions({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => getMe(signal),
    // The session rarely changes under us; a 401 from any later call sends the user to sign in.
    staleTime: 5 * 60_000,
  });

export const useMe = (options?: { enabled?: boolean }) =>
  useQuery({ ...getMeQueryOptions(), ...options });
