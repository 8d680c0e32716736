import { ScoringResultSchema } from '@hoh/contracts';
import type { ScoreResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { assessmentKeys, assessmentPath } from './keys';

export const getScore = (orgId: string, id: string, signal?: AbortSignal): Promise<ScoreResponse> =>
  apiClient.get(assessmentPath(orgId, id, '/score'), ScoringResultSchema, signal);

export const getScoreQueryOptions = (orgId: string, id: string) =>
  queryOptions({
    queryKey: assessmentKeys.score(orgId, id),
    queryFn: ({ signal }) => getScore(orgId, id, signal),
    // Keep showing the last score while a recount after a save is in flight.
    placeholderData: (previous) => previous,
  });

export const useScore = (orgId: string, id: string | undefined) =>
  useQuery({ ...getScoreQueryOptions(orgId, id ?? ''), enabled: id !== undefined });
