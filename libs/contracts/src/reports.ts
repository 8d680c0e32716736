import { z } from 'zod';

import { UuidSchema } from './common.js';
import { PageQuerySchema } from './paging.js';
import { ScoringResultSchema } from './scoring.js';
import { line } from './text.js';

// Issued reports, exports and public verification (docs/API.md §10 and §15). Hashes are
// SHA-256 hex; signatures Ed25519 over the RFC 8785 canonical JSON of the manifest, base64url.

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 is 64 lowercase hex characters');

/**
 * The human verify page for one issued report, as printed in its footer and QR code: the web app's
 * `/verify` with the report id and results hash filled in (docs/API.md §10). Only built from an
 * explicitly set PUBLIC_URL; the page reads the same two parameters.
 */
export const VERIFY_PAGE_PARAMS = { reportId: 'report', resultsSha256: 'results' } as const;
export function verifyPageUrl(publicUrl: string, reportId: string, resultsSha256: string): string {
  // Relative, so a PUBLIC_URL with a path (https://host/hoh) keeps it.
  const url = new URL('verify', publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  url.searchParams.set(VERIFY_PAGE_PARAMS.reportId, reportId);
  url.searchParams.set(VERIFY_PAGE_PARAMS.resultsSha256, resultsSha256);
  return url.toString();
}

export const ReportStatusSchema = z.enum(['queued', 'rendering', 'ready', 'failed']);
export type ReportStatus = z.infer<typeof ReportStatusSchema>;

/** What the issuing key signs; re-serialise it canonically (sorted keys, no spaces) to verify. */
export const ReportManifestSchema = z.object({
  reportId: UuidSchema,
  organisationId: UuidSchema,
  assessmentId: UuidSchema,
  issuedAt: z.string(),
  pdfSha256: Sha256Hex,
  resultsSha256: Sha256Hex,
});
export type ReportManifest = z.infer<typeof ReportManifestSchema>;

export const ReportSchema = z.object({
  id: UuidSchema,
  assessmentId: UuidSchema,
  status: ReportStatusSchema,
  /** True when the assessment was not signed: the PDF carries a DRAFT watermark on every page. */
  draft: z.boolean(),
  requestedAt: z.string(),
  requestedBy: UuidSchema,
  issuedAt: z.string().optional(),
  pdfSha256: Sha256Hex.optional(),
  resultsSha256: Sha256Hex.optional(),
  sizeBytes: z.number().int().optional(),
  manifest: ReportManifestSchema.optional(),
  signature: z.string().optional(),
  keyId: z.string().optional(),
  /** Why rendering failed (status failed); issue a new report after fixing it. */
  error: z.string().optional(),
});
export type Report = z.infer<typeof ReportSchema>;

export const ReportListQuerySchema = PageQuerySchema;
export type ReportListQuery = z.infer<typeof ReportListQuerySchema>;
export const ReportListResponseSchema = z.object({ items: z.array(ReportSchema), nextCursor: z.string().nullable() });
export type ReportListResponse = z.infer<typeof ReportListResponseSchema>;

export const ReportPublicKeySchema = z.object({
  keyId: z.string(),
  /** SubjectPublicKeyInfo PEM, for `openssl pkeyutl -verify` or node:crypto. */
  pem: z.string(),
  jwk: z.object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string(),
    kid: z.string(),
    alg: z.literal('EdDSA'),
    use: z.literal('sig'),
  }),
});
export type ReportPublicKey = z.infer<typeof ReportPublicKeySchema>;

export const VerifyReportRequestSchema = z
  .object({
    sha256: line({ what: 'sha256', max: 200 })
      .toLowerCase()
      .regex(/^[0-9a-f]{64}$/, 'Give the SHA-256 of the PDF as 64 hex characters (sha256sum report.pdf)'),
  })
  .strict();
export type VerifyReportRequest = z.infer<typeof VerifyReportRequestSchema>;

/**
 * The third body variant (issue 25): what a report's verify link or QR code carries, its id and the
 * SHA-256 of its results. Genuine only when BOTH name the same issued report; the answer then also
 * gives the PDF's SHA-256, so the holder can check the file in hand is that report, unaltered.
 */
export const VerifyReportByIdRequestSchema = z
  .object({
    reportId: UuidSchema,
    resultsSha256: line({ what: 'resultsSha256', max: 200 })
      .toLowerCase()
      .regex(/^[0-9a-f]{64}$/, 'Give the results SHA-256 printed on the report (or in its verify link) as 64 hex characters'),
  })
  .strict();
export type VerifyReportByIdRequest = z.infer<typeof VerifyReportByIdRequestSchema>;

/**
 * Deliberately minimal: who issued it and when, nothing about scores or content. One object with
 * optional fields (not a union) so it can back a response DTO; the other fields come only with
 * `genuine: true`.
 */
export const VerifyReportResponseSchema = z.object({
  genuine: z.boolean(),
  reportId: UuidSchema.optional(),
  organisation: z.string().optional(),
  issuedAt: z.string().optional(),
  /** SHA-256 of the issued PDF; compare the file in hand with it (sha256sum report.pdf). */
  pdfSha256: Sha256Hex.optional(),
  /** 'group' for a group board report (then `organisation` reads "group report of <group name>" and `group` is the name); 'drill_record' for a drill record; absent for an organisation's report. */
  kind: z.enum(['group', 'drill_record']).optional(),
  group: z.string().optional(),
  /** For a drill record (kind 'drill_record', docs/PRODUCT.md §15.6): which drill, which scenario; `issuedAt` is its finish. */
  drill: z.object({ drillId: UuidSchema, scenarioId: z.string(), scenario: z.string() }).optional(),
});
export type VerifyReportResponse = z.infer<typeof VerifyReportResponseSchema>;

export const ResultsManifestSchema = z.object({ assessmentId: UuidSchema, generatedAt: z.string(), resultsSha256: Sha256Hex });
export type ResultsManifest = z.infer<typeof ResultsManifestSchema>;

export const ResultsExportSchema = z.object({
  results: ScoringResultSchema,
  manifest: ResultsManifestSchema,
  signature: z.string(),
  keyId: z.string(),
});
export type ResultsExport = z.infer<typeof ResultsExportSchema>;
