import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { ErrorDetail } from '@hoh/contracts';

import { AppError } from './app-error.js';

/**
 * A body the API will refuse, held instead of being refused while it is read. Body parsers run
 * before the access guard, so an error there would answer an unauthenticated caller with 400 or 415
 * instead of 401; the guard throws the held error once the caller is authenticated and authorised
 * (refuseHeldBody), at the place docs/API.md §3.2 gives body checks: after 401/403/404, before field checks.
 */
export class RefusedBody {
  constructor(readonly error: AppError) {}
}

const MEDIA_TYPE = /^[\w!#$%&'*+.^`|~-]{1,64}\/[\w!#$%&'*+.^`|~-]{1,64}$/;

function unsupportedMediaType(contentType: string | undefined, multipartAccepted: boolean): AppError {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  const sent = essence === undefined || essence === '' ? 'A body without a Content-Type' : MEDIA_TYPE.test(essence) ? `Content-Type ${essence}` : 'This Content-Type';
  const wanted = multipartAccepted
    ? 'send JSON with Content-Type: application/json, or the file as multipart/form-data'
    : 'send JSON with Content-Type: application/json';
  return new AppError('UNSUPPORTED_MEDIA_TYPE', `${sent} is not accepted here; ${wanted}.`);
}

/**
 * Every content type without a parser of its own (text/plain, form-urlencoded, XML, a body with no
 * Content-Type…) lands here: cross-site HTML forms can send the first two, and routes that ignore
 * bodies (submit, deletes) would otherwise run. Registered through Nest, so Nest adds neither its
 * form parser nor its own JSON parser; the body is read (up to bodyLimit, else 413) and dropped.
 */
export function holdUnsupportedBody(request: FastifyRequest, _body: Buffer, done: (error: Error | null, body?: unknown) => void): void {
  done(null, new RefusedBody(unsupportedMediaType(request.headers['content-type'], false)));
}

// The same pre-check secure-json-parse (Fastify's default) makes: only a text that may hold a
// "__proto__" or "constructor" key (escaped or not) is scanned after parsing.
const SUSPECT_PROTO = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR =
  /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

const hasOwn = (node: object, key: string) => Object.prototype.hasOwnProperty.call(node, key);

/**
 * The path of the first key that could rewrite a prototype when the body is copied onto another
 * object: `__proto__` anywhere, or `constructor` holding `prototype` (secure-json-parse's rule).
 * Breadth first and iterative, so a deeply nested body cannot exhaust the stack.
 */
export function forbiddenKeyPath(value: unknown): string | undefined {
  let level: [node: object, path: string][] = value !== null && typeof value === 'object' ? [[value, '']] : [];
  while (level.length > 0) {
    const next: [object, string][] = [];
    for (const [node, path] of level) {
      const at = (key: string) => (path === '' ? key : `${path}.${key}`);
      if (hasOwn(node, '__proto__')) return at('__proto__');
      const ctor = (node as Record<string, unknown>)['constructor'];
      if (hasOwn(node, 'constructor') && ctor !== null && typeof ctor === 'object' && hasOwn(ctor, 'prototype')) return at('constructor.prototype');
      for (const key of Object.keys(node)) {
        const child = (node as Record<string, unknown>)[key];
        if (child !== null && typeof child === 'object') next.push([child, at(key)]);
      }
    }
    level = next;
  }
  return undefined;
}

const invalidJson = (message: string, details?: ErrorDetail[]) => new RefusedBody(new AppError('VALIDATION_FAILED', message, details ? { details } : {}));

/**
 * The API's JSON parser (Fastify's default answers every refusal, a `__proto__` key included, with
 * "not valid JSON", before authentication). Valid JSON holding a prototype-rewriting key is a
 * forbidden field, named in the details; text that is not JSON says where it broke, without
 * echoing the body back.
 */
export function parseJsonBody(_request: FastifyRequest, body: string, done: (error: Error | null, body?: unknown) => void): void {
  let text = body;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    done(null, invalidJson('The body is empty. Send a JSON object, or leave out the Content-Type header when there is nothing to send.'));
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    done(
      null,
      invalidJson('The body is not valid JSON. Check quotes, commas and brackets.', [
        { path: '', message: position === undefined ? 'Not valid JSON' : `Not valid JSON at character ${position}` },
      ]),
    );
    return;
  }
  const forbidden = parsed !== null && typeof parsed === 'object' && (SUSPECT_PROTO.test(text) || SUSPECT_CONSTRUCTOR.test(text)) ? forbiddenKeyPath(parsed) : undefined;
  if (forbidden !== undefined) {
    const key = forbidden.endsWith('constructor.prototype') ? '"constructor" holding "prototype"' : '"__proto__"';
    done(
      null,
      invalidJson('The body has a field no request may carry; remove it and send the request again.', [
        { path: forbidden, message: `${key} is not allowed as a field name anywhere in a body; remove it.` },
      ]),
    );
    return;
  }
  done(null, parsed);
}

/**
 * Throws a body refusal held by the parsers, and refuses multipart where the route reads JSON only
 * (its @ApiConsumes, which documents the route, does not list multipart/form-data). Called by the
 * access guard once the caller may use the route; the route's metadata is read only for a refusal
 * or a multipart body.
 */
export function refuseHeldBody(request: FastifyRequest, reflector: Reflector, handler: ReturnType<ExecutionContext['getHandler']>): void {
  const consumes = () => reflector.get<string[] | undefined>(DECORATORS.API_CONSUMES, handler);
  const body = request.body;
  if (body instanceof RefusedBody) {
    const multipartAccepted = body.error.code === 'UNSUPPORTED_MEDIA_TYPE' && (consumes() ?? []).includes('multipart/form-data');
    throw multipartAccepted ? unsupportedMediaType(request.headers['content-type'], true) : body.error;
  }
  if (request.isMultipart() && !(consumes() ?? []).includes('multipart/form-data')) throw unsupportedMediaType('multipart/form-data', false);
}
