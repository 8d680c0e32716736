import { OrganisationResponseSchema } from '@hoh/contracts';
import type { OrganisationResponse, SecondFactorPolicy } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { orgPath } from './keys';

const settingsKey = (orgId: string) => ['orgs', orgId, 'organisation'] as const;

export const getOrganisation = (orgId: string, signal?: AbortSignal): Promise<OrganisationResponse> => apiClient.get(orgPath(orgId), OrganisationResponseSchema, signal);
export const useOrganisation = (orgId: string) => useQuery(queryOptions({ queryKey: settingsKey(orgId), queryFn: ({ signal }) => getOrganisation(orgId, signal) }));

/** Owners only (docs/PRODUCT.md §2.7): who must sign in with a second factor. */
export function useSetSecondFactorPolicy(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (secondFactorPolicy: SecondFactorPolicy) => apiClient.patch(orgPath(orgId), { secondFactorPolicy }, OrganisationResponseSchema),
    onSuccess: (org) => queryClient.setQueryData(settingsKey(orgId), org),
  });
}
