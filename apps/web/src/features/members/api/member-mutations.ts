import { MemberSchema } from '@hoh/contracts';
import type { Member, UpdateMemberRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { meQueryKey } from '@/features/auth';
import { organisationKeys, orgPath } from '@/features/organisations';

const memberPath = (orgId: string, userId: string) => orgPath(orgId, `/members/${encodeURIComponent(userId)}`);

export const updateMember = (orgId: string, userId: string, body: UpdateMemberRequest): Promise<Member> =>
  apiClient.patch(memberPath(orgId, userId), body, MemberSchema);

export const removeMember = (orgId: string, userId: string): Promise<undefined> => apiClient.delete(memberPath(orgId, userId), null);

/** A role or accountable-individual change can be the signed-in user's own: refresh /me too. */
function useMemberWrite<V>(orgId: string, send: (v: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: organisationKeys.members(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: meQueryKey, exact: true }),
      ]),
  });
}

export const useUpdateMember = (orgId: string) =>
  useMemberWrite(orgId, ({ userId, body }: { userId: string; body: UpdateMemberRequest }) => updateMember(orgId, userId, body));

export const useRemoveMember = (orgId: string) => useMemberWrite(orgId, (userId: string) => removeMember(orgId, userId));
