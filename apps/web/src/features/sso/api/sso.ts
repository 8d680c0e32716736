import { SsoSettingsResponseSchema, SsoStartResponseSchema } from '@hoh/contracts';
import type { SsoConfigRequest, SsoSettingsResponse, SsoStartRequest, SsoStartResponse } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { orgPath } from '@/features/organisations';

/** Query keys of the single sign-on feature; every mutation invalidates exactly the keys it changed. */
export const ssoKeys = {
  settings: (orgId: string) => ['orgs', orgId, 'sso'] as const,
};

const settingsPath = (orgId: string): string => orgPath(orgId, '/sso');

export const getSsoSettingsQueryOptions = (orgId: string) =>
  queryOptions({
    queryKey: ssoKeys.settings(orgId),
    queryFn: ({ signal }): Promise<SsoSettingsResponse> => apiClient.get(settingsPath(orgId), SsoSettingsResponseSchema, signal),
  });

export const useSsoSettings = (orgId: string) => useQuery(getSsoSettingsQueryOptions(orgId));

/** Saves (the server discovers the issuer first); the answer is the new settings, put straight into the cache. */
export function useSaveSso(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SsoConfigRequest): Promise<SsoSettingsResponse> => apiClient.put(settingsPath(orgId), body, SsoSettingsResponseSchema),
    onSuccess: (saved) => queryClient.setQueryData(ssoKeys.settings(orgId), saved),
  });
}

export function useRemoveSso(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (): Promise<undefined> => apiClient.delete(settingsPath(orgId), null),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ssoKeys.settings(orgId), exact: true }),
  });
}

/** Where this address signs in: its organisation's provider (the browser goes there next), or the password form. */
export function useStartSso({ onSuccess }: { onSuccess: (answer: SsoStartResponse) => void }) {
  return useMutation({
    mutationFn: (body: SsoStartRequest): Promise<SsoStartResponse> => apiClient.post('/api/v1/auth/sso/start', body, SsoStartResponseSchema),
    onSuccess,
  });
}
