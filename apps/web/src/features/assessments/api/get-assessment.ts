import { AssessmentResponseSchema } from '@hoh/contracts';
import type { AssessmentResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { assessmentKeys, assessmentPath } from './keys';

export const getAssessment = (orgId: string, id: string, signal?: AbortSignal): Promise<AssessmentResponse> =>
  apiClient.get(assessmentPath(orgId, id), AssessmentResponseSchema, signal);

export const getAssessmentQueryOptions = (orgId: string, id: string) =>
  queryOptions({ queryKey: assessmentKeys.detail(orgId, id), queryFn: ({ signal }) => getAssessment(orgId, id, signal) });

export const useAssessment = (orgId: string, id: string | undefined) =>
  useQuery({ ...getAssessmentQueryOptions(orgId, id ?? ''), enabled: id !== undefined });
