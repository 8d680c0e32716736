import { APP_ERROR_STATUS, type AppErrorCode, type ErrorDetail } from '@hoh/contracts';

/** The one error type feature code throws; AppExceptionFilter maps it to the envelope and status. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly extra: { details?: ErrorDetail[]; current?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = APP_ERROR_STATUS[code];
  }
}

export const notFound = (what = 'resource') =>
  new AppError('NOT_FOUND', `No such ${what} here. Check the id, and that you are in the right organisation.`);

/** A write to a signed assessment: refused by the services, and by the database itself (SQLSTATE below). */
export const assessmentLocked = () =>
  new AppError('ASSESSMENT_LOCKED', 'This assessment is signed and locked. Start a new assessment from it to make changes.');

/** The SQLSTATE the FreezeSignedAssessments migration's triggers raise. */
export const SIGNED_ASSESSMENT_FROZEN = 'HH409';
