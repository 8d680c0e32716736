import { registeredRoutes } from '../../src/app.setup.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The isolation matrix (issue 8 §1): every live route × every role of organisation A, with the ids
 * of real objects organisation B owns, must never answer with B's data; without credentials every
 * non-public route answers 401. A route whose parameters the matrix cannot fill fails the test.
 */
const PUBLIC = new Set([
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/openapi.json',
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/auth/sign-up',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
  // The second step of a sign-in: the challenge the right password answered is the credential (docs/PRODUCT.md §2.7).
  'POST /api/v1/auth/sign-in/second-factor',
  'POST /api/v1/auth/sign-in/passkey-options',
  // The mailed confirmation link's token is the credential (docs/PRODUCT.md §2.5).
  'POST /api/v1/auth/email-verification/confirm',
  'POST /api/v1/invitations/:token/accept',
  'POST /api/v1/reports/verify',
  'GET /api/v1/reports/public-key',
  // The drill library's first-hour steps, for the public found-suspected-material page (docs/PRODUCT.md §15.7).
  'GET /api/v1/drills/first-hour',
  // A calendar app sends no cookie: the token in the path is the credential, and an unknown one is
  // 404 whichever organisation it guesses (calendar-feed.e2e-spec.ts checks the feed across tenants).
  'GET /api/v1/calendar/:token.ics',
  // Single sign-on starts from an email address and comes back from the provider with no session yet.
  'POST /api/v1/auth/sso/start',
  'GET /api/v1/auth/sso/callback',
]);
const ROLES = ['owner', 'assessor', 'contributor', 'auditor'] as const;

interface Ids {
  org: string;
  assessment: string;
  action: string;
  evidence: string;
  member: string;
  invitation: string;
  token: string;
  report: string | null;
  notification: string;
  session: string;
  drill: string;
  group: string;
}

