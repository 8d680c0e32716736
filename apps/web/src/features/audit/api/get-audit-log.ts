import { AuditLogPageSchema } from '@hoh/contracts';
import type { AuditLogPage } from '@hoh/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

export const AUDIT_PAGE_SIZE = 25;

export const auditKeys = {
  page: (orgId: string, cursor: string | null) => ['orgs', orgId, 'audit-log', cursor] as const,
  verify: (orgId: string) => ['orgs', orgId, 'audit-log-verify'] as const,
};

export const getAuditLog = (orgId: string, cursor: string | null, signal?: AbortSignal): Promise<AuditLogPage> =>
  apiClient.get(
    `/api/v1/orgs/${encodeURIComponent(orgId)}/audit-log?limit=${String(AUDIT_PAGE_SIZE)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    AuditLogPageSchema,
    signal,
  );

export const getAuditLogQueryOptions = (orgId: string, cursor: string | null) =>
  queryOptions({
    queryKey: auditKeys.page(orgId, cursor),
    queryFn: ({ signal }) => getAuditLog(orgId, cursor, signal),
    placeholderData: keepPreviousData,
  });

export const useAuditLog = (orgId: string, cursor: string | null) => useQuery(getAuditLogQueryOptions(orgId, cursor));
