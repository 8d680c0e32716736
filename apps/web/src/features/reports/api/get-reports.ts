import { ReportListResponseSchema } from '@hoh/contracts';
import type { Report } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { reportKeys, reportPath } from './keys';

/** Every report of the organisation, newest first. */
export async function getReports(orgId: string, signal?: AbortSignal): Promise<Report[]> {
  const items: Report[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const page = await apiClient.get(reportPath(orgId, undefined, query), ReportListResponseSchema, signal);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

export const getReportsQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: reportKeys.list(orgId), queryFn: ({ signal }) => getReports(orgId, signal) });

export const useReports = (orgId: string) => useQuery(getReportsQueryOptions(orgId));
