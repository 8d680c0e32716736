import { AssessmentListResponseSchema } from '@hoh/contracts';
import type { AssessmentSummary } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { assessmentKeys, assessmentPath } from './keys';

/** Every assessment, newest first (an organisation runs about one a year). */
export async function getAssessments(orgId: string, signal?: AbortSignal): Promise<AssessmentSummary[]> {
  const items: AssessmentSummary[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=50&cursor=${encodeURIComponent(cursor)}` : '?limit=50';
    const page = await apiClient.get(assessmentPath(orgId, undefined, query), AssessmentListResponseSchema, signal);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

export const getAssessmentsQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: assessmentKeys.list(orgId), queryFn: ({ signal }) => getAssessments(orgId, signal) });

export const useAssessments = (orgId: string) => useQuery(getAssessmentsQueryOptions(orgId));
