import { InvitationPreviewSchema } from '@hoh/contracts';
import type { InvitationPreview } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { ApiError, apiClient } from '@/lib/api-client';

/** What an invitation link is for (public; the token is the secret, so it is never cached beyond the page). */
export const getInvitationPreview = (token: string, signal?: AbortSignal): Promise<InvitationPreview> =>
  apiClient.get(`/api/v1/invitations/${encodeURIComponent(token)}`, InvitationPreviewSchema, signal);

export const invitationPreviewQueryOptions = (token: string) =>
  queryOptions({
    queryKey: ['invitations', 'preview', token] as const,
    queryFn: ({ signal }) => getInvitationPreview(token, signal),
    // 404 (unknown, expired, withdrawn) and 409 (used) are answers, not outages: asking again changes nothing.
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    gcTime: 0,
  });

export const useInvitationPreview = (token: string) => useQuery(invitationPreviewQueryOptions(token));
