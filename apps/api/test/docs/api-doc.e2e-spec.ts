import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  ActionStatusSchema,
  ApiTokenScopeSchema,
  APP_ERROR_STATUS,
  AssessmentStatusSchema,
  BandSchema,
  ConfidenceLabelSchema,
  EvidenceSourceSchema,
  EvidenceStatusSchema,
  HorizonSchema,
  PrioritySchema,
  ReportStatusSchema,
  ReviewStatusSchema,
  RoleSchema,
} from '@hoh/contracts';
import { RISK_LEVELS } from '@hoh/question-bank';

import { registeredRoutes } from '../../src/app.setup.js';
import { repoRoot } from '../../src/config/repo-root.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { parseRows, REGENERATE_COMMAND, renderTable, routeRows, tableInDoc, withTable } from './route-table.js';

const API_DOC = join(repoRoot(), 'docs/API.md');

/**
 * docs/API.md §6 is generated from the code's route declarations; this keeps it that way. With
 * HOH_WRITE_API_ROUTES=1 (what `node tools/api-routes.mjs` sets) it writes the table instead of checking it.
 */
describe('docs/API.md route table', () => {
  let t: TestApp;
  let generated: string;
  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body as Parameters<typeof routeRows>[1];
    generated = renderTable(routeRows(t.app, doc));
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists exactly the live routes, each with the access its controller declares', () => {
    const markdown = readFileSync(API_DOC, 'utf8');
    if (process.env['HOH_WRITE_API_ROUTES'] === '1') {
      writeFileSync(API_DOC, withTable(markdown, generated));
      return;
    }
    const inDoc = tableInDoc(markdown);
    if (inDoc === null) throw new Error(`docs/API.md has lost its route-table markers (§6). Restore them, then run: ${REGENERATE_COMMAND}`);
    if (inDoc === generated) return;
    const want = parseRows(generated);
    const have = parseRows(inDoc);
    const problems = [
      ...[...want.keys()].filter((k) => !have.has(k)).map((k) => `  route with no row in the table: ${k}`),
      ...[...have.keys()].filter((k) => !want.has(k)).map((k) => `  row for a route that no longer exists: ${k}`),
      ...[...want].filter(([k, line]) => have.has(k) && have.get(k) !== line).map(([k, line]) => `  ${k}: the code declares\n      ${line}\n    the table says\n      ${have.get(k)}`),
    ];
    throw new Error(
      `docs/API.md §6 (route table) does not match the code's route declarations:\n${problems.length > 0 ? problems.join('\n') : '  the rows agree but the table text differs (order or formatting)'}\n` +
        `Regenerate it with: ${REGENERATE_COMMAND}   (then review and commit docs/API.md)`,
    );
  });

  it('lists every error code in docs/API.md §4.2 with the status the API answers it with, and no other code', () => {
    const table = readFileSync(API_DOC, 'utf8').split('## 4. Errors')[1]?.split('## 5.')[0] ?? '';
    const rows = [...table.matchAll(/^\| (\d{3}) \| `([A-Z_]+)` \|/gm)].map((m) => ({ status: Number(m[1]), code: m[2]! }));
    const missing = Object.entries(APP_ERROR_STATUS)
      .filter(([code, status]) => !rows.some((r) => r.code === code && r.status === status))
      .map(([code, status]) => `${status} ${code}`);
    const unknown = rows.filter((r) => !(r.code in APP_ERROR_STATUS)).map((r) => `${r.status} ${r.code}`);
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it('gives the wire vocabulary of docs/API.md §15 exactly as the contracts define each enum', () => {
    const vocabulary = readFileSync(API_DOC, 'utf8').split('## 15. Wire vocabulary')[1]?.split('## 16.')[0] ?? '';
    const documented = (name: string) => new RegExp(`${name} \u0060([a-z0-9_|]+)\u0060`).exec(vocabulary.replace(/\s+/g, ' '))?.[1]?.split('|');
    const enums: Record<string, readonly string[]> = {
      band: BandSchema.options,
      'assessment status': AssessmentStatusSchema.options,
      'review status': ReviewStatusSchema.options,
      'evidence status': EvidenceStatusSchema.options,
      'evidence source': EvidenceSourceSchema.options,
      'action status': ActionStatusSchema.options,
      priority: PrioritySchema.options,
      horizon: HorizonSchema.options,
      risk: RISK_LEVELS,
      confidence: ConfidenceLabelSchema.options,
      role: RoleSchema.options,
      'token scope': ApiTokenScopeSchema.options,
      'report status': ReportStatusSchema.options,
    };
    for (const [name, values] of Object.entries(enums)) expect({ [name]: documented(name) }).toEqual({ [name]: [...values] });
  });

  it('has a row for every route Fastify serves under /api, so no route escapes the table', () => {
    const rows = parseRows(generated);
    const served = registeredRoutes(t.app)
      // HEAD mirrors GET; /api/docs/… are Swagger UI's static files.
      .filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD' && !r.url.startsWith('/api/docs/'))
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(50);
    expect(served.filter((key) => !rows.has(key))).toEqual([]);
  });
});
