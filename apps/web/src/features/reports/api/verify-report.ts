import { ReportPublicKeySchema, VerifyReportResponseSchema } from '@hoh/contracts';
import type { ReportPublicKey, VerifyReportResponse } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { reportKeys } from './keys';

export const VERIFY_PATH = '/api/v1/reports/verify';
export const PUBLIC_KEY_PATH = '/api/v1/reports/public-key';

/** What a report's verify link (and QR code) carries: its id and the SHA-256 of its results. */
export interface ReportCode {
  reportId: string;
  resultsSha256: string;
}

/** Public, no sign-in: a file goes as multipart field `file`; a PDF hash, or a report's code, as JSON. */
export function verifyReport(input: { sha256: string } | { file: File } | ReportCode): Promise<VerifyReportResponse> {
  if ('file' in input) {
    const form = new FormData();
    form.append('file', input.file);
    return apiClient.post(VERIFY_PATH, form, VerifyReportResponseSchema);
  }
  if ('reportId' in input) return apiClient.post(VERIFY_PATH, { reportId: input.reportId, resultsSha256: input.resultsSha256 }, VerifyReportResponseSchema);
  return apiClient.post(VERIFY_PATH, { sha256: input.sha256 }, VerifyReportResponseSchema);
}

export const useVerifyReport = () => useMutation({ mutationFn: verifyReport });

/**
 * Looks up the report a verify link names, once per page visit: the check is rate-limited per IP,
 * so it is neither retried nor refetched on focus.
 */
export const useVerifyReportCode = (code: ReportCode | null) =>
  useQuery({
    queryKey: reportKeys.verifyCode(code?.reportId ?? '', code?.resultsSha256 ?? ''),
    queryFn: () => verifyReport(code!),
    enabled: code !== null,
    retry: false,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

export const getPublicKeyQueryOptions = () =>
  queryOptions({
    queryKey: reportKeys.publicKey(),
    queryFn: ({ signal }): Promise<ReportPublicKey> => apiClient.get(PUBLIC_KEY_PATH, ReportPublicKeySchema, signal),
    staleTime: Infinity,
  });

export const usePublicKey = () => useQuery(getPublicKeyQueryOptions());
