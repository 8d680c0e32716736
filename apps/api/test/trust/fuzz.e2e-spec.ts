import fc from 'fast-check';

import { registeredRoutes } from '../../src/app.setup.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { SignUpFactory } from '../factories/user.factory.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildTenantWorld, businessDataHash, type TenantWorld } from './tenant-world.js';

/**
 * Property-based input fuzzing (issue 8 §3, docs/API.md §3 and §4). Every write route is enumerated
 * from the live Fastify routes; each gets ≥ 100 hostile requests (DEEP=1: 1,000). Every request is
 * built to be invalid in at least one way the API must refuse (a body the strict contract rejects,
 * an id that does not exist in this organisation, a forged CSRF token, missing credentials, an
 * unparseable content type, a malformed If-Match), while carrying injection, unicode, huge and
 * deeply nested payloads through the rest. Invariants: a 4xx in the error envelope, never a 5xx,
 * no stack trace, and no business data changed (tenant-table hash before and after each route).
 */
const RUNS = process.env['DEEP'] === '1' ? 1000 : 100;

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

interface RouteSpec {
  /** A valid body for the route with the real ids filled in; null = the route reads no body. */
  body: (w: TenantWorld) => JsonObject | null;
  /** Public routes take no session, so forged CSRF or missing credentials do not make them invalid. */
  public?: boolean;
}

/** Every write route needs an entry: a new route without one fails the suite until it is fuzzed. */
const SPECS: Record<string, RouteSpec> = {
  'POST /api/v1/auth/sign-up': { body: () => ({ ...SignUpFactory.new().build() }), public: true },
  'POST /api/v1/auth/sign-in': { body: (w) => ({ email: w.owner.credentials.email, password: w.owner.credentials.password }), public: true },
  'POST /api/v1/auth/tokens': { body: () => ({ name: 'CI evidence upload', scope: 'read' }) },
  'DELETE /api/v1/auth/tokens/:tokenId': { body: () => null },
  'PATCH /api/v1/orgs/:orgId': { body: () => ({ name: 'Renamed by fuzz' }) },
  'PUT /api/v1/orgs/:orgId/profile': { body: () => ProfileFactory.enterpriseOnly() },
  'POST /api/v1/orgs/:orgId/applicability/preview': { body: () => ProfileFactory.enterpriseOnly() },
  'PATCH /api/v1/orgs/:orgId/members/:userId': { body: () => ({ role: 'auditor' }) },
  'DELETE /api/v1/orgs/:orgId/members/:userId': { body: () => null },
  'POST /api/v1/orgs/:orgId/invitations': { body: () => ({ email: 'fuzz.invitee@example.org', role: 'contributor' }) },
  'DELETE /api/v1/orgs/:orgId/invitations/:invitationId': { body: () => null },
  'POST /api/v1/invitations/:token/accept': { body: () => ({ name: 'Fuzz Invitee', email: 'fuzz.invitee@example.org', password: 'a long enough passphrase' }), public: true },
  'POST /api/v1/orgs/:orgId/assessments': { body: () => ({}) },
  'PUT /api/v1/orgs/:orgId/assessments/:id/answers/:questionId': { body: () => ({ value: 2, comment: 'partly' }) },
  'PUT /api/v1/orgs/:orgId/assessments/:id/targets/:questionId': { body: () => ({ target: 1, reason: 'Small team' }) },
  'POST /api/v1/orgs/:orgId/assessments/:id/assignments': { body: (w) => ({ assigneeId: w.assessor.me.user.id, questionIds: ['OPS-02'] }) },
  'POST /api/v1/orgs/:orgId/assessments/:id/submit': { body: () => null },
  'POST /api/v1/orgs/:orgId/assessments/:id/reviews': { body: (w) => ({ items: [{ questionId: w.answeredQuestionId, decision: 'approve' }] }) },
  'POST /api/v1/orgs/:orgId/assessments/:id/sign-off': { body: () => ({ statement: 'I confirm', acknowledged: [] }) },
  'POST /api/v1/orgs/:orgId/assessments/:id/verification': { body: () => ({ note: 'Checked' }) },
  'POST /api/v1/orgs/:orgId/evidence': {
    body: () => ({ title: 'Fuzz policy', kind: 'policy', externalRef: 'https://fuzz.example/policy', issuedAt: '2026-01-01T00:00:00Z' }),
  },
  'POST /api/v1/orgs/:orgId/evidence/:id/review': { body: () => ({ decision: 'accept' }) },
  'PUT /api/v1/orgs/:orgId/assessments/:id/answers/:questionId/evidence/:evidenceId': { body: () => null },
  'DELETE /api/v1/orgs/:orgId/assessments/:id/answers/:questionId/evidence/:evidenceId': { body: () => null },
  'POST /api/v1/orgs/:orgId/actions': { body: () => ({ title: 'Fuzz action' }) },
  'PATCH /api/v1/orgs/:orgId/actions/:id': { body: () => ({ title: 'Renamed action' }) },
  'POST /api/v1/orgs/:orgId/assessments/:id/actions/suggest': { body: () => null },
  'POST /api/v1/orgs/:orgId/assessments/:id/what-if': { body: (w) => ({ actionIds: [w.actionId] }) },
  'POST /api/v1/orgs/:orgId/assessments/:id/reports': { body: () => null },
  'POST /api/v1/reports/verify': { body: () => ({ sha256: 'a'.repeat(64) }), public: true },
};

