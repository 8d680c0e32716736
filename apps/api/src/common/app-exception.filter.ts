import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isNativeError } from 'node:util/types';

import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodValidationException } from 'nestjs-zod';

import { APP_ERROR_STATUS, type AppErrorCode, type ErrorDetail, type ErrorEnvelope } from '@hoh/contracts';

import { AppError, assessmentLocked, SIGNED_ASSESSMENT_FROZEN } from './app-error.js';

interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
}

function zodDetails(error: unknown): ErrorDetail[] {
  const issues = (error as { issues?: ZodIssueLike[] } | undefined)?.issues ?? [];
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

// Connection-level failures: refused, reset, shut down, too many clients, database gone or closed
// to connections, or our login rejected. None is the caller's fault; all are worth a retry.
const DB_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '3D000', '28P01', '28000']);

/** The error's SQLSTATE (or Node socket code), from pg directly or from TypeORM's wrapper. */
function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { code?: string }).code ?? (error as { driverError?: { code?: string } }).driverError?.code;
}

/** True for errors that mean "the database is not answering" rather than a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Node's socket errors (ECONNREFUSED, ECONNRESET) come from its own realm, so `instanceof Error`
  // is false for them under a VM sandbox (jest); isNativeError recognises them in any realm.
  if (!(error instanceof Error) && !isNativeError(error)) return false;
  const code = sqlState(error);
  if (code && (DB_DOWN_CODES.has(code) || code.startsWith('08'))) return true;
  if (code === '55000' && /accepting connections/i.test(error.message)) return true;
  // When the server ends a connection mid-transaction, TypeORM releases that query runner and the
  // request's next query fails with this instead of the connection error itself.
  if (error.name === 'QueryRunnerProviderAlreadyReleasedError' || error.name === 'QueryRunnerAlreadyReleasedError') return true;
  return /Connection terminated|Query read timeout|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error/i.test(
    error.message,
  );
}

const STATUS_TO_CODE: Record<number, AppErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'INVALID_STATE',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  428: 'PRECONDITION_REQUIRED',
  429: 'RATE_LIMITED',
  503: 'DATABASE_UNAVAILABLE',
};

/**
 * Every 4xx/5xx leaves through here in one envelope. Unknown GETs outside /api fall back to the
 * single-page app's index.html so deep links work.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly webDistDir: string | null) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();

    if (this.serveSpa(exception, request, reply)) return;

    const { status, code, message, details, current, headers } = this.describe(exception, request);
    const body: ErrorEnvelope = { error: { code, message, requestId: String(request.id) } };
    if (details && details.length > 0) body.error.details = details;
    if (current !== undefined) body.current = current;
    for (const [k, v] of Object.entries(headers ?? {})) void reply.header(k, v);
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private describe(exception: unknown, request: FastifyRequest) {
    if (exception instanceof AppError) {
      return { status: exception.status, code: exception.code, message: exception.message, ...exception.extra };
    }
    if (exception instanceof ZodValidationException) {
      return {
        status: 400,
        code: 'VALIDATION_FAILED' as const,
        message: 'Some fields are invalid; correct them and send the request again.',
        details: zodDetails(exception.getZodError()),
      };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ msg: 'database unavailable', reqId: request.id, err: (exception as Error).message });
      return {
        status: 503,
        code: 'DATABASE_UNAVAILABLE' as const,
        message: 'The database is not answering. Nothing was changed; try again in a few seconds.',
        headers: { 'retry-after': '5' },
      };
    }
    // The database's own refusal to change a signed assessment (migration FreezeSignedAssessments):
    // reached only when a write raced a sign-off past the service's status check.
    if (sqlState(exception) === SIGNED_ASSESSMENT_FROZEN) {
      const locked = assessmentLocked();
      return { status: locked.status, code: locked.code, message: locked.message };
    }
    // Fastify's own errors (bad JSON, wrong content type, body too large) carry statusCode.
    const fastifyStatus = (exception as { statusCode?: number } | null)?.statusCode;
    const status = exception instanceof HttpException ? exception.getStatus() : fastifyStatus;
    if (status && status >= 400 && status < 500) {
      const code = STATUS_TO_CODE[status] ?? 'VALIDATION_FAILED';
      return { status: APP_ERROR_STATUS[code] === status ? status : 400, code, message: this.clientMessage(status, exception, request) };
    }
    this.logger.error({ msg: 'unhandled error', reqId: request.id, err: exception instanceof Error ? exception.stack : String(exception) });
    return {
      status: 500,
      code: 'INTERNAL_ERROR' as const,
      message: `Something went wrong on our side. Nothing you sent was at fault; quote request id ${String(request.id)} if you contact support.`,
    };
  }

  private clientMessage(status: number, exception: unknown, request: FastifyRequest): string {
    switch (status) {
      case 404:
        return `No route ${request.method} ${request.url.split('?')[0] ?? ''}. See /api/docs for the routes this API offers.`;
      case 413:
        return 'The request body is too large. Send a smaller file or body.';
      case 415:
        // Fastify's own, for a Content-Type header that is not a media type at all; every well-formed
        // type the API does not read is refused after authentication instead (request-body.ts).
        return 'The Content-Type header is not a media type. Send JSON with Content-Type: application/json (or multipart/form-data for files).';
      case 400:
        return exception instanceof Error && /JSON/i.test(exception.message)
          ? 'The body is not valid JSON. Check quotes, commas and brackets.'
          : 'The request is malformed; check it against /api/docs.';
      default:
        return exception instanceof Error ? exception.message : 'The request could not be processed.';
    }
  }

  private serveSpa(exception: unknown, request: FastifyRequest, reply: FastifyReply): boolean {
    if (!this.webDistDir || !(exception instanceof HttpException) || exception.getStatus() !== 404) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = request.url.split('?')[0] ?? '';
    if (path === '/api' || path.startsWith('/api/')) return false;
    const index = join(this.webDistDir, 'index.html');
    if (!existsSync(index)) return false;
    void reply.status(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(createReadStream(index));
    return true;
  }
}
