import { ReportSchema } from '@hoh/contracts';
import type { Report } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { reportKeys, reportPath } from './keys';

export const getReport = (orgId: string, reportId: string, signal?: AbortSignal): Promise<Report> =>
  apiClient.get(reportPath(orgId, reportId), ReportSchema, signal);

export const isFinished = (report: Pick<Report, 'status'> | undefined): boolean => report?.status === 'ready' || report?.status === 'failed';

/** The report job, polled every `pollMs` until it is ready or failed. */
export const getReportQueryOptions = (orgId: string, reportId: string, pollMs = 1000) =>
  queryOptions({
    queryKey: reportKeys.detail(orgId, reportId),
    queryFn: ({ signal }) => getReport(orgId, reportId, signal),
    refetchInterval: (query) => (isFinished(query.state.data) ? false : pollMs),
  });

export const useReport = (orgId: string, reportId: string, pollMs?: number) => useQuery(getReportQueryOptions(orgId, reportId, pollMs));
