import { AssessmentResponseSchema } from '@hoh/contracts';
import type { AssessmentResponse, PutTargetRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';

import { assessmentKeys, assessmentPath } from './keys';

export const putTarget = (orgId: string, assessmentId: string, questionId: string, body: PutTargetRequest): Promise<AssessmentResponse> =>
  apiClient.put(assessmentPath(orgId, assessmentId, `/targets/${encodeURIComponent(questionId)}`), body, AssessmentResponseSchema);

/** A target changes the gap, the priority of linked actions and the predicted uplift: refresh the score too. */
export function usePutTarget(orgId: string, assessmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ questionId, body }: { questionId: string; body: PutTargetRequest }) => putTarget(orgId, assessmentId, questionId, body),
    onSuccess: async (updated) => {
      queryClient.setQueryData(assessmentKeys.detail(orgId, assessmentId), updated);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assessmentKeys.score(orgId, assessmentId), exact: true }),
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]);
    },
  });
}