// Strings that have broken other parsers, ORMs and template engines.
const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE answers; --",
  "1; SELECT pg_sleep(10)--",
  "\\'; SET app.org_id = '00000000-0000-0000-0000-000000000000'; --",
  '{"$ne": null}',
  '{"$gt": ""}',
  '$where: function() { return true }',
  '${7*7}',
  '{{7*7}}',
  '<%= 7*7 %>',
  '#{7*7}',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '\u0000',
  'nul\u0000byte',
  '<script>alert(1)</script>',
  '<svg onload=alert(1)>',
  '=cmd|"/c calc"!A1',
  '\u202Egnp.exe',
  'zero\u200Bwidth\uFEFF',
  '𝕳𝖆𝖓𝖉 🫶 \uD800',
];
// Keys no write contract accepts: prototype pollution and mass assignment of server-owned fields.
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype', 'tenantId', 'organisationId', 'orgId', 'isAdmin', 'createdBy', 'signedAt', 'hash', 'seq', '$where', '$ne'];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  // Longer than any text field allows (the largest is 20,000), still under the 1 MiB body limit.
  fc.tuple(fc.constantFrom('A', 'é', '🫶', '\u0000', "'"), fc.integer({ min: 20_001, max: 120_000 })).map(([c, n]) => c.repeat(n)),
);

const deepNesting: fc.Arbitrary<JsonValue> = fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: JsonValue = 'bottom';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

const hostileValue: fc.Arbitrary<JsonValue> = fc.oneof(
  hostileString,
  fc.constantFrom<JsonValue>(-0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, -1, true, false, null, [], {}),
  deepNesting,
  fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonValue>,
);

