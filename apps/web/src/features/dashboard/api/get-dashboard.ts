import { DashboardResponseSchema } from '@hoh/contracts';
import type { DashboardResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { orgPath } from '@/features/organisations';

export const dashboardKey = (orgId: string) => ['orgs', orgId, 'dashboard'] as const;

export const getDashboard = (orgId: string, signal?: AbortSignal): Promise<DashboardResponse> =>
  apiClient.get(orgPath(orgId, '/dashboard'), DashboardResponseSchema, signal);

/** Everything the overview shows, in one request (docs/PRODUCT.md §10). */
export const getDashboardQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: dashboardKey(orgId), queryFn: ({ signal }) => getDashboard(orgId, signal) });

export const useDashboard = (orgId: string) => useQuery(getDashboardQueryOptions(orgId));
