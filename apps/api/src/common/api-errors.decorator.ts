import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: field-level details in error.details',
  401: 'UNAUTHENTICATED: no or invalid credentials',
  403: 'CSRF_FAILED or FORBIDDEN',
  404: 'NOT_FOUND: unknown, or another organisation\u2019s, id',
  409: 'Conflict with the current state (see error.code)',
  412: 'PRECONDITION_FAILED: stale If-Match; `current` holds the resource as it is now',
  413: 'PAYLOAD_TOO_LARGE or QUOTA_EXCEEDED',
  415: 'UNSUPPORTED_EVIDENCE (file content) or UNSUPPORTED_MEDIA_TYPE (a body that is not JSON, or multipart where the route reads JSON)',
  428: 'PRECONDITION_REQUIRED: send If-Match',
  429: 'RATE_LIMITED: see Retry-After',
  503: 'DATABASE_UNAVAILABLE: see Retry-After',
};

/** Documents the error envelope for the listed statuses (the schema is registered once as ErrorEnvelope). */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', schema: { $ref: '#/components/schemas/ErrorEnvelope' } }),
    ),
  );
