import { SuggestActionsResponseSchema } from '@hoh/contracts';
import type { SuggestActionsResponse } from '@hoh/contracts';
import { useMutation } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { assessmentPath } from '@/features/assessments';

import { useInvalidateActions } from './update-action';

export const suggestActions = (orgId: string, assessmentId: string): Promise<SuggestActionsResponse> =>
  apiClient.post(assessmentPath(orgId, assessmentId, '/actions/suggest'), undefined, SuggestActionsResponseSchema);

export function useSuggestActions(orgId: string, assessmentId: string) {
  const invalidate = useInvalidateActions(orgId);
  return useMutation({ mutationFn: () => suggestActions(orgId, assessmentId), onSuccess: invalidate });
}
