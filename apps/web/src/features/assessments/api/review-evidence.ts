import { EvidenceResponseSchema, EvidenceReviewBatchResponseSchema } from '@hoh/contracts';
import type { EvidenceResponse, ReviewEvidenceBatchRequest } from '@hoh/contracts';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '../../../lib/api-client';
import { dashboardKey } from '../../dashboard/api/get-dashboard';
import { orgPath } from '../../organisations/api/keys';

import { assessmentKeys } from './keys';

/**
 * One evidence item as the review list shows it (GET …/evidence/{id}): per caller, because
 * `openedByYouAt` decides whether Accept may be offered (docs/API.md, evidence opening).
 */
export const evidenceItemKey = (orgId: string, id: string) => ['orgs', orgId, 'evidence', 'item', id] as const;
/** Every evidence query of the organisation (library lists and single items) starts with this. */
const allEvidenceKey = (orgId: string) => ['orgs', orgId, 'evidence'] as const;

export const evidencePath = (orgId: string, id: string, rest = '') => orgPath(orgId, `/evidence/${encodeURIComponent(id)}${rest}`);

export const getEvidenceItem = (orgId: string, id: string, signal?: AbortSignal) => apiClient.get(evidencePath(orgId, id), EvidenceResponseSchema, signal);

/** The evidence linked to the answers under review, one query each so an open refreshes only its item. */
export function useEvidenceItems(orgId: string, ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({ queryKey: evidenceItemKey(orgId, id), queryFn: ({ signal }: { signal: AbortSignal }) => getEvidenceItem(orgId, id, signal) })),
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
      for (const item of items) queryClient.setQueryData(evidenceItemKey(orgId, item.id), item);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: allEvidenceKey(orgId), predicate: (q) => q.queryKey[3] !== 'item' }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.score(orgId, assessmentId), exact: true }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.attestation(orgId, assessmentId), exact: true }),
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]);
    },
  });
}

/** After an open is recorded elsewhere (a preview, a download, a followed link), fetch the item again so Accept can appear. */
export function useRefreshEvidenceItem(orgId: string) {
  const queryClient = useQueryClient();
  return (id: string) => queryClient.invalidateQueries({ queryKey: evidenceItemKey(orgId, id), exact: true });
}
