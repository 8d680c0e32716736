import { AttestationCheckResponseSchema } from '@hoh/contracts';
import type { AttestationCheckResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { assessmentKeys, assessmentPath } from './keys';

/** The hand-on-heart check: open exceptions and the statement generated from them. */
export const getAttestationCheck = (orgId: string, id: string, signal?: AbortSignal): Promise<AttestationCheckResponse> =>
  apiClient.get(assessmentPath(orgId, id, '/attestation-check'), AttestationCheckResponseSchema, signal);

export const getAttestationCheckQueryOptions = (orgId: string, id: string) =>
  queryOptions({
    queryKey: assessmentKeys.attestation(orgId, id),
    queryFn: ({ signal }) => getAttestationCheck(orgId, id, signal),
    // The statement must be signed exactly as generated, so always read a fresh one.
    staleTime: 0,
  });

export const useAttestationCheck = (orgId: string, id: string) => useQuery(getAttestationCheckQueryOptions(orgId, id));
