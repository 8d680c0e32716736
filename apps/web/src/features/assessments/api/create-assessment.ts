import { AssessmentResponseSchema } from '@hoh/contracts';
import type { AssessmentResponse, CreateAssessmentRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';

import { assessmentKeys, assessmentPath } from './keys';

export const createAssessment = (orgId: string, body: CreateAssessmentRequest): Promise<AssessmentResponse> =>
  apiClient.post(assessmentPath(orgId), body, AssessmentResponseSchema);

export function useCreateAssessment(orgId: string, options?: { onSuccess?: (created: AssessmentResponse) => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAssessmentRequest) => createAssessment(orgId, body),
    onSuccess: async (created) => {
      queryClient.setQueryData(assessmentKeys.detail(orgId, created.id), created);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assessmentKeys.list(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]);
      options?.onSuccess?.(created);
    },
  });
}
