import { BankChangesResponseSchema, type BankChangesResponse } from '@hoh/contracts';
import { useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { orgPath } from '@/features/organisations';

export const bankChangesKey = (orgId: string, frameworkId: string, from: string, to: string) => ['orgs', orgId, 'frameworks', frameworkId, 'changes', from, to] as const;

export const getBankChanges = (orgId: string, frameworkId: string, from: string, to: string, signal?: AbortSignal): Promise<BankChangesResponse> =>
  apiClient.get(
    orgPath(orgId, `/frameworks/${encodeURIComponent(frameworkId)}/changes?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
    BankChangesResponseSchema,
    signal,
  );

/** What a newer bank version changes for this organisation (docs/PRODUCT.md §3.4); off until both versions are known. */
export const useBankChanges = (orgId: string, step: { frameworkId: string; from: string; to: string } | null) =>
  useQuery({
    queryKey: bankChangesKey(orgId, step?.frameworkId ?? '', step?.from ?? '', step?.to ?? ''),
    // Never called without a step (enabled), but typed for it.
    queryFn: ({ signal }) => (step ? getBankChanges(orgId, step.frameworkId, step.from, step.to, signal) : Promise.reject(new Error('No versions to compare'))),
    enabled: step !== null,
  });

