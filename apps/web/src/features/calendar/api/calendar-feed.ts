import { CalendarFeedCreatedSchema, CalendarFeedSchema } from '@hoh/contracts';
import type { CalendarFeed, CalendarFeedCreated } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { orgPath } from '@/features/organisations';

/** Query keys of the calendar feature; every mutation invalidates exactly the keys it changed. */
export const calendarKeys = {
  feed: (orgId: string) => ['orgs', orgId, 'calendar-feed'] as const,
};

const feedPath = (orgId: string): string => orgPath(orgId, '/calendar-feed');

export const getCalendarFeed = (orgId: string, signal?: AbortSignal): Promise<CalendarFeed> => apiClient.get(feedPath(orgId), CalendarFeedSchema, signal);

export const getCalendarFeedQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: calendarKeys.feed(orgId), queryFn: ({ signal }) => getCalendarFeed(orgId, signal) });

export const useCalendarFeed = (orgId: string) => useQuery(getCalendarFeedQueryOptions(orgId));

/** Makes the member's address, or replaces it (the old one stops working at once). */
export function useCreateCalendarFeed(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (): Promise<CalendarFeedCreated> => apiClient.post(feedPath(orgId), undefined, CalendarFeedCreatedSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: calendarKeys.feed(orgId), exact: true }),
  });
}

export function useRevokeCalendarFeed(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (): Promise<undefined> => apiClient.delete(feedPath(orgId), null),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: calendarKeys.feed(orgId), exact: true }),
  });
}
