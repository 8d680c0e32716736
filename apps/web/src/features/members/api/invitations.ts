import { AcceptInvitationResponseSchema, CreateInvitationResponseSchema, InvitationPageSchema } from '@hoh/contracts';
import type { AcceptInvitationRequest, AcceptInvitationResponse, CreateInvitationRequest, CreateInvitationResponse, Invitation } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient, setCsrfToken } from '@/lib/api-client';
import { meQueryKey } from '@/features/auth';
import { orgPath } from '@/features/organisations';

export const invitationKeys = {
  list: (orgId: string) => ['orgs', orgId, 'invitations'] as const,
};

export async function getInvitations(orgId: string, signal?: AbortSignal): Promise<Invitation[]> {
  const items: Invitation[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const page = await apiClient.get(orgPath(orgId, `/invitations${query}`), InvitationPageSchema, signal);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

export const getInvitationsQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: invitationKeys.list(orgId), queryFn: ({ signal }) => getInvitations(orgId, signal) });

export const useInvitations = (orgId: string, enabled = true) => useQuery({ ...getInvitationsQueryOptions(orgId), enabled });

export const createInvitation = (orgId: string, body: CreateInvitationRequest): Promise<CreateInvitationResponse> =>
  apiClient.post(orgPath(orgId, '/invitations'), body, CreateInvitationResponseSchema);

export const withdrawInvitation = (orgId: string, id: string): Promise<undefined> =>
  apiClient.delete(orgPath(orgId, `/invitations/${encodeURIComponent(id)}`), null);

export function useCreateInvitation(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInvitationRequest) => createInvitation(orgId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(orgId), exact: true }),
  });
}

export function useWithdrawInvitation(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => withdrawInvitation(orgId, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(orgId), exact: true }),
  });
}

/** Signed in: send nothing and join. Signed out: name, email and password create the account. */
export async function acceptInvitation(token: string, body: AcceptInvitationRequest): Promise<AcceptInvitationResponse> {
  const result = await apiClient.post(`/api/v1/invitations/${encodeURIComponent(token)}/accept`, body, AcceptInvitationResponseSchema);
  setCsrfToken(result.me.csrfToken);
  return result;
}

export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptInvitationRequest) => acceptInvitation(token, body),
    onSuccess: (result) => {
      queryClient.setQueryData(meQueryKey, result.me);
    },
  });
}

/** The link a newcomer opens in the browser (the API's acceptPath is for scripts). */
export const invitationLink = (token: string): string => `${window.location.origin}/invitations/${encodeURIComponent(token)}`;
