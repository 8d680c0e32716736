import { ReportPublicKeySchema, VerifyReportResponseSchema } from '@hoh/contracts';
import type { ReportPublicKey, VerifyReportResponse } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';

import { apiClient } from '../../../lib/api-client';

import { reportKeys } from './keys';

export const VERIFY_PATH = '/api/v1/reports/verify';
export const PUBLIC_KEY_PATH = '/api/v1/reports/public-key';

/** Public, no sign-in: a file goes as multipart field `file`, a hash as JSON. */
export function verifyReport(input: { sha256: string } | { file: File }): Promise<VerifyReportResponse> {
  if ('file' in input) {
    const form = new FormData();
    form.append('file', input.file);
    return apiClient.post(VERIFY_PATH, form, VerifyReportResponseSchema);
  }
  return apiClient.post(VERIFY_PATH, { sha256: input.sha256 }, VerifyReportResponseSchema);
}

export const useVerifyReport = () => useMutation({ mutationFn: verifyReport });

export const getPublicKeyQueryOptions = () =>
  queryOptions({
    queryKey: reportKeys.publicKey(),
    queryFn: ({ signal }): Promise<ReportPublicKey> => apiClient.get(PUBLIC_KEY_PATH, ReportPublicKeySchema, signal),
    staleTime: Infinity,
  });

export const usePublicKey = () => useQuery(getPublicKeyQueryOptions());
