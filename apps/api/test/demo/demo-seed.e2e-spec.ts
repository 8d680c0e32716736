import { DashboardResponseSchema, type MeResponse } from '@hoh/contracts';

import { DemoSeeder } from '../../src/modules/demo/demo-seeder.js';
import { sessionCookieFrom } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the demo seeded on an empty database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DEMO_SEED: 'true' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in with the printed demo login and shows a realistic, half-finished review with actions and an intact audit chain', async () => {
    const res = await t.http().post('/api/v1/auth/sign-in').send({ email: 'demo@handonheart.example', password: 'hand-on-heart-demo' }).expect(200);
    const me = res.body as MeResponse;
    const cookie = sessionCookieFrom(res.headers['set-cookie']);
    const org = me.memberships[0]!.organisationId;
    const d = DashboardResponseSchema.parse((await t.http().get(`/api/v1/orgs/${org}/dashboard`).set('Cookie', cookie).expect(200)).body);
    expect(d.profile.described).toBe(true);
    // The demo shows the current bank (hoh-csam 1.2.0), the newest published.
    expect(d.current?.assessment.framework).toMatchObject({ id: 'hoh-csam', version: '1.2.0', next: null });
    expect(d.current?.progress.answered).toBeGreaterThan(10);
    expect(d.current?.progress.answered).toBeLessThan(d.current!.progress.applicable);
    expect(d.actions.counts.open).toBeGreaterThan(5);
    const verify = await t.http().get(`/api/v1/orgs/${org}/audit-log/verify`).set('Cookie', cookie).expect(200);
    expect(verify.body).toMatchObject({ intact: true, drift: [] });
  });

  it('does not seed again when users exist', async () => {
    expect(await t.app.get(DemoSeeder).seedIfEmpty()).toBe(false);
    const rows = await t.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM organisations');
    expect(Number(rows[0]!.n)).toBe(1);
  });
});
