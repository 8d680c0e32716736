import { z } from 'zod';

/** Every error code the API can answer with; the HTTP status for each is fixed in docs/API.md §4.2. */
export const APP_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  /** Sign-off without a valid proof that the signer is present (never 401: the session stays). */
  REAUTH_FAILED: 403,
  /** Joining another organisation by email match from an account whose address is not yet confirmed (docs/PRODUCT.md §2.5). */
  EMAIL_NOT_VERIFIED: 403,
  /** An organisation whose owner requires a second factor, reached by a session (or token) without one (docs/PRODUCT.md §2.7). */
  SECOND_FACTOR_REQUIRED: 403,
  NOT_FOUND: 404,
  ASSESSMENT_LOCKED: 409,
  INVALID_STATE: 409,
  CRITICAL_NOT_ACCEPTABLE: 409,
  ATTESTATION_BLOCKED: 409,
  EMAIL_IN_USE: 409,
  /** Accepting evidence the reviewer has not opened (docs/PRODUCT.md: accepting requires opening). */
  EVIDENCE_NOT_OPENED: 409,
  /** GET …/open on a document id: there is nothing to follow; look it up and POST …/opens. */
  EVIDENCE_NOT_A_LINK: 409,
  /** POST …/opens on a file or link: open it (…/content or …/open) instead of declaring it. */
  EVIDENCE_OPEN_IT: 409,
  /** An editable copy (DOCX/XLSX) of a report still queued, rendering or failed: wait for ready, or issue a new one. */
  REPORT_NOT_READY: 409,
  /** An editable copy of a report issued before report models were stored: issue a new report. */
  REPORT_MODEL_MISSING: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  QUOTA_EXCEEDED: 413,
  UNSUPPORTED_EVIDENCE: 415,
  /** A body sent as anything but JSON (or multipart where a route takes files). */
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  DATABASE_UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;
export const AppErrorCodeSchema = z.enum(
  Object.keys(APP_ERROR_STATUS) as [AppErrorCode, ...AppErrorCode[]],
);

export const ErrorDetailSchema = z.object({
  /** Dotted path of the offending field, e.g. `risk.imageCsam`; empty for the body as a whole. */
  path: z.string(),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: AppErrorCodeSchema,
    message: z.string(),
    details: z.array(ErrorDetailSchema).optional(),
    requestId: z.string(),
  }),
  /** Only on 412: the resource as it is now, so the client can show the conflict. */
  current: z.unknown().optional(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
