import { ApplicabilityResponseSchema } from '@hoh/contracts';
import type { ApplicabilityResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { organisationKeys, orgPath } from './keys';

export const getApplicability = (orgId: string, signal?: AbortSignal): Promise<ApplicabilityResponse> =>
  apiClient.get(orgPath(orgId, '/applicability'), ApplicabilityResponseSchema, signal);

export const getApplicabilityQueryOptions = (orgId: string, enabled = true) =>
  queryOptions({
    queryKey: organisationKeys.applicability(orgId),
    queryFn: ({ signal }) => getApplicability(orgId, signal),
    enabled,
  });

export const useApplicability = (orgId: string, enabled = true) => useQuery(getApplicabilityQueryOptions(orgId, enabled));
