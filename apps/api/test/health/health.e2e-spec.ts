import { HealthResponseSchema } from '@hoh/contracts';

import { PRODUCTION_STATEMENT_TIMEOUT_MS, startTestApp, type TestApp } from '../support/test-app.js';

describe('GET /api/health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: PRODUCTION_STATEMENT_TIMEOUT_MS });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 200 with the facts of a request role that cannot see past row-level security', async () => {
    const res = await t.http().get('/api/health').expect(200);
    const body = HealthResponseSchema.parse(res.body);
    expect(body.db).toEqual({ role: 'hoh_app', superuser: false, bypassRls: false, ownsTables: false });
  });

  it('answers liveness without touching the database', async () => {
    const res = await t.http().get('/api/health/live').expect(200);
    expect(res.body).toEqual({ status: 'alive' });
  });

  it('echoes a plain caller request id and replaces a forged one', async () => {
    const ok = await t.http().get('/api/health').set('X-Request-Id', 'trace-123');
    expect(ok.headers['x-request-id']).toBe('trace-123');
    const forged = await t.http().get('/api/health').set('X-Request-Id', '<script>'.repeat(20));
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After while the database refuses connections, and recovers', async () => {
    await t.clusterQuery(`ALTER DATABASE "${t.db.name}" WITH ALLOW_CONNECTIONS false`);
    await t.clusterQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [t.db.name]);
    try {
      const res = await t.http().get('/api/health');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
      expect(typeof res.body.error.requestId).toBe('string');
    } finally {
      await t.clusterQuery(`ALTER DATABASE "${t.db.name}" WITH ALLOW_CONNECTIONS true`);
    }
    await t.http().get('/api/health').expect(200);
  });
});
