import { randomUUID } from 'node:crypto';

import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Duplex } from 'node:stream';

import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';

import { ErrorEnvelopeSchema } from '@hoh/contracts';

import { AppExceptionFilter } from './common/app-exception.filter.js';
import { processLogFormat, rootLogger } from './common/logging.js';
import { holdUnsupportedBody, parseJsonBody } from './common/request-body.js';
import { toOpenApi30 } from './common/openapi-30.js';
import { replySerializer } from './common/zod-response.decorator.js';
import { DOCS_CSP, securityHeaders, staticFileHeaders } from './common/security-headers.js';
import type { AppConfig } from './config/app-config.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface LiveRoute {
  method: string;
  url: string;
}
const liveRoutes = new WeakMap<object, LiveRoute[]>();

/** Every route Fastify registered for this app (Nest's and plugins'), for the route-coverage tests. */
export function registeredRoutes(app: NestFastifyApplication): LiveRoute[] {
  return liveRoutes.get(app) ?? [];
}

/** Paths that carry a secret (single-use invitation tokens, calendar feed tokens) are logged without it, and never the query. */
export const redactPath = (url: string) =>
  (url.split('?')[0] ?? '').replace(/\/v1\/invitations\/[^/]+/, '/v1/invitations/:token').replace(/\/v1\/calendar\/[^/]+/, '/v1/calendar/:token');

/**
 * Node refuses some requests before Fastify sees them (a request line or headers over 16 KiB, a
 * malformed request). Fastify's default answer is its own JSON shape; this one is the error envelope
 * every other refusal uses, so clients and scanners see one format (and no framework fingerprint).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The address or headers are too large (at most 16 KiB). Send long values in the body.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request took too long to arrive; send it again.']
        : [400, 'Bad Request', 'The request is not valid HTTP.'];
  const code = status === 431 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
  const body = JSON.stringify({ error: { code, message, requestId: randomUUID() } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Fastify writes two lines per request (arrival and completion); this writes one, on completion, with
 * method, redacted path, status and time (the request serialiser adds the id); a path no route
 * matches is that one line too, with status 404.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
  // Fastify's own "Route … not found" line would be a second line, with the raw URL and its query.
  override routeNotFound(): void {}
}

/** Fastify options shared by main.ts and the e2e harness. */
export function fastifyOptions(config: AppConfig) {
  return {
    // No Nest middleware is used (guards and interceptors do that work), so @fastify/middie and its
    // per-request hook are not registered. A module adding configure(consumer) must drop this.
    skipMiddie: true,
    trustProxy: config.env.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    clientErrorHandler,
    // Accept a caller's request id only when it is short and plain, so logs cannot be forged.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    // The process's one logger (common/logging.ts: JSON, or short lines on a terminal), and one line
    // per request (OneLinePerRequest).
    ...(config.env.LOG_LEVEL === 'silent'
      ? { logger: false as const }
      : {
          loggerInstance: rootLogger(config.env.LOG_LEVEL, processLogFormat(config.env)).child(
            {},
            // Method, path and status only: never bodies, query strings or cookies.
            { serializers: { req: (req: FastifyRequest) => ({ method: req.method, url: redactPath(req.url), reqId: req.id }) } },
          ),
          logController: new OneLinePerRequest(),
        }),
  };
}

/**
 * Everything about HTTP behaviour that must be identical in production and in tests: prefix,
 * filters, security headers, cookies, OpenAPI and the static web app.
 */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new AppExceptionFilter(config.webDistDir));

  const fastify = app.getHttpAdapter().getInstance();
  fastify.setReplySerializer(replySerializer);
  const routes: LiveRoute[] = [];
  liveRoutes.set(app, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of ([] as string[]).concat(route.method)) routes.push({ method, url: route.url });
  });
  // One synchronous hook for every request: it runs before routing's handlers on the floor of each
  // request, so it stays cheap (the benchmark's api.floor measures it). Headers go on the raw
  // response: they survive error replies, and a route's own reply.header() still wins. Content
  // types are judged later, once the caller is authenticated (the body parsers below).
  const headers = securityHeaders({ hsts: config.env.TRUST_PROXY });
  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) raw.setHeader(name, value);
    raw.setHeader('x-request-id', request.id);
    const url = request.url;
    if (url.startsWith('/api/')) {
      // Authenticated API answers must not be kept by browsers or proxies (ASVS 14.3.2). Routes that
      // choose their own policy (evidence and report downloads: private, no-store) override it.
      raw.setHeader('cache-control', 'no-store');
      // Swagger UI injects inline styles; only its pages get the looser style-src.
      if (url.startsWith('/api/docs') && /^\/api\/docs(?:[/?]|$)/.test(url)) raw.setHeader('content-security-policy', DOCS_CSP);
    }
    done();
  });
  // The API reads JSON, and multipart where a route takes files, nothing else. A parser refuses
  // nothing itself: it holds the refusal (415 for any other content type, 400 for JSON that is not
  // JSON or carries a prototype-rewriting key) and the access guard throws it once the caller may use
  // the route, so an unauthenticated caller still gets 401 (request-body.ts). Fastify's text/plain
  // parser goes, so a cross-site form's text/plain reaches the catch-all like form-urlencoded does.
  const bodyLimit = fastify.initialConfig.bodyLimit;
  app.useBodyParser('*', { bodyLimit }, holdUnsupportedBody);
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, parseJsonBody);
  fastify.removeContentTypeParser('text/plain');
  await app.register(fastifyCookie);
  // Evidence uploads stream through these limits: an oversize file is cut off at EVIDENCE_MAX_BYTES
  // while arriving, never buffered whole. Only POST …/evidence reads multipart bodies.
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.env.EVIDENCE_MAX_BYTES, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 12, headerPairs: 100 },
  });

  // Built on the first request for the docs, not at boot: scanning every route and schema costs
  // ~0.7 s of CPU, about a sixth of a restart (bench/startup.bench.mjs), for a page few open.
  const openApiDocument = () => {
    const document = toOpenApi30(
      cleanupOpenApiDoc(
        SwaggerModule.createDocument(
          app,
          new DocumentBuilder()
            .setTitle('Hand on Heart API')
            .setDescription(
              'CSAM-prevention self-assessment: organisations, assessments, evidence, remediation, reports. Errors share one envelope (ErrorEnvelope).',
            )
            .setVersion('1')
            .addCookieAuth('hoh_session')
            .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Personal API token (hoh_pat_…); no CSRF token needed' })
            .build(),
        ),
        { version: '3.0' },
      ),
    );
    document.components ??= {};
    document.components.schemas ??= {};
    document.components.schemas['ErrorEnvelope'] = z.toJSONSchema(ErrorEnvelopeSchema, { target: 'openapi-3.0' }) as never;
    return document;
  };
  SwaggerModule.setup('api/docs', app, openApiDocument, { jsonDocumentUrl: 'api/openapi.json', useGlobalPrefix: false });

  if (config.webDistDir) {
    // Hashed asset names make long caching safe; index.html itself is served no-cache by the SPA fallback.
    // staticFileHeaders: the sandboxed evidence preview page's own CSP, and CORS on hashed assets so
    // that opaque-origin frame can load its bundle (security-headers.ts says why).
    await app.register(fastifyStatic, { root: config.webDistDir, prefix: '/', wildcard: false, index: false, maxAge: '1h', setHeaders: staticFileHeaders });
  }
}
