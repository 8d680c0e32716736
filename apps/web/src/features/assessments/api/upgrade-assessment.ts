import { AssessmentResponseSchema, type AssessmentResponse } from '@hoh/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { ApiError, request } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';

import { assessmentKeys, assessmentPath } from './keys';

/** The assessment's ETag (its scoring-input version, docs/API.md): what an upgrade sends as If-Match. */
export const assessmentEtagKey = (orgId: string, id: string) => ['orgs', orgId, 'assessments', id, 'etag'] as const;

export async function getAssessmentEtag(orgId: string, assessmentId: string, signal?: AbortSignal): Promise<string> {
  let etag: string | null = null;
  await request(assessmentPath(orgId, assessmentId), {
    schema: AssessmentResponseSchema,
    signal,
    onHeaders: (headers) => {
      etag = headers.get('etag');
    },
  });
  if (etag === null)
    throw new Error('The server sent the assessment without its ETag, so it cannot be upgraded safely. Reload the page and try again.');
  return etag;
}

/**
 * Read when the screen offering the upgrade is shown, so the upgrade moves exactly what the user
 * saw: a write in between makes it stale (412), never silently included.
 */
export const useAssessmentEtag = (orgId: string, assessmentId: string | null) =>
  useQuery({
    queryKey: assessmentEtagKey(orgId, assessmentId ?? ''),
    queryFn: ({ signal }) => (assessmentId ? getAssessmentEtag(orgId, assessmentId, signal) : Promise.reject(new Error('No assessment'))),
    enabled: assessmentId !== null,
    staleTime: Infinity,
  });

/** POST …/assessments/{id}/upgrade (docs/PRODUCT.md §3.4): moves a draft or in-review assessment to a later bank version. */
export const upgradeAssessment = (orgId: string, assessmentId: string, to: string, etag: string): Promise<AssessmentResponse> =>
  request(assessmentPath(orgId, assessmentId, '/upgrade'), {
    method: 'POST',
    body: { to },
    schema: AssessmentResponseSchema,
    headers: { 'If-Match': etag },
  });

export function useUpgradeAssessment(orgId: string, assessmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vars: { to: string; etag: string }) => upgradeAssessment(orgId, assessmentId, vars.to, vars.etag),
    onSuccess: async (upgraded) => {
      queryClient.setQueryData(assessmentKeys.detail(orgId, assessmentId), upgraded);
      // Everything that names the assessment's bank or reads its answers: the dashboard, its score, the list, the comparison.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assessmentKeys.detail(orgId, assessmentId) }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.list(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'frameworks'] }),
      ]);
    },
    onError: async (error) => {
      // Stale: read the assessment's ETag again, so a second try (after reading the change) can succeed.
      if (error instanceof ApiError && error.status === 412)
        await queryClient.invalidateQueries({ queryKey: assessmentEtagKey(orgId, assessmentId), exact: true });
    },
  });
}
