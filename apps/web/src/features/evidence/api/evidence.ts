import { ErrorEnvelopeSchema, EvidencePageSchema, EvidenceResponseSchema } from '@hoh/contracts';
import type { CreateExternalEvidenceRequest, EvidenceResponse, ReviewEvidenceRequest } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { ApiError, ApiUnreachableError, apiClient } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';
import { orgPath } from '@/features/organisations';

/** Query keys of the evidence library; every mutation invalidates exactly the keys it changed. */
export const evidenceKeys = {
  /** Every evidence query of the organisation: an open changes openedByYouAt wherever the item is shown. */
  all: (orgId: string) => ['orgs', orgId, 'evidence'] as const,
  item: (orgId: string, id: string) => ['orgs', orgId, 'evidence', 'item', id] as const,
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
        // Lists and single items (the question card's linked evidence) alike.
        queryClient.invalidateQueries({ queryKey: evidenceKeys.all(orgId) }),
        // Accepting or rejecting evidence moves evidence caps, so the overview's score.
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]),
  });
}

export const useCreateExternalEvidence = (orgId: string) => useEvidenceWrite(orgId, (body: CreateExternalEvidenceRequest) => createExternalEvidence(orgId, body));
export const useReviewEvidence = (orgId: string) =>
  useEvidenceWrite(orgId, ({ id, body }: { id: string; body: ReviewEvidenceRequest }) => reviewEvidence(orgId, id, body));

/** `/api/v1/orgs/{orgId}/evidence/{id}{rest}`. */
export const evidencePath = (orgId: string, id: string, rest = ''): string => orgPath(orgId, `/evidence/${encodeURIComponent(id)}${rest}`);

export const getEvidenceItem = (orgId: string, id: string, signal?: AbortSignal) => apiClient.get(evidencePath(orgId, id), EvidenceResponseSchema, signal);

/** One evidence item by id (e.g. the items linked to an answer, which carries only their ids). */
export const useEvidenceItem = (orgId: string, id: string) =>
  useQuery({ queryKey: evidenceKeys.item(orgId, id), queryFn: ({ signal }) => getEvidenceItem(orgId, id, signal) });

/**
 * The stored bytes of an uploaded file. GET …/content records an open for the caller (docs/API.md),
 * so once this resolves the evidence's openedByYouAt is set on the server.
 */
export async function fetchEvidenceContent(orgId: string, id: string, signal?: AbortSignal): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(evidencePath(orgId, id, '/content'), { credentials: 'same-origin', headers: { Accept: '*/*' }, signal: signal ?? null });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiUnreachableError({ cause });
  }
  if (response.ok) return response.blob();
  let envelope: unknown = null;
  try {
    envelope = await response.json();
  } catch {
    // Not our envelope (a proxy's page): the generic message below says what to do.
  }
  const parsed = ErrorEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) {
    if (response.status >= 502) throw new ApiUnreachableError({ status: response.status });
    throw new Error(`The file could not be fetched (HTTP ${String(response.status)}). Reload the page and try again.`);
  }
  const { error } = parsed.data;
  throw new ApiError({ status: response.status, code: error.code, message: error.message, details: error.details, requestId: error.requestId });
}

/** POST …/opens: the member says they looked a document id up in their own system (only for a 'reference'). */
export const declareEvidenceLookedUp = (orgId: string, id: string) => apiClient.post(evidencePath(orgId, id, '/opens'), {}, EvidenceResponseSchema);

/** Refetch every evidence query of the organisation after an open, so Accept appears where it now may. */
export function useEvidenceOpened(orgId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: evidenceKeys.all(orgId) });
}
