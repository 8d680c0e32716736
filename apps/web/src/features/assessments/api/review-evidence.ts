import { EvidenceReviewBatchResponseSchema } from '@hoh/contracts';
import type { EvidenceResponse, ReviewEvidenceBatchRequest } from '@hoh/contracts';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';
import { evidenceKeys, getEvidenceItem } from '@/features/evidence';
import { orgPath } from '@/features/organisations';

import { assessmentKeys } from './keys';

/**
 * The evidence linked to the answers under review, one query each (the evidence feature's item key,
 * so an open anywhere refreshes it). Per caller: `openedByYouAt` decides whether Accept is offered.
 */
export function useEvidenceItems(orgId: string, ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: evidenceKeys.item(orgId, id),
      queryFn: ({ signal }: { signal: AbortSignal }) => getEvidenceItem(orgId, id, signal),
    })),
    combine: (results) => {
      const byId = new Map<string, EvidenceResponse>();
      results.forEach((r, i) => {
        const id = ids[i];
        if (id !== undefined && r.data) byId.set(id, r.data);
      });
      return { byId, isPending: results.some((r) => r.isPending), error: results.find((r) => r.error)?.error ?? null };
    },
  });
}

export const reviewEvidenceBatch = (orgId: string, body: ReviewEvidenceBatchRequest) =>
  apiClient.post(orgPath(orgId, '/evidence/reviews'), body, EvidenceReviewBatchResponseSchema);

/**
 * Accept (or reject) several evidence items in one request (POST …/evidence/reviews, all or
 * nothing). Accepted evidence lifts score caps, so the assessment's score and the overview change.
 */
export function useReviewEvidenceBatch(orgId: string, assessmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewEvidenceBatchRequest) => reviewEvidenceBatch(orgId, body),
    onSuccess: async ({ items }) => {
      for (const item of items) queryClient.setQueryData(evidenceKeys.item(orgId, item.id), item);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: evidenceKeys.lists(orgId) }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.score(orgId, assessmentId), exact: true }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.attestation(orgId, assessmentId), exact: true }),
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]);
    },
  });
}
