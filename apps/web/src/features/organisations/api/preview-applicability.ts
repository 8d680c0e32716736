import { ApplicabilityResponseSchema } from '@hoh/contracts';
import type { ApplicabilityResponse, PutProfileRequest } from '@hoh/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { organisationKeys, orgPath } from './keys';

/** Applicability for a draft profile, computed by the server without saving anything. */
export const previewApplicability = (orgId: string, draft: PutProfileRequest): Promise<ApplicabilityResponse> =>
  apiClient.post(orgPath(orgId, '/applicability/preview'), draft, ApplicabilityResponseSchema);

export const previewApplicabilityQueryOptions = (orgId: string, draft: PutProfileRequest | null) =>
  queryOptions({
    queryKey: organisationKeys.preview(orgId, draft),
    queryFn: () => previewApplicability(orgId, draft as PutProfileRequest),
    enabled: draft !== null,
    // Keep the last preview on screen while the next one loads, so the list does not flicker.
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });

export const usePreviewApplicability = (orgId: string, draft: PutProfileRequest | null) =>
  useQuery(previewApplicabilityQueryOptions(orgId, draft));
