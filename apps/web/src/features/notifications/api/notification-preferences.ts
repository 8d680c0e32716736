import { NotificationPreferencesResponseSchema } from '@hoh/contracts';
import type { NotificationPreferencesRequest, NotificationPreferencesResponse } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient, request } from '@/lib/api-client';
import { orgPath } from '@/features/organisations';

/** The signed-in member's own delivery choices in one organisation (docs/PRODUCT.md §14.1). */
export const notificationPreferencesKey = (orgId: string) => ['orgs', orgId, 'notification-preferences'] as const;

const preferencesPath = (orgId: string): string => orgPath(orgId, '/notification-preferences');

export const getNotificationPreferencesQueryOptions = (orgId: string) =>
  queryOptions({
    queryKey: notificationPreferencesKey(orgId),
    queryFn: ({ signal }) => apiClient.get(preferencesPath(orgId), NotificationPreferencesResponseSchema, signal),
  });

export const useNotificationPreferences = (orgId: string) => useQuery(getNotificationPreferencesQueryOptions(orgId));

/** Saves against the version that was read: a change made in another tab answers 412 instead of being overwritten. */
export const saveNotificationPreferences = (orgId: string, version: number, body: NotificationPreferencesRequest): Promise<NotificationPreferencesResponse> =>
  request(preferencesPath(orgId), {
    method: 'PUT',
    body,
    schema: NotificationPreferencesResponseSchema,
    headers: { 'If-Match': `"${String(version)}"` },
  });

export function useSaveNotificationPreferences(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, body }: { version: number; body: NotificationPreferencesRequest }) => saveNotificationPreferences(orgId, version, body),
    onSuccess: (saved) => queryClient.setQueryData(notificationPreferencesKey(orgId), saved),
  });
}
