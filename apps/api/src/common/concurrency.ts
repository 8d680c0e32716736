import { AppError } from './app-error.js';

/**
 * Reads `If-Match: "<version>"`. Returns undefined when absent; a malformed value is a 400 so a
 * client bug is never mistaken for a stale write.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(value ?? '');
  if (!match) {
    throw new AppError('VALIDATION_FAILED', 'If-Match must be the quoted version from the ETag you read, e.g. If-Match: "3".', {
      details: [{ path: 'If-Match', message: 'Expected a quoted version number' }],
    });
  }
  return Number(match[1]);
}

export const etagOf = (version: number) => `"${version}"`;

/** Optional If-Match: when sent and stale, 412 with the resource as it is now. */
export function checkOptionalIfMatch(sent: number | undefined, currentVersion: number, current: unknown): void {
  if (sent !== undefined && sent !== currentVersion) {
    throw new AppError('PRECONDITION_FAILED', 'Someone else changed this since you read it. Review their change (in `current`) and try again.', {
      current,
    });
  }
}
