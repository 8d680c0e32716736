import { orgPath } from '@/features/organisations';

/** Query keys of the reports feature; every mutation invalidates exactly the keys it changed. */
export const reportKeys = {
  list: (orgId: string) => ['orgs', orgId, 'reports'] as const,
  detail: (orgId: string, reportId: string) => ['orgs', orgId, 'reports', reportId] as const,
  publicKey: () => ['reports', 'public-key'] as const,
  /** A public lookup of the report a verify link names (no organisation: anyone may ask). */
  verifyCode: (reportId: string, resultsSha256: string) => ['reports', 'verify-code', reportId, resultsSha256] as const,
};

export const reportPath = (orgId: string, reportId?: string, rest = ''): string =>
  orgPath(orgId, `/reports${reportId ? `/${encodeURIComponent(reportId)}` : ''}${rest}`);

export const reportPdfHref = (orgId: string, reportId: string): string => reportPath(orgId, reportId, '/pdf');

/** The editable working copies of an issued report, made from the model stored with its PDF (docs/API.md §10). */
export const reportCopyHref = (orgId: string, reportId: string, copy: 'board-pack.docx' | 'registers.xlsx'): string =>
  reportPath(orgId, reportId, `/${copy}`);
