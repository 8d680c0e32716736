import { AuditLogPageSchema } from '@hoh/contracts';
import type { AuditLogPage } from '@hoh/contracts';
import { useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

/**
 * One answer's entries in the audit log (created, updated, copied, approved, returned), oldest
 * first: GET …/audit-log?entityType=answer&entityId=<assessmentId>/<questionId> (docs/API.md).
 * Fetched only when a reviewer opens an answer's full history.
 */
export const answerHistoryKey = (orgId: string, assessmentId: string, questionId: string) => ['orgs', orgId, 'audit-log', 'answer', assessmentId, questionId] as const;

export const getAnswerHistory = (orgId: string, assessmentId: string, questionId: string, signal?: AbortSignal): Promise<AuditLogPage> =>
  apiClient.get(
    `/api/v1/orgs/${encodeURIComponent(orgId)}/audit-log?entityType=answer&entityId=${encodeURIComponent(`${assessmentId}/${questionId}`)}&limit=200`,
    AuditLogPageSchema,
    signal,
  );

export const useAnswerHistory = (orgId: string, assessmentId: string, questionId: string, enabled: boolean) =>
  useQuery({
    queryKey: answerHistoryKey(orgId, assessmentId, questionId),
    queryFn: ({ signal }) => getAnswerHistory(orgId, assessmentId, questionId, signal),
    enabled,
  });
