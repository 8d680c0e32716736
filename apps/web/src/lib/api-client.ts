import { ErrorEnvelopeSchema } from '@hoh/contracts';
import type { AppErrorCode, ErrorDetail } from '@hoh/contracts';
import type { z } from 'zod';

import { env } from '@/config/env';

/** The API answered with its error envelope (docs/API.md §4.1). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: AppErrorCode;
  readonly details: readonly ErrorDetail[];
  readonly requestId: string;
  /** Seconds from `Retry-After` on 429/503, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;
  /** Only on 412: the resource as the server holds it now. */
  readonly current: unknown;

  constructor(init: {
    status: number;
    code: AppErrorCode;
    message: string;
    details?: readonly ErrorDetail[] | undefined;
    requestId: string;
    retryAfterSeconds?: number | undefined;
    current?: unknown;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.current = init.current;
  }
}

/**
 * The server could not be reached at all (network failure), or a proxy in front of it answered
 * 502/503/504. Kept apart from ApiError because the user's next step is different: start or wait
 * for the server, not fix their input.
 */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  /** The gateway status, or undefined when the request never got an HTTP answer. */
  readonly status: number | undefined;
  /** The API's own error code when it did answer (e.g. DATABASE_UNAVAILABLE). */
  readonly code: AppErrorCode | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status?: number | undefined;
    code?: AppErrorCode | undefined;
    retryAfterSeconds?: number | undefined;
    cause?: unknown;
  }) {
    super(
      init.code === 'DATABASE_UNAVAILABLE'
        ? "The Hand on Heart server is running but can't reach its database. Wait a moment, then retry."
        : "Can't reach the Hand on Heart server. Check it is running (npm start), then retry.",
      { cause: init.cause },
    );
    this.status = init.status;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/**
 * The server answered, but not in the shape the shared contract promises. This is a bug or a
 * version mismatch between the web app and the API, never something the user typed.
 */
export class ApiContractError extends Error {
  override readonly name = 'ApiContractError';
  readonly status: number;
  readonly path: string;
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(init: { status: number; path: string; issues: readonly z.core.$ZodIssue[] }) {
    super(
      `The server sent an answer this version of the app doesn't understand (${init.path}, HTTP ${init.status}). Reload the page; if it keeps happening, the web app and server versions may differ.`,
    );
    this.status = init.status;
    this.path = init.path;
    this.issues = init.issues;
  }
}

const GATEWAY_STATUSES = new Set([502, 503, 504]);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Module state on purpose: the token belongs to the browser session (the cookie), not to any one
// component, and every write needs it.
let csrfToken: string | null = null;

/** Remember the CSRF token from the latest MeResponse; every cookie-authenticated write echoes it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions<S extends z.ZodType | null> {
  method?: HttpMethod;
  body?: unknown;
  /** Contract for the success body, or null for 204 answers that carry none. */
  schema: S;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Reads the success response's headers (an ETag a later write sends back as If-Match). */
  onHeaders?: (headers: Headers) => void;
}

type ResultOf<S extends z.ZodType | null> = S extends z.ZodType ? z.output<S> : undefined;

function parseRetryAfter(response: Response): number | undefined {
  const raw = response.headers.get('Retry-After');
  if (raw === null) {
    return undefined;
  }
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) {
    return seconds;
  }
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

async function readJson(response: Response): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await response.text();
  if (text === '') {
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export async function request<S extends z.ZodType | null>(
  path: string,
  options: RequestOptions<S>,
): Promise<ResultOf<S>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  // A FormData body (file uploads) goes as multipart; the browser sets its own boundary header.
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !isForm) {
    headers['Content-Type'] = 'application/json';
  }
  if (WRITE_METHODS.has(method) && csrfToken !== null) {
    headers['X-CSRF-Token'] = csrfToken;
  }

  let response: Response;
  try {
    response = await fetch(`${env.apiBaseUrl}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : isForm ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    // An abort is the caller changing its mind (navigation, unmount), not an outage.
    if (cause instanceof DOMException && cause.name === 'AbortError') {
      throw cause;
    }
    throw new ApiUnreachableError({ cause });
  }

  if (!response.ok) {
    const retryAfterSeconds = parseRetryAfter(response);
    const body = await readJson(response);
    const envelope = body.ok ? ErrorEnvelopeSchema.safeParse(body.value) : null;

    if (GATEWAY_STATUSES.has(response.status)) {
      throw new ApiUnreachableError({
        status: response.status,
        code: envelope?.success ? envelope.data.error.code : undefined,
        retryAfterSeconds,
      });
    }
    if (!envelope?.success) {
      throw new ApiContractError({
        status: response.status,
        path,
        issues: envelope ? envelope.error.issues : [],
      });
    }
    const { error, current } = envelope.data;
    throw new ApiError({
      status: response.status,
      code: error.code,
      message: error.message,
      details: error.details,
      requestId: error.requestId,
      retryAfterSeconds,
      current,
    });
  }

  options.onHeaders?.(response.headers);
  if (options.schema === null) {
    return undefined as ResultOf<S>;
  }
  const body = await readJson(response);
  const parsed = options.schema.safeParse(body.ok ? body.value : undefined);
  if (!parsed.success) {
    throw new ApiContractError({ status: response.status, path, issues: parsed.error.issues });
  }
  return parsed.data as ResultOf<S>;
}

export const apiClient = {
  get: <S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal) =>
    request(path, { method: 'GET', schema, signal }),
  post: <S extends z.ZodType | null>(path: string, body: unknown, schema: S) =>
    request(path, { method: 'POST', body, schema }),
  put: <S extends z.ZodType | null>(path: string, body: unknown, schema: S) =>
    request(path, { method: 'PUT', body, schema }),
  patch: <S extends z.ZodType | null>(path: string, body: unknown, schema: S) =>
    request(path, { method: 'PATCH', body, schema }),
  delete: <S extends z.ZodType | null>(path: string, schema: S) =>
    request(path, { method: 'DELETE', schema }),
};

/** A sentence the user can act on, whatever went wrong. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'RATE_LIMITED' && error.retryAfterSeconds !== undefined) {
      return `${error.message} Try again in ${String(error.retryAfterSeconds)} seconds.`;
    }
    return error.message;
  }
  if (error instanceof ApiUnreachableError || error instanceof ApiContractError) {
    return error.message;
  }
  return 'Something went wrong in the app. Reload the page; if it keeps happening, tell your administrator.';
}
