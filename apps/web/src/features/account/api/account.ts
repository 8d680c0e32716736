import { AccountSessionListSchema, ChangePasswordResponseSchema, EndSessionsResponseSchema } from '@hoh/contracts';
import type { AccountSession, ChangePasswordRequest, ChangePasswordResponse, EndSessionsResponse } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

/** Sessions belong to the person, not the organisation. */
export const accountKeys = { sessions: () => ['auth', 'sessions'] as const };

export const getSessions = async (signal?: AbortSignal): Promise<AccountSession[]> =>
  (await apiClient.get('/api/v1/auth/sessions', AccountSessionListSchema, signal)).items;

export const getSessionsQueryOptions = () => queryOptions({ queryKey: accountKeys.sessions(), queryFn: ({ signal }) => getSessions(signal) });
export const useSessions = () => useQuery(getSessionsQueryOptions());

export const changePassword = (body: ChangePasswordRequest): Promise<ChangePasswordResponse> =>
  apiClient.post('/api/v1/auth/password', body, ChangePasswordResponseSchema);
export const endSession = (id: string): Promise<undefined> => apiClient.delete(`/api/v1/auth/sessions/${encodeURIComponent(id)}`, null);
export const endOtherSessions = (): Promise<EndSessionsResponse> => apiClient.post('/api/v1/auth/sessions/end-others', {}, EndSessionsResponseSchema);

function useInvalidatingSessions<TVars, TData>(mutationFn: (v: TVars) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions(), exact: true }) });
}

/** Changing the password ends the other sessions, so the list is read again. */
export const useChangePassword = () => useInvalidatingSessions(changePassword);
export const useEndSession = () => useInvalidatingSessions(endSession);
export const useEndOtherSessions = () => useInvalidatingSessions(endOtherSessions);
