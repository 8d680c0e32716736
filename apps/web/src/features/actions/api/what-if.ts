import { WhatIfResponseSchema } from '@hoh/contracts';
import type { WhatIfResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { assessmentPath } from '@/features/assessments';

import { actionKeys } from './keys';

/** A projection, not a write: POST only because the body carries the action ids. */
export const getWhatIf = (orgId: string, assessmentId: string, actionIds: readonly string[]): Promise<WhatIfResponse> =>
  apiClient.post(assessmentPath(orgId, assessmentId, '/what-if'), { actionIds }, WhatIfResponseSchema);

export const getWhatIfQueryOptions = (orgId: string, assessmentId: string, actionIds: readonly string[]) =>
  queryOptions({
    queryKey: actionKeys.whatIf(orgId, assessmentId, actionIds),
    queryFn: () => getWhatIf(orgId, assessmentId, actionIds),
    placeholderData: (previous) => previous,
  });

export const useWhatIf = (orgId: string, assessmentId: string | undefined, actionIds: readonly string[]) =>
  useQuery({ ...getWhatIfQueryOptions(orgId, assessmentId ?? '', actionIds), enabled: assessmentId !== undefined && actionIds.length > 0 });
