import { randomUUID } from 'node:crypto';

import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';

import { ErrorEnvelopeSchema } from '@hoh/contracts';

import { AppExceptionFilter } from './common/app-exception.filter.js';
import { toOpenApi30 } from './common/openapi-30.js';
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

/** Paths that carry a secret (single-use invitation tokens) are logged without it, and never the query. */
export const redactPath = (url: string) => (url.split('?')[0] ?? '').replace(/\/invitations\/[^/]+\/accept/, '/invitations/:token/accept');

/** Fastify options shared by main.ts and the e2e harness. */
export function fastifyOptions(config: AppConfig) {
  return {
    trustProxy: config.env.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    // Accept a caller's request id only when it is short and plain, so logs cannot be forged.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    logger:
      config.env.LOG_LEVEL === 'silent'
        ? false
        : {
            level: config.env.LOG_LEVEL,
            redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'], remove: true },
            // Method, path and status only: never bodies, query strings or cookies.
            serializers: {
              req: (req: FastifyRequest) => ({ method: req.method, url: redactPath(req.url), reqId: req.id }),
            },
          },
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
  const routes: LiveRoute[] = [];
  liveRoutes.set(app, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of ([] as string[]).concat(route.method)) routes.push({ method, url: route.url });
  });
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  await app.register(fastifyCookie);
  // Evidence uploads stream through these limits: an oversize file is cut off at EVIDENCE_MAX_BYTES
  // while arriving, never buffered whole. Only POST …/evidence reads multipart bodies.
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.env.EVIDENCE_MAX_BYTES, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 12, headerPairs: 100 },
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Swagger UI sets inline styles; nothing else needs them.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    hsts: config.env.TRUST_PROXY ? undefined : false,
  });

  const document = toOpenApi30(
    cleanupOpenApiDoc(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Hand on Heart API')
        .setDescription('CSAM-prevention self-assessment: organisations, assessments, evidence, remediation, reports. Errors share one envelope (ErrorEnvelope).')
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
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', useGlobalPrefix: false });

  if (config.webDistDir) {
    // Hashed asset names make long caching safe; index.html itself is served no-cache by the SPA fallback.
    await app.register(fastifyStatic, { root: config.webDistDir, prefix: '/', wildcard: false, index: false, maxAge: '1h' });
  }
}
