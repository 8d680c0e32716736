import { AnswerResponseSchema } from '@hoh/contracts';
import type { AnswerResponse, AssessmentResponse, PutAnswerRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { request } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';

import { assessmentKeys, assessmentPath } from './keys';

/**
 * Saves one answer with optimistic concurrency (docs/API.md §7): the first answer sends
 * `If-None-Match: *`, every later one `If-Match: "<version>"` of the answer it was based on.
 */
export function putAnswer(
  orgId: string,
  assessmentId: string,
  questionId: string,
  body: PutAnswerRequest,
  basedOn: { answered: boolean; version: number },
): Promise<AnswerResponse> {
  return request(assessmentPath(orgId, assessmentId, `/answers/${encodeURIComponent(questionId)}`), {
    method: 'PUT',
    body,
    schema: AnswerResponseSchema,
    headers: basedOn.answered ? { 'If-Match': `"${String(basedOn.version)}"` } : { 'If-None-Match': '*' },
  });
}

/** The 412 body's `current`, if it is an answer this app understands. */
export function parseCurrentAnswer(current: unknown): AnswerResponse | null {
  const parsed = AnswerResponseSchema.safeParse(current);
  return parsed.success ? parsed.data : null;
}

export function usePutAnswer(orgId: string, assessmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vars: { questionId: string; body: PutAnswerRequest; basedOn: { answered: boolean; version: number } }) =>
      putAnswer(orgId, assessmentId, vars.questionId, vars.body, vars.basedOn),
    onSuccess: async (saved) => {
      queryClient.setQueryData<AssessmentResponse>(assessmentKeys.detail(orgId, assessmentId), (old) =>
        old ? { ...old, answers: replaceAnswer(old.answers, saved) } : old,
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assessmentKeys.score(orgId, assessmentId), exact: true }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.list(orgId), exact: true }),
        queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
      ]);
    },
  });
}

export function replaceAnswer(answers: readonly AnswerResponse[], saved: AnswerResponse): AnswerResponse[] {
  const rest = answers.filter((a) => a.questionId !== saved.questionId);
  return [...rest, saved].sort((a, b) => a.questionId.localeCompare(b.questionId));
}