describe('tenant isolation matrix', () => {
  let t: TestApp;
  const a: Partial<Record<(typeof ROLES)[number], SignedInUser>> = {};
  let b: SignedInUser;
  let bIds: Ids;
  let bPasskey = '';

  beforeAll(async () => {
    t = await startTestApp();
    a.owner = await signUp(t);
    const orgA = orgOf(a.owner);
    for (const role of ['assessor', 'contributor', 'auditor'] as const) a[role] = await addMember(t, orgA, role);
    await as(t, a.owner).put(`/api/v1/orgs/${orgA}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    await as(t, a.owner).post(`/api/v1/orgs/${orgA}/assessments`).send({}).expect(201);

    b = await signUp(t);
    const org = orgOf(b);
    const bMember = await addMember(t, org, 'assessor');
    const base = `/api/v1/orgs/${org}`;
    await as(t, b).put(`${base}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const assessment = (await as(t, b).post(`${base}/assessments`).send({}).expect(201)).body.id as string;
    await as(t, b).put(`${base}/assessments/${assessment}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    const evidence = (
      await as(t, b).post(`${base}/evidence`).send({ title: 'B policy', kind: 'policy', externalRef: 'https://b.example/policy', issuedAt: '2026-01-01T00:00:00Z' }).expect(201)
    ).body.id as string;
    await as(t, b).put(`${base}/assessments/${assessment}/answers/GOV-01/evidence/${evidence}`).expect((r) => expect([200, 204]).toContain(r.status));
    const action = (await as(t, b).post(`${base}/actions`).send({ title: 'B action', questionIds: ['GOV-01'] }).expect(201)).body.id as string;
    const invitation = (await as(t, b).post(`${base}/invitations`).send({ email: 'new.person@b.example', role: 'contributor' }).expect(201)).body;
    const token = (await as(t, b).post('/api/v1/auth/tokens').send({ name: 'B automation', scope: 'read' }).expect(201)).body;
    const report = await as(t, b).post(`${base}/assessments/${assessment}/reports`).send({});
    const drill = (await as(t, b).post(`${base}/drills`).send({ scenarioId: 'platform-hash-match', participants: [{ userId: bMember.me.user.id, roleId: 'legal' }] }).expect(201)).body.id as string;
    // B's owner runs a group that B's organisation belongs to (docs/PRODUCT.md §16).
    const group = (await as(t, b).post('/api/v1/groups').send({ name: 'B group' }).expect(201)).body.id as string;
    await as(t, b).post(`/api/v1/groups/${group}/invitations`).send({ organisationId: org }).expect(201);
    await as(t, b).post(`${base}/groups/${group}/accept`).expect(200);
    // …and grants it full read, so the group's read routes of B hold B's answers, evidence and report.
    await as(t, b).put(`${base}/groups/${group}/full-read`).expect(200);
    // B takes part in the peer benchmark, so its contribution exists to be refused.
    await as(t, b).put(`${base}/peers/settings`).send({ optIn: true }).expect(200);
    // B's owner has a passkey (per person, not per organisation: its routes are /auth/passkeys/:passkeyId).
    const [passkey] = await t.ownerQuery<{ id: string }>(`INSERT INTO passkeys (user_id, credential_id, public_key, name) VALUES ($1, 'b-credential', '\\x00', 'B passkey') RETURNING id`, [b.me.user.id]);
    bPasskey = passkey!.id;
    const [bSession] = await t.ownerQuery<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1 LIMIT 1', [b.me.user.id]);
    // Notifications are written by the scheduled reminder scan, not by a route.
    const [notification] = await t.ownerQuery<{ id: string }>(
      `INSERT INTO notifications (organisation_id, user_id, kind, entity_type, entity_id, title, body, link, created_at) VALUES ($1, $2, 'action_7d', 'action', $3, 'B action due', 'B action', '/remediation', now()) RETURNING id`,
      [org, b.me.user.id, action],
    );
    bIds = {
      org,
      assessment,
      action,
      evidence,
      member: bMember.me.user.id,
      invitation: (invitation.invitation?.id ?? invitation.id) as string,
      token: (token.id ?? token.token?.id) as string,
      report: report.status === 202 ? (report.body.id as string) : null,
      notification: notification!.id,
      session: bSession!.id,
      drill,
      group,
    };
  });
  afterAll(async () => {
    await t.close();
  });

  /** Fills a route's parameters with organisation B's objects; undefined = the matrix has no entry. */
  function fill(url: string, orgId: string): string | undefined {
    const parts = url.split('/');
    const out: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (!p.startsWith(':')) {
        out.push(p);
        continue;
      }
      if (p === ':sessionId' || p === ':passkeyId') {
        out.push(p === ':sessionId' ? bIds.session : bPasskey);
        continue;
      }
      if (p === ':groupId' || p === ':organisationId') {
        out.push(p === ':groupId' ? bIds.group : bIds.org);
        continue;
      }
      const before = parts[i - 1];
      const value =
        p === ':orgId'
          ? orgId
          : p === ':questionId'
            ? 'GOV-01'
            : p === ':evidenceId'
              ? bIds.evidence
              : p === ':userId'
                ? bIds.member
                : p === ':invitationId'
                  ? bIds.invitation
                  : p === ':tokenId'
                    ? bIds.token
                    : p === ':reportId'
                      ? (bIds.report ?? '00000000-0000-4000-8000-000000000000')
                      : p === ':id' && before === 'assessments'
                        ? bIds.assessment
                        : p === ':id' && before === 'actions'
                          ? bIds.action
                          : p === ':id' && before === 'evidence'
                            ? bIds.evidence
                            : p === ':id' && before === 'notifications'
                              ? bIds.notification
                              : p === ':id' && before === 'drills'
                                ? bIds.drill
                                : undefined;
      if (value === undefined) return undefined;
      out.push(value);
    }
    return out.join('/');
  }

  const routes = () =>
    registeredRoutes(t.app).filter((r) => r.method !== 'HEAD' && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && !r.url.includes('/frameworks/'));

  function send(user: SignedInUser | null, method: string, url: string) {
    const req = t.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
    if (user) void req.set('Cookie', user.cookie).set('X-CSRF-Token', user.csrf);
    return method === 'GET' || method === 'DELETE' ? req : req.send({});
  }

  const bSecrets = () => [bIds.org, bIds.assessment, bIds.action, bIds.evidence, bIds.invitation, bIds.token, bIds.notification, bIds.session, bIds.drill, bIds.group, 'B group', ...(bIds.report ? [bIds.report] : []), 'B policy', 'B action', 'B passkey', bPasskey];

  it('answers 401 without credentials on every non-public route', async () => {
    let cases = 0;
    const failures: string[] = [];
    for (const r of routes()) {
      if (PUBLIC.has(`${r.method} ${r.url}`) || r.url.startsWith('/api/v1/invitations/')) continue;
      const url = fill(r.url, bIds.org) ?? r.url;
      const res = await send(null, r.method, url);
      cases += 1;
      if (res.status !== 401) failures.push(`${r.method} ${r.url} → ${res.status}`);
    }
    console.log(`isolation matrix: ${cases} route cases without credentials`);
    expect(failures).toEqual([]);
  });

  it('never shows organisation B’s data to any role of organisation A, whatever id is used', async () => {
    let cases = 0;
    const failures: string[] = [];
    const unfilled: string[] = [];
    for (const r of routes()) {
      if (PUBLIC.has(`${r.method} ${r.url}`) || r.url.startsWith('/api/v1/invitations/')) continue;
      const orgScoped = r.url.includes('/orgs/:orgId');
      const hasObject = /:(id|evidenceId|userId|invitationId|tokenId|reportId|groupId|passkeyId)\b/.test(r.url);
      // Signing out ends the very session the matrix uses; user-scoped routes without an id hold nothing of B's.
      if (r.url === '/api/v1/auth/sign-out' || (!orgScoped && !hasObject)) continue;
      const targets = orgScoped ? [bIds.org, orgOf(a.owner!)] : [''];
      for (const role of ROLES) {
        for (const org of targets) {
          const url = fill(r.url, org);
          if (url === undefined) {
            unfilled.push(`${r.method} ${r.url}`);
            continue;
          }
          if (org !== bIds.org && !hasObject && orgScoped) continue; // A's own data through A's own org: nothing of B's to leak
          const res = await send(a[role]!, r.method, url);
          cases += 1;
          const body = JSON.stringify(res.body ?? '') + (res.text ?? '');
          const leaked = bSecrets().find((s) => body.includes(s));
          const expected = org === bIds.org ? res.status === 404 : [400, 403, 404, 409].includes(res.status);
          if (!expected || leaked) failures.push(`${role} ${r.method} ${url} → ${res.status}${leaked ? ` (leaked ${leaked})` : ''}`);
        }
      }
    }
    console.log(`isolation matrix: ${cases} route × role cases with organisation B's ids`);
    expect([...new Set(unfilled)]).toEqual([]);
    expect(failures).toEqual([]);
  });
});