/** Lone surrogates cannot be percent-encoded into a path; they still reach bodies and headers. */
function encodable(s: string): boolean {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

/** A value of a JSON type the contract certainly does not expect for `current`. */
function wrongTypeFor(current: JsonValue | undefined): fc.Arbitrary<JsonValue> {
  if (Array.isArray(current)) return fc.oneof(hostileString, fc.constant<JsonValue>({ length: 1 }));
  if (current !== null && typeof current === 'object') return fc.oneof(hostileString, fc.constant<JsonValue>([current]));
  return fc.oneof(fc.constant<JsonValue>({ value: current ?? null }), fc.constant<JsonValue>([current ?? null]), deepNesting.filter((v) => typeof v === 'object'));
}

/** How a request is made invalid; the rest of it still carries hostile content. */
type Breakage =
  | { kind: 'extraKey'; key: string; value: JsonValue }
  | { kind: 'wrongType'; field: string; value: JsonValue }
  | { kind: 'notAnObject'; body: JsonValue }
  | { kind: 'rawJson'; text: string }
  | { kind: 'badPathParam'; param: string; value: string }
  | { kind: 'forgedCsrf'; token: string }
  | { kind: 'noCredentials' }
  | { kind: 'wrongContentType'; contentType: string; text: string }
  | { kind: 'malformedIfMatch'; value: string };

interface FuzzCase {
  breakage: Breakage;
  /** Hostile values written over fields of the valid body (never enough on their own to be refused). */
  noise: [string, JsonValue][];
}

describe('input fuzzing of every write route', () => {
  let t: TestApp;
  let a: TenantWorld;
  let b: TenantWorld;
  let requests = 0;
  const perRoute: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestApp();
    a = await buildTenantWorld(t, 'Alpha');
    b = await buildTenantWorld(t, 'Bravo');
  });
  afterAll(async () => {
    console.log(`input fuzzing: ${Object.keys(perRoute).length} write routes × ${RUNS} runs = ${requests} requests`);
    await t.close();
  });

  const writeRoutes = () =>
    registeredRoutes(t.app).filter(
      (r) =>
        ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) &&
        r.url.startsWith('/api/') &&
        r.url !== '/api/v1/auth/sign-out',
    );

  const validParams = (w: TenantWorld): Record<string, string> => ({
    orgId: w.orgId,
    id: w.assessmentId,
    questionId: w.answeredQuestionId,
    evidenceId: w.evidenceId,
    userId: w.assessor.me.user.id,
    invitationId: w.invitationId,
    tokenId: w.tokenId,
    token: 'hoh_inv_not-a-real-token',
  });
  // `:id` means the action or evidence on those routes, the assessment elsewhere.
  const idFor = (url: string, w: TenantWorld) => (url.includes('/actions/:id') ? w.actionId : url.includes('/evidence/:id') ? w.evidenceId : w.assessmentId);

  function fillPath(url: string, override?: { param: string; value: string }): string {
    return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
      if (override?.param === name) return encodeURIComponent(override.value);
      return name === 'id' ? idFor(url, a) : validParams(a)[name]!;
    });
  }

  function arbitraryCase(method: string, url: string, spec: RouteSpec, base: JsonObject | null): fc.Arbitrary<FuzzCase> {
    const params = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
    const fields = Object.keys(base ?? {});
    // Ids that must never resolve here: another organisation's real objects, random UUIDs, and junk.
    const foreignIds = [b.orgId, b.assessmentId, b.actionId, b.evidenceId, b.uploadedEvidenceId, b.assessor.me.user.id, b.owner.me.user.id, b.invitationId, b.tokenId];
    const badId = fc.oneof(fc.constantFrom(...foreignIds), fc.uuid().filter((u) => !Object.values(validParams(a)).includes(u)), hostileString.filter((s) => s !== '.' && s !== '..' && encodable(s)));
    const breakages: fc.Arbitrary<Breakage>[] = [];
    if (params.length > 0) breakages.push(fc.record({ kind: fc.constant('badPathParam' as const), param: fc.constantFrom(...params), value: badId }));
    if (!spec.public) {
      breakages.push(fc.record({ kind: fc.constant('forgedCsrf' as const), token: fc.oneof(hostileString, fc.constant('')) }));
      breakages.push(fc.constant<Breakage>({ kind: 'noCredentials' }));
    }
    breakages.push(
      fc.record({
        kind: fc.constant('wrongContentType' as const),
        // Anything but JSON (and multipart, which only the evidence route reads) is refused.
        contentType: fc.constantFrom('application/xml', 'text/html', 'text/plain', 'application/x-www-form-urlencoded', 'image/png', 'application/octet-stream', 'application/json-patch+json'),
        text: fc.oneof(hostileString, fc.constant(JSON.stringify(base ?? {}))),
      }),
    );
    if (method === 'PUT' && url.endsWith('/answers/:questionId')) breakages.push(fc.record({ kind: fc.constant('malformedIfMatch' as const), value: fc.oneof(fc.constantFrom('*', '1', '"-1"', '"1e3"', 'W/', '"9999999999"', '"1", "2"'), hostileString) }));
    if (method === 'PATCH' && url.endsWith('/actions/:id')) breakages.push(fc.record({ kind: fc.constant('malformedIfMatch' as const), value: fc.constantFrom('*', '1', '"-1"', '"abc"', '"9999999999"') }));
    if (base !== null) {
      breakages.push(fc.record({ kind: fc.constant('extraKey' as const), key: fc.constantFrom(...FORBIDDEN_KEYS), value: hostileValue }));
      breakages.push(fc.record({ kind: fc.constant('notAnObject' as const), body: fc.oneof(hostileString, fc.constantFrom<JsonValue>(null, 0, true, [], [base]), deepNesting.filter(Array.isArray)) }));
      breakages.push(
        fc.constantFrom(
          `{"__proto__": {"isAdmin": true}, ${JSON.stringify(base).slice(1)}`,
          `{"constructor": {"prototype": {"isAdmin": true}}, ${JSON.stringify(base).slice(1)}`,
          `${JSON.stringify(base).slice(0, -1)}`,
          `${JSON.stringify(base)}${JSON.stringify(base)}`,
        ).map((text): Breakage => ({ kind: 'rawJson', text })),
      );
      if (fields.length > 0) breakages.push(fc.constantFrom(...fields).chain((field) => wrongTypeFor(base[field]).map((value): Breakage => ({ kind: 'wrongType', field, value }))));
    }
    const noise = base !== null && fields.length > 0 ? fc.array(fc.tuple(fc.constantFrom(...fields), fc.oneof(hostileString, hostileValue)), { maxLength: 2 }) : fc.constant<[string, JsonValue][]>([]);
    return fc.record({ breakage: fc.oneof(...breakages), noise });
  }

  async function send(method: string, url: string, spec: RouteSpec, base: JsonObject | null, c: FuzzCase) {
    const br = c.breakage;
    const path = fillPath(url, br.kind === 'badPathParam' ? br : undefined);
    const body: JsonValue | undefined = base === null ? undefined : { ...base };
    for (const [field, value] of c.noise) if (body && typeof body === 'object' && !Array.isArray(body)) body[field] = value;
    let req = t.http()[method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](path);
    if (!spec.public && br.kind !== 'noCredentials') req = req.set('Cookie', a.owner.cookie).set('X-CSRF-Token', br.kind === 'forgedCsrf' ? br.token.replace(/[^\t\x20-\x7e]/g, '?') : a.owner.csrf);
    // The answered question is at version 1: send its real ETag unless the case breaks it.
    if (url.endsWith('/answers/:questionId')) req = req.set('If-Match', br.kind === 'malformedIfMatch' ? br.value.replace(/[^\t\x20-\x7e]/g, '?') : '"1"');
    if (url.endsWith('/actions/:id') && br.kind === 'malformedIfMatch') req = req.set('If-Match', br.value);
    switch (br.kind) {
      case 'extraKey':
        // JSON text, so "__proto__" is an own key on the wire rather than a prototype here.
        return req.set('Content-Type', 'application/json').send(`${JSON.stringify(body).slice(0, -1)}${Object.keys(body as object).length ? ',' : ''}${JSON.stringify(br.key)}:${JSON.stringify(br.value)}}`);
      case 'wrongType':
        return req.send({ ...(body as JsonObject), [br.field]: br.value });
      case 'notAnObject':
        return req.set('Content-Type', 'application/json').send(JSON.stringify(br.body));
      case 'rawJson':
        return req.set('Content-Type', 'application/json').send(br.text);
      case 'wrongContentType':
        return req.set('Content-Type', br.contentType).send(br.text === '' ? 'x' : br.text);
      case 'badPathParam':
      case 'forgedCsrf':
      case 'noCredentials':
      case 'malformedIfMatch':
        // Broken outside the body: send the (noisy) body as a client would.
        return body === undefined ? req : req.send(body);
    }
  }

  it('covers every write route with a fuzz specification', () => {
    const missing = writeRoutes()
      .map((r) => `${r.method} ${r.url}`)
      .filter((k) => !SPECS[k]);
    expect(missing).toEqual([]);
  });

  // Beside the random cases below, every time. Those found a NUL byte in a question id reaching
  // PostgreSQL, which refuses it with an error of its own (a 500; seed -1423856414): a question id no
  // bank could hold must be "no such question", 404, before any SQL.
  it('answers a hostile value in any path parameter of any route, read or write, with a 4xx (404 for a question id) and changes no business data', async () => {
    const routes = registeredRoutes(t.app).filter((r) => r.url.startsWith('/api/') && r.url.includes('/:'));
    expect(routes.filter((r) => r.url.includes('/:questionId')).length).toBeGreaterThanOrEqual(5);
    const before = await businessDataHash(t);
    const failures: string[] = [];
    for (const route of routes)
      for (const [, param] of route.url.matchAll(/:([A-Za-z]+)/g))
        for (const value of INJECTIONS.filter((v) => v !== '.' && v !== '..' && encodable(v))) {
          const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
          const spec = SPECS[`${route.method} ${route.url}`];
          let req = t.http()[method](fillPath(route.url, { param: param!, value })).set('Cookie', a.owner.cookie).set('X-CSRF-Token', a.owner.csrf);
          if (route.url.endsWith('/answers/:questionId') || route.url.endsWith('/actions/:id')) req = req.set('If-Match', '"1"');
          const body = spec?.body(a);
          const res = await (body ? req.send(body) : req);
          const refused = param === 'questionId' ? res.status === 404 : res.status >= 400 && res.status < 500;
          if (!refused) failures.push(`${route.method} ${route.url} :${param} = ${JSON.stringify(value)} → ${res.status} ${(res.text ?? '').slice(0, 160)}`);
        }
    expect(failures).toEqual([]);
    const after = await businessDataHash(t);
    expect(Object.keys(before).filter((table) => before[table] !== after[table])).toEqual([]);
  });

  it('answers every hostile write with a 4xx error envelope and changes no business data', async () => {
    const failures: string[] = [];
    for (const route of writeRoutes()) {
      const key = `${route.method} ${route.url}`;
      const spec = SPECS[key];
      if (!spec) continue;
      const base = spec.body(a);
      const before = await businessDataHash(t);
      let count = 0;
      const result = await fc.check(
        fc.asyncProperty(arbitraryCase(route.method, route.url, spec, base), async (c) => {
          const res = await send(route.method, route.url, spec, base, c);
          count += 1;
          const envelope = res.body as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
          const leaks = /QueryFailedError|node_modules|\.ts:\d+|at [A-Za-z.]+ \(|SELECT .* FROM/.test(res.text ?? '');
          const ok =
            res.status >= 400 &&
            res.status < 500 &&
            typeof envelope.error?.code === 'string' &&
            typeof envelope.error.message === 'string' &&
            typeof envelope.error.requestId === 'string' &&
            /^application\/json/.test(String(res.headers['content-type'])) &&
            !leaks;
          if (!ok) throw new Error(`${key} [${JSON.stringify(c.breakage).slice(0, 160)}] → ${res.status} ${(res.text ?? '').slice(0, 300)}`);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      requests += count;
      perRoute[key] = count;
      if (result.failed) failures.push(`${key}: ${String(result.errorInstance instanceof Error ? result.errorInstance.message : result.errorInstance)} (seed ${result.seed}, path ${result.counterexamplePath ?? ''})`);
      const after = await businessDataHash(t);
      const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
      if (changed.length > 0) failures.push(`${key}: business data changed in ${changed.join(', ')}`);
    }
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(failures).toEqual([]);
  }, 600_000);
});
