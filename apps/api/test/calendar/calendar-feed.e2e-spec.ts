import { randomUUID } from 'node:crypto';

import ICAL from 'ical.js';

import type { CalendarFeed, CalendarFeedCreated } from '@hoh/contracts';
import { getCurrentFramework } from '@hoh/question-bank';

import { redactPath } from '../../src/app.setup.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

const DAY = 86_400_000;
const PUBLIC_URL = 'https://hoh.example.org/board';

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  allDay: boolean;
  end: string;
  url: string | null;
  description: string;
}

/** The feed read back by ical.js, an iCalendar parser independent of the generator the API uses. */
function parseFeed(text: string): { name: string | null; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v);
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toString(),
      allDay: event.startDate.isDate,
      end: event.endDate.toString(),
      url: (v.getFirstPropertyValue('url') as string | null) ?? null,
      description: event.description,
    };
  });
  return { name: (calendar.getFirstPropertyValue('x-wr-calname') as string | null) ?? null, events };
}

describe('calendar feed (docs/PRODUCT.md §14, docs/API.md calendar feed)', () => {
  const clock = new TestClock();
  let t: TestApp;
  let owner: SignedInUser;
  let contributor: SignedInUser;
  let org: string;
  let other: SignedInUser;
  let otherOrg: string;

  const pathOf = (created: CalendarFeedCreated) => {
    expect(created.url.startsWith(`${PUBLIC_URL}/api/v1/calendar/hoh_cal_`)).toBe(true);
    return created.url.slice(PUBLIC_URL.length);
  };
  const makeFeed = async (user: SignedInUser, orgId: string) => {
    const res = await as(t, user).post(`/api/v1/orgs/${orgId}/calendar-feed`).expect(201);
    return res.body as CalendarFeedCreated;
  };
  const fetchFeed = async (path: string) => {
    const res = await t.http().get(path).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    return parseFeed(res.text);
  };
  const dateIn = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString().slice(0, 10);
  const insertAction = async (orgId: string, title: string, ownerId: string | null, dueInDays: number | null, status = 'open') => {
    const id = randomUUID();
    const creator = orgId === org ? owner.me.user.id : other.me.user.id;
    await t.ownerQuery(
      `INSERT INTO actions (organisation_id, id, title, owner_id, due_date, status, created_by, bank_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [orgId, id, title, ownerId, dueInDays === null ? null : dateIn(dueInDays), status, creator, getCurrentFramework().version],
    );
    return id;
  };
  const insertEvidence = async (orgId: string, title: string, uploadedBy: string, expiresAt: string | null, issuedAt: string, status = 'accepted') => {
    const id = randomUUID();
    await t.ownerQuery(
      `INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, expires_at, status, uploaded_by)
       VALUES ($1, $2, $3, 'policy', 'external', 'DMS-7', $4, $5, $6, $7)`,
      [orgId, id, title, issuedAt, expiresAt, status, uploadedBy],
    );
    return id;
  };
  const insertSigned = async (orgId: string, signedAt: string, by: string) => {
    const framework = getCurrentFramework();
    await t.ownerQuery(
      `INSERT INTO assessments (organisation_id, id, title, framework_id, framework_version, created_by, status, signed_at)
       VALUES ($1, $2, 'Annual review', $3, $4, $5, 'signed', $6)`,
      [orgId, randomUUID(), framework.id, framework.version, by, signedAt],
    );
  };

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL }, { clock });
    owner = await signUp(t);
    org = orgOf(owner);
    contributor = await addMember(t, org, 'contributor');
    other = await signUp(t);
    otherOrg = orgOf(other);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves open action due dates, evidence expiries and the annual review as all-day events with stable UIDs and links from PUBLIC_URL, to a calendar app without a cookie', async () => {
    const ownersAction = await insertAction(org, 'Turn on hash matching, everywhere; today', owner.me.user.id, 10);
    const contributorsAction = await insertAction(org, 'Train moderators', contributor.me.user.id, 3, 'in_progress');
    await insertAction(org, 'Already done', owner.me.user.id, 5, 'done');
    await insertAction(org, 'No date yet', owner.me.user.id, null);
    const policy = await insertEvidence(org, 'Hash-matching policy', contributor.me.user.id, '2026-03-31T12:00:00Z', '2025-04-01T00:00:00Z');
    // No explicit expiry: issue + 12 calendar months (§4.2).
    const audit = await insertEvidence(org, 'External audit', owner.me.user.id, null, new Date(Date.parse(dateIn(-30)) + 9 * 3_600_000).toISOString());
    // Expired over a year ago: history that old is left out.
    await insertEvidence(org, 'Ancient policy', owner.me.user.id, new Date(clock.now().getTime() - 400 * DAY).toISOString(), '2020-01-01T00:00:00Z');
    await insertEvidence(org, 'Rejected upload', owner.me.user.id, '2026-05-01T00:00:00Z', '2025-05-01T00:00:00Z', 'rejected');
    await insertSigned(org, '2025-02-01T10:00:00Z', owner.me.user.id);
    await insertSigned(org, '2025-06-10T23:30:00Z', owner.me.user.id);

    const created = await makeFeed(owner, org);
    expect(created.replacedPrevious).toBe(false);
    const status = await as(t, owner).get(`/api/v1/orgs/${org}/calendar-feed`).expect(200);
    expect(status.body as CalendarFeed).toEqual({ active: true, createdAt: created.createdAt });

    const feed = await fetchFeed(pathOf(created));
    const orgName = owner.me.memberships[0]!.organisationName;
    expect(feed.name).toBe(`Hand on Heart: ${orgName}`);
    const bySummary = Object.fromEntries(feed.events.map((e) => [e.summary, e]));
    expect(Object.keys(bySummary).sort()).toEqual(
      [
        `Action A-001 due: Turn on hash matching, everywhere; today`,
        'Action A-002 due: Train moderators',
        'Evidence expires: Hash-matching policy',
        'Evidence expires: External audit',
        `Annual review due: ${orgName}`,
      ].sort(),
    );
    for (const event of feed.events) {
      expect(event.allDay).toBe(true);
      expect(event.uid).toMatch(/^[0-9a-f]{32}@hoh\.example\.org$/);
    }
    const action = bySummary['Action A-001 due: Turn on hash matching, everywhere; today']!;
    expect(action).toMatchObject({ start: dateIn(10), end: new Date(Date.parse(dateIn(10)) + DAY).toISOString().slice(0, 10), url: `${PUBLIC_URL}/remediation?action=${ownersAction}` });
    expect(action.description).toContain('(status: open)');
    expect(bySummary['Action A-002 due: Train moderators']).toMatchObject({ url: `${PUBLIC_URL}/remediation?action=${contributorsAction}` });
    expect(bySummary['Evidence expires: Hash-matching policy']).toMatchObject({ start: '2026-03-31', url: `${PUBLIC_URL}/evidence?evidence=${policy}` });
    const issued = dateIn(-30);
    const expected = `${String(Number(issued.slice(0, 4)) + 1)}${issued.slice(4)}`;
    expect(bySummary['Evidence expires: External audit']).toMatchObject({ start: expected === `${expected.slice(0, 4)}-02-29` ? `${expected.slice(0, 4)}-03-01` : expected, url: `${PUBLIC_URL}/evidence?evidence=${audit}` });
    const review = bySummary[`Annual review due: ${orgName}`]!;
    expect(review).toMatchObject({ start: '2026-06-10', url: `${PUBLIC_URL}/` });
    expect(review.description).toContain('(2025-06-10)');

    // Fetched again after a due date moved: the same UIDs, so calendar apps update the event in place.
    await t.ownerQuery(`UPDATE actions SET due_date = due_date + 7 WHERE organisation_id = $1 AND id = $2`, [org, ownersAction]);
    const again = await fetchFeed(pathOf(created));
    expect(again.events.map((e) => e.uid).sort()).toEqual(feed.events.map((e) => e.uid).sort());
    expect(again.events.find((e) => e.uid === action.uid)!.start).toBe(dateIn(17));
  });

  it('gives contributors the actions they own and the evidence they added, and everyone the review date', async () => {
    const feed = await fetchFeed(pathOf(await makeFeed(contributor, org)));
    const orgName = owner.me.memberships[0]!.organisationName;
    expect(feed.events.map((e) => e.summary).sort()).toEqual(
      ['Action A-002 due: Train moderators', 'Evidence expires: Hash-matching policy', `Annual review due: ${orgName}`].sort(),
    );
  });

  it("never shows another organisation's items: each token reads only its own organisation, even for a member of both", async () => {
    await insertAction(otherOrg, 'Other org action', other.me.user.id, 4);
    // The other organisation's owner also joins the first one: their feeds there and here stay apart.
    await t.ownerQuery(`INSERT INTO memberships (organisation_id, user_id, role, accountable_individual) VALUES ($1, $2, 'assessor', false)`, [
      org,
      other.me.user.id,
    ]);
    const own = await fetchFeed(pathOf(await makeFeed(other, otherOrg)));
    expect(own.events.map((e) => e.summary)).toEqual(['Action A-001 due: Other org action']);
    const inFirst = await fetchFeed(pathOf(await makeFeed(other, org)));
    expect(inFirst.events.map((e) => e.summary)).not.toContain('Action A-001 due: Other org action');
    expect(inFirst.events.map((e) => e.summary)).toContain('Action A-002 due: Train moderators');
    // Same item kinds in two organisations never share a UID.
    expect(own.events.map((e) => e.uid)).not.toEqual(expect.arrayContaining(inFirst.events.map((e) => e.uid)));
    // The rows themselves are confined by row-level security: hoh_app in the other tenant sees none of the first's feeds.
    expect(await t.appQueryAs(otherOrg, 'SELECT organisation_id FROM calendar_feeds')).toEqual([{ organisation_id: otherOrg }]);
  });

  it('rotating replaces the address (the old one answers 404), and revoking ends it; unknown and malformed addresses answer 404', async () => {
    const first = await makeFeed(owner, org);
    const second = await makeFeed(owner, org);
    expect(second.replacedPrevious).toBe(true);
    const gone = await t.http().get(pathOf(first)).expect(404);
    expect(gone.body.error.code).toBe('NOT_FOUND');
    expect(gone.body.error.message).toContain('Settings → Calendar');
    await fetchFeed(pathOf(second));

    await as(t, owner).delete(`/api/v1/orgs/${org}/calendar-feed`).expect(204);
    await t.http().get(pathOf(second)).expect(404);
    expect((await as(t, owner).get(`/api/v1/orgs/${org}/calendar-feed`).expect(200)).body).toEqual({ active: false, createdAt: null });
    await as(t, owner).delete(`/api/v1/orgs/${org}/calendar-feed`).expect(204);

    for (const bad of ['/api/v1/calendar/hoh_cal_' + 'A'.repeat(43) + '.ics', '/api/v1/calendar/nonsense.ics', pathOf(second).replace('.ics', ''), '/api/v1/calendar/%00']) {
      const res = await t.http().get(bad);
      expect(res.status).toBe(404);
    }
    const actions = await t.ownerQuery<{ action: string }>(`SELECT action FROM audit_log WHERE organisation_id = $1 AND action LIKE 'calendar_feed.%' AND actor_id = $2 ORDER BY seq`, [
      org,
      owner.me.user.id,
    ]);
    expect(actions.map((a) => a.action)).toEqual(['calendar_feed.created', 'calendar_feed.rotated', 'calendar_feed.rotated', 'calendar_feed.revoked']);
  });

  it("stops a removed member's address at once, and never logs the token", async () => {
    const created = await makeFeed(contributor, org);
    await fetchFeed(pathOf(created));
    await as(t, owner).delete(`/api/v1/orgs/${org}/members/${contributor.me.user.id}`).expect(204);
    await t.http().get(pathOf(created)).expect(404);
    expect(redactPath(pathOf(created))).toBe('/api/v1/calendar/:token');
  });

  it('refuses a body on create and a bearer API token making an address', async () => {
    await as(t, owner).post(`/api/v1/orgs/${org}/calendar-feed`).send({ url: 'x' }).expect(400);
    const token = await as(t, owner).post('/api/v1/auth/tokens').send({ name: 'ci', scope: 'read_write' }).expect(201);
    const res = await t.http().post(`/api/v1/orgs/${org}/calendar-feed`).set('Authorization', `Bearer ${token.body.token as string}`).expect(403);
    expect(res.body.error.message).toContain('Sign in to the web app');
  });
});
