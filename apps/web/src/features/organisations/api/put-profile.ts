import { ProfileResponseSchema } from '@hoh/contracts';
import type { ProfileResponse, PutProfileRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { request } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';

import { organisationKeys, orgPath } from './keys';

export const putProfile = (orgId: string, body: PutProfileRequest, version: number | null): Promise<ProfileResponse> =>
  request(orgPath(orgId, '/profile'), {
    method: 'PUT',
    body,
    schema: ProfileResponseSchema,
    // Optional for the profile (docs/API.md §7): sent when we read one, so a colleague's save is not lost.
    ...(version !== null && version > 0 ? { headers: { 'If-Match': `"${String(version)}"` } } : {}),
  });

export function usePutProfile(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, version }: { body: PutProfileRequest; version: number | null }) => putProfile(orgId, body, version),
    onSuccess: async (saved) => {
      queryClient.setQueryData(organisationKeys.profile(orgId), saved);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: organisationKeys.applicability(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: organisationKeys.exposure(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]);
    },
  });
}
