import { NotificationListResponseSchema, NotificationSchema, NotificationsReadAllResponseSchema } from '@hoh/contracts';
import type { NotificationListResponse } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { orgPath } from '@/features/organisations';

/** Query keys of the notifications feature; every mutation invalidates exactly the keys it changed. */
export const notificationKeys = {
  list: (orgId: string) => ['orgs', orgId, 'notifications'] as const,
};

const notificationsPath = (orgId: string, rest = ''): string => orgPath(orgId, `/notifications${rest}`);

/** How many the panel shows; the rest stay a page away (the list is newest first). */
export const PANEL_SIZE = 20;
/** Reminders are sent every few minutes; looking once a minute keeps the count fresh without chatter. */
const REFRESH_MS = 60_000;

export const getNotifications = (orgId: string, signal?: AbortSignal): Promise<NotificationListResponse> =>
  apiClient.get(notificationsPath(orgId, `?limit=${String(PANEL_SIZE)}`), NotificationListResponseSchema, signal);

export const getNotificationsQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: notificationKeys.list(orgId), queryFn: ({ signal }) => getNotifications(orgId, signal), refetchInterval: REFRESH_MS });

export const useNotifications = (orgId: string) => useQuery(getNotificationsQueryOptions(orgId));

export function useMarkNotificationRead(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiClient.post(notificationsPath(orgId, `/${encodeURIComponent(id)}/read`), undefined, NotificationSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.list(orgId), exact: true }),
  });
}

export function useMarkAllNotificationsRead(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiClient.post(notificationsPath(orgId, '/read-all'), undefined, NotificationsReadAllResponseSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.list(orgId), exact: true }),
  });
}
