import { ReportSchema } from '@hoh/contracts';
import type { Report } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { assessmentPath } from '@/features/assessments';

import { reportKeys } from './keys';

/** 202: the job is queued; poll GET …/reports/{id} until it is ready. */
export const issueReport = (orgId: string, assessmentId: string): Promise<Report> =>
  apiClient.post(assessmentPath(orgId, assessmentId, '/reports'), undefined, ReportSchema);

export function useIssueReport(orgId: string, assessmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => issueReport(orgId, assessmentId),
    onSuccess: async (report) => {
      queryClient.setQueryData(reportKeys.detail(orgId, report.id), report);
      await queryClient.invalidateQueries({ queryKey: reportKeys.list(orgId), exact: true });
    },
  });
}
