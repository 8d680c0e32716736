import { AssessmentResponseSchema } from '@hoh/contracts';
import type {
  AssessmentResponse,
  AssignmentsRequest,
  ReviewRequest,
  SignOffRequest,
  VerificationRequest,
} from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';

import { assessmentKeys, assessmentPath } from './keys';

// Lifecycle writes all answer with the whole assessment: store it, then refresh exactly the
// list row (status, band) and the score (reviews and sign-off change confidence).
function useAssessmentWrite<B>(orgId: string, assessmentId: string, send: (body: B) => Promise<AssessmentResponse>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async (updated) => {
      queryClient.setQueryData(assessmentKeys.detail(orgId, assessmentId), updated);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assessmentKeys.list(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.score(orgId, assessmentId), exact: true }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.attestation(orgId, assessmentId), exact: true }),
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]);
    },
  });
}

export const submitAssessment = (orgId: string, id: string) =>
  apiClient.post(assessmentPath(orgId, id, '/submit'), undefined, AssessmentResponseSchema);
export const reviewAnswers = (orgId: string, id: string, body: ReviewRequest) =>
  apiClient.post(assessmentPath(orgId, id, '/reviews'), body, AssessmentResponseSchema);
export const signOff = (orgId: string, id: string, body: SignOffRequest) =>
  apiClient.post(assessmentPath(orgId, id, '/sign-off'), body, AssessmentResponseSchema);
export const recordVerification = (orgId: string, id: string, body: VerificationRequest) =>
  apiClient.post(assessmentPath(orgId, id, '/verification'), body, AssessmentResponseSchema);
export const assignQuestions = (orgId: string, id: string, body: AssignmentsRequest) =>
  apiClient.post(assessmentPath(orgId, id, '/assignments'), body, AssessmentResponseSchema);

export const useSubmitAssessment = (orgId: string, id: string) =>
  useAssessmentWrite<void>(orgId, id, () => submitAssessment(orgId, id));
export const useReviewAnswers = (orgId: string, id: string) =>
  useAssessmentWrite<ReviewRequest>(orgId, id, (body) => reviewAnswers(orgId, id, body));
export const useSignOff = (orgId: string, id: string) =>
  useAssessmentWrite<SignOffRequest>(orgId, id, (body) => signOff(orgId, id, body));
export const useRecordVerification = (orgId: string, id: string) =>
  useAssessmentWrite<VerificationRequest>(orgId, id, (body) => recordVerification(orgId, id, body));
export const useAssignQuestions = (orgId: string, id: string) =>
  useAssessmentWrite<AssignmentsRequest>(orgId, id, (body) => assignQuestions(orgId, id, body));
