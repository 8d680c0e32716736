import { AuditVerifyResponseSchema } from '@hoh/contracts';
import type { AuditVerifyResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { auditKeys } from './get-audit-log';

export const verifyAuditLog = (orgId: string, signal?: AbortSignal): Promise<AuditVerifyResponse> =>
  apiClient.get(`/api/v1/orgs/${encodeURIComponent(orgId)}/audit-log/verify`, AuditVerifyResponseSchema, signal);

// A read, so a query; it runs only when the user presses "Verify chain" (refetch), never on load.
export const verifyAuditLogQueryOptions = (orgId: string) =>
  queryOptions({
    queryKey: auditKeys.verify(orgId),
    queryFn: ({ signal }) => verifyAuditLog(orgId, signal),
    enabled: false,
    staleTime: 0,
  });

export const useVerifyAuditLog = (orgId: string) => useQuery(verifyAuditLogQueryOptions(orgId));
