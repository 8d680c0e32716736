import SwaggerParser from '@apidevtools/swagger-parser';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';

import { registeredRoutes } from '../../src/app.setup.js';
import { ACCESS_KEY } from '../../src/common/auth/access.decorators.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type OpenApiDoc = { openapi: string; paths: Record<string, Record<string, unknown>> };

describe('OpenAPI document and route declarations', () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/api/openapi.json').expect(200)).body as OpenApiDoc;
  });
  afterAll(async () => {
    await t.close();
  });

  it('is a valid OpenAPI 3 document according to an independent validator', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('documents every live /api route that Fastify registered', () => {
    const undocumentedAllowed = new Set(['/api/openapi.json']);
    const live = registeredRoutes(t.app).filter(
      (r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && !r.url.startsWith('/api/docs') && !undocumentedAllowed.has(r.url),
    );
    expect(live.length).toBeGreaterThan(3);
    const missing = live
      .map((r) => ({ method: r.method.toLowerCase(), path: r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}') }))
      .filter(({ method, path }) => !doc.paths[path]?.[method]);
    expect(missing).toEqual([]);
  });

  it('serves Swagger UI at /api/docs', async () => {
    const res = await t.http().get('/api/docs').redirects(1).expect(200);
    expect(res.text).toMatch(/swagger/i);
  });

  it('has every controller route declare who may call it (deny by default)', () => {
    const undeclared: string[] = [];
    let checked = 0;
    for (const mod of t.app.get(ModulesContainer).values()) {
      for (const wrapper of mod.controllers.values()) {
        const proto = (wrapper.metatype as { prototype?: Record<string, unknown> } | null)?.prototype;
        if (!proto) continue;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const handler = proto[name];
          if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
          checked += 1;
          const declared = Reflect.getMetadata(ACCESS_KEY, handler) ?? Reflect.getMetadata(ACCESS_KEY, wrapper.metatype as object);
          if (!declared) undeclared.push(`${String(wrapper.name)}.${name} (${String(Reflect.getMetadata(PATH_METADATA, handler))})`);
        }
      }
    }
    expect(checked).toBeGreaterThan(3);
    expect(undeclared).toEqual([]);
  });

  it('answers an unknown API route with 404 in the error envelope', async () => {
    const res = await t.http().get('/api/v1/nope').expect(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('/api/docs'), requestId: expect.any(String) } });
  });

  it('answers a body that is not JSON with 400 VALIDATION_FAILED', async () => {
    const res = await t.http().post('/api/v1/auth/sign-in').set('Content-Type', 'application/json').send('{"email": ').expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});
