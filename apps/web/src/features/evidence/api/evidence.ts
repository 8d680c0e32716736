import { EvidencePageSchema, EvidenceResponseSchema } from '@hoh/contracts';
import type { CreateExternalEvidenceRequest, EvidenceResponse, ReviewEvidenceRequest } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '../../../lib/api-client';
import { dashboardKey } from '../../dashboard/api/get-dashboard';
import { orgPath } from '../../organisations/api/keys';

/** Query keys of the evidence library; every mutation invalidates exactly the keys it changed. */
export const evidenceKeys = {
  list: (orgId: string, status: string) => ['orgs', orgId, 'evidence', 'list', status] as const,
  lists: (orgId: string) => ['orgs', orgId, 'evidence', 'list'] as const,
};

export async function getEvidence(orgId: string, status: string, signal?: AbortSignal): Promise<EvidenceResponse[]> {
  const items: EvidenceResponse[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ limit: '200' });
    if (status) q.set('status', status);
    if (cursor) q.set('cursor', cursor);
    const page = await apiClient.get(orgPath(orgId, `/evidence?${q.toString()}`), EvidencePageSchema, signal);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

export const getEvidenceQueryOptions = (orgId: string, status: string) =>
  queryOptions({ queryKey: evidenceKeys.list(orgId, status), queryFn: ({ signal }) => getEvidence(orgId, status, signal) });

export const useEvidence = (orgId: string, status: string) => useQuery(getEvidenceQueryOptions(orgId, status));

export const createExternalEvidence = (orgId: string, body: CreateExternalEvidenceRequest) =>
  apiClient.post(orgPath(orgId, '/evidence'), body, EvidenceResponseSchema);

export const reviewEvidence = (orgId: string, id: string, body: ReviewEvidenceRequest) =>
  apiClient.post(orgPath(orgId, `/evidence/${encodeURIComponent(id)}/review`), body, EvidenceResponseSchema);

/** A new or reviewed item can enter or leave any status-filtered list. */
function useEvidenceWrite<V>(orgId: string, send: (v: V) => Promise<EvidenceResponse>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: evidenceKeys.lists(orgId) }),
        // Accepting or rejecting evidence moves evidence caps, so the overview's score.
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]),
  });
}

export const useCreateExternalEvidence = (orgId: string) => useEvidenceWrite(orgId, (body: CreateExternalEvidenceRequest) => createExternalEvidence(orgId, body));
export const useReviewEvidence = (orgId: string) =>
  useEvidenceWrite(orgId, ({ id, body }: { id: string; body: ReviewEvidenceRequest }) => reviewEvidence(orgId, id, body));
