import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NotificationListResponse } from '@hoh/contracts';

import { buildConfig, createApp } from '../../src/bootstrap.js';
import { parseEnv } from '../../src/config/env.schema.js';
import { weekStartOf } from '../../src/modules/jobs/digest-text.js';
import { RemindersService } from '../../src/modules/jobs/reminders.service.js';
import { REMINDERS_ACTOR } from '../../src/modules/jobs/system-actor.js';
import { insertAssessment } from '../factories/evidence.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';
import { drainPgBossShutdown } from './pg-boss-drain.js';

const DAY = 86_400_000;
const dateIn = (clock: TestClock, days: number) => new Date(clock.now().getTime() + days * DAY).toISOString().slice(0, 10);

describe('evidence and action reminders (docs/PRODUCT.md §14)', () => {
  const clock = new TestClock();
  const dataDir = mkdtempSync(join(tmpdir(), 'hoh-reminders-'));
  const env = { DATA_DIR: dataDir, PUBLIC_URL: 'https://hoh.example.org/board' };
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let contributor: SignedInUser;
  let auditor: SignedInUser;
  let org: string;

  const reminders = (app = t.app) => app.get(RemindersService);
  const notificationsOf = (user: SignedInUser) =>
    t.ownerQuery<{ kind: string; entity_id: string; title: string; body: string; link: string }>(
      `SELECT kind, entity_id, title, body, link FROM notifications WHERE user_id = $1 ORDER BY created_at, kind`,
      [user.me.user.id],
    );
  const insertEvidence = async (expiresInDays: number, patch: { uploadedBy?: string; status?: string; title?: string } = {}) => {
    const id = randomUUID();
    await t.ownerQuery(
      `INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, expires_at, status, uploaded_by)
       VALUES ($1, $2, $3, 'policy', 'external', 'DMS-7', $4, $5::timestamptz + make_interval(secs => 0.000456), $6, $7)`,
      [org, id, patch.title ?? 'Hash-matching policy', new Date(clock.now().getTime() - 200 * DAY), new Date(clock.now().getTime() + expiresInDays * DAY), patch.status ?? 'accepted', patch.uploadedBy ?? contributor.me.user.id],
    );
    return id;
  };
  const insertAction = async (dueInDays: number, ownerId: string | null, title = 'Turn on hash matching') => {
    const id = randomUUID();
    await t.ownerQuery(`INSERT INTO actions (organisation_id, id, title, owner_id, due_date, created_by, bank_version) VALUES ($1, $2, $3, $4, $5, $6, '1.2.0')`, [
      org,
      id,
      title,
      ownerId,
      dateIn(clock, dueInDays),
      owner.me.user.id,
    ]);
    return id;
  };

  beforeAll(async () => {
    // Next week's Wednesday 09:00 UTC: no step below lands in the Monday digest window (§14), whatever day this runs.
    clock.advance(weekStartOf(clock.now()).getTime() + 9 * DAY + 9 * 3_600_000 - clock.now().getTime());
    t = await startTestApp(env, { clock });
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    contributor = await addMember(t, org, 'contributor');
    auditor = await addMember(t, org, 'auditor');
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
    await drainPgBossShutdown();
  });

  it('sends each evidence reminder once per threshold (30 days, 7 days, expired) to its uploader, owners and assessors, naming the answers it caps', async () => {
    const evidence = await insertEvidence(20);
    const assessment = await insertAssessment(t, org, owner.me.user.id);
    await t.ownerQuery(`INSERT INTO answers (organisation_id, assessment_id, question_id, value, author_id) VALUES ($1, $2, $3, '3', $4)`, [
      org,
      assessment.id,
      assessment.questionId,
      owner.me.user.id,
    ]);
    await t.ownerQuery(`INSERT INTO answer_evidence (organisation_id, assessment_id, question_id, evidence_id, linked_by) VALUES ($1, $2, $3, $4, $5)`, [
      org,
      assessment.id,
      assessment.questionId,
      evidence,
      owner.me.user.id,
    ]);

    const first = await reminders().scan();
    expect(first.sent).toBe(1);
    for (const member of [owner, assessor, contributor]) {
      const [n] = await notificationsOf(member);
      expect(n).toMatchObject({ kind: 'evidence_30d', entity_id: evidence, link: `/evidence?evidence=${evidence}` });
      expect(n!.title).toBe('Evidence expires in 20 days: Hash-matching policy');
      expect(n!.body).toContain(`${assessment.questionId} in "Annual review" (claimed 3, capped at 2)`);
    }
    expect(await notificationsOf(auditor)).toEqual([]);

    // The same day again, and a day later: still inside the 30-day window, nothing new, and the
    // scan no longer lists it (the key holds the expiry to the microsecond, as PostgreSQL does).
    expect(await reminders().scan()).toMatchObject({ due: 0, sent: 0 });
    clock.advance(DAY);
    expect((await reminders().scan()).sent).toBe(0);

    clock.advance(13 * DAY); // 6 days left
    expect((await reminders().scan()).sent).toBe(1);
    clock.advance(7 * DAY); // expired a day ago
    expect((await reminders().scan()).sent).toBe(1);
    expect((await reminders().scan()).sent).toBe(0);
    expect((await notificationsOf(contributor)).map((n) => n.kind)).toEqual(['evidence_30d', 'evidence_7d', 'evidence_expired']);
    expect((await notificationsOf(contributor))[2]!.body).toContain('Its expiry caps 1 answer');

    // Recorded in the audit log as the named system actor, one entry per reminder.
    const audit = await t.ownerQuery<{ actor_id: string; data: { systemActor: string; threshold: string; recipients: string[] } }>(
      `SELECT actor_id, data FROM audit_log WHERE organisation_id = $1 AND action = 'reminder.sent' AND entity_id = $2 ORDER BY seq`,
      [org, evidence],
    );
    expect(audit.map((a) => [a.actor_id, a.data.systemActor, a.data.threshold])).toEqual([
      [REMINDERS_ACTOR.id, 'system:reminders', 'evidence_30d'],
      [REMINDERS_ACTOR.id, 'system:reminders', 'evidence_7d'],
      [REMINDERS_ACTOR.id, 'system:reminders', 'evidence_expired'],
    ]);
    expect(audit[0]!.data.recipients).toHaveLength(3);

    // Mail: one .eml per recipient and reminder under DATA_DIR/mail, linking under PUBLIC_URL.
    const mails = readdirSync(join(dataDir, 'mail'));
    expect(mails.length).toBeGreaterThanOrEqual(9);
    const one = readFileSync(join(dataDir, 'mail', mails[0]!), 'utf8');
    expect(one).toMatch(/^Subject: /m);
    expect(one).toContain('https://hoh.example.org/board/evidence?evidence=');
  });

  it('takes the effective expiry of §4.2: explicit, or issue + 12 calendar months in UTC (29 February → 1 March)', async () => {
    const rows = await t.appQuery<{ leap: Date; plain: Date; explicit: Date }>(
      `SELECT hoh_evidence_expiry('2024-02-29T10:00:00Z', NULL) AS leap, hoh_evidence_expiry('2026-01-31T23:30:00-02:00', NULL) AS plain,
              hoh_evidence_expiry('2026-01-01T00:00:00Z', '2026-06-30T12:00:00Z') AS explicit`,
    );
    expect(rows[0]!.leap.toISOString()).toBe('2025-03-01T10:00:00.000Z');
    expect(rows[0]!.plain.toISOString()).toBe('2027-02-01T01:30:00.000Z');
    expect(rows[0]!.explicit.toISOString()).toBe('2026-06-30T12:00:00.000Z');
  });

  it('reminds an action owner 7 days before the due date and once overdue; an action without an owner goes to the owners', async () => {
    const owned = await insertAction(5, contributor.me.user.id);
    const orphan = await insertAction(-2, null, 'Report to NCMEC');
    const result = await reminders().scan();
    expect(result.sent).toBe(2);
    const mine = (await notificationsOf(contributor)).filter((n) => n.entity_id === owned || n.entity_id === orphan);
    expect(mine).toEqual([expect.objectContaining({ kind: 'action_7d', entity_id: owned, link: `/remediation?action=${owned}` })]);
    expect(mine[0]!.title).toMatch(/^Due in 5 days: A-\d{3} Turn on hash matching$/);
    const owners = (await notificationsOf(owner)).filter((n) => n.entity_id === orphan);
    expect(owners).toEqual([expect.objectContaining({ kind: 'action_overdue', link: `/remediation?overdue=true&action=${orphan}` })]);
    expect((await notificationsOf(assessor)).some((n) => n.entity_id === orphan || n.entity_id === owned)).toBe(false);

    clock.advance(6 * DAY); // the owned action is now a day overdue
    expect((await reminders().scan()).sent).toBe(1);
    expect((await notificationsOf(contributor)).filter((n) => n.entity_id === owned).map((n) => n.kind)).toEqual(['action_7d', 'action_overdue']);

    // Done actions are not reminded.
    const done = await insertAction(3, contributor.me.user.id);
    await t.ownerQuery(`UPDATE actions SET status = 'done' WHERE organisation_id = $1 AND id = $2`, [org, done]);
    expect((await reminders().scan()).sent).toBe(0);
  });

  it('two job runners at once send nothing twice, and a runner restarted in between sends nothing again', async () => {
    const evidence = await Promise.all([insertEvidence(25), insertEvidence(3), insertEvidence(-1)]);
    const action = await insertAction(1, assessor.me.user.id);
    const second = () =>
      createApp(buildConfig(parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SEED: 'false', JOBS_WORKER: 'false', ...env }), { ownerUrl: t.db.ownerUrl, appUrl: t.db.appUrl, embedded: null }, null, clock));
    const other = await second();
    try {
      const [a, b] = await Promise.all([reminders().scan(), reminders(other).scan()]);
      expect(a.sent + b.sent).toBe(4);
    } finally {
      await other.close();
    }
    const sent = await t.ownerQuery<{ item_id: string; n: number }>(
      `SELECT item_id, count(*)::int AS n FROM reminders_sent WHERE item_id = ANY($1::uuid[]) GROUP BY item_id`,
      [[...evidence, action]],
    );
    expect(sent.map((r) => r.n)).toEqual([1, 1, 1, 1]);
    const perMember = await t.ownerQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE entity_id = ANY($1::uuid[]) GROUP BY user_id, entity_id, kind`,
      [[...evidence, action]],
    );
    expect(perMember.every((r) => r.n === 1)).toBe(true);

    // A fresh process (a restart) scanning at the same instant finds everything already sent.
    const restarted = await second();
    try {
      expect((await reminders(restarted).scan()).sent).toBe(0);
    } finally {
      await restarted.close();
    }
  });

  it('never reminds one organisation about another, and the scan function answers only (organisation, item, threshold)', async () => {
    const stranger = await signUp(t);
    const strangerOrg = orgOf(stranger);
    await t.ownerQuery(
      `INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, expires_at, status, uploaded_by)
       VALUES ($1, gen_random_uuid(), 'Their policy', 'policy', 'external', 'X', $2, $3, 'accepted', $4)`,
      [strangerOrg, new Date(clock.now().getTime() - DAY), new Date(clock.now().getTime() + 10 * DAY), stranger.me.user.id],
    );
    const columns = await t.appQuery(`SELECT * FROM hoh_due_reminders($1, 14)`, [clock.now()]);
    expect(Object.keys(columns[0] ?? { organisation_id: 1, item_id: 1, threshold: 1 }).sort()).toEqual(['item_id', 'organisation_id', 'threshold']);
    await reminders().scan();
    const theirs = await t.ownerQuery<{ organisation_id: string }>(`SELECT DISTINCT organisation_id FROM notifications WHERE user_id = $1`, [stranger.me.user.id]);
    expect(theirs).toEqual([{ organisation_id: strangerOrg }]);
    expect((await notificationsOf(owner)).some((n) => n.title.includes('Their policy'))).toBe(false);
  });

  it("lists the signed-in member's own notifications newest first, keyset paged, with the unread count, and marks them read", async () => {
    const url = `/api/v1/orgs/${org}/notifications`;
    const all = (await as(t, contributor).get(`${url}?limit=200`).expect(200)).body as NotificationListResponse;
    expect(all.items.length).toBeGreaterThanOrEqual(4);
    expect(all.unread).toBe(all.items.length);
    const times = all.items.map((n) => n.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const page1 = (await as(t, contributor).get(`${url}?limit=2`).expect(200)).body as NotificationListResponse;
    const page2 = (await as(t, contributor).get(`${url}?limit=2&cursor=${page1.nextCursor}`).expect(200)).body as NotificationListResponse;
    expect([...page1.items, ...page2.items].map((n) => n.id)).toEqual(all.items.slice(0, 4).map((n) => n.id));

    const target = all.items[1]!;
    const read = await as(t, contributor).post(`${url}/${target.id}/read`).expect(200);
    expect(read.body).toMatchObject({ id: target.id, readAt: clock.now().toISOString() });
    expect(((await as(t, contributor).get(url).expect(200)).body as NotificationListResponse).unread).toBe(all.unread - 1);

    // Someone else's notification, or one in another organisation, is not there for you.
    await as(t, auditor).post(`${url}/${target.id}/read`).expect(404);
    await as(t, contributor).post(`${url}/${randomUUID()}/read`).expect(404);
    await as(t, contributor).post(`${url}/not-a-uuid/read`).expect(404);
    const outsider = await signUp(t);
    await as(t, outsider).get(url).expect(404);
    await as(t, contributor).post(`${url}/read-all`).send({ all: true }).expect(400);

    const marked = await as(t, contributor).post(`${url}/read-all`).expect(200);
    expect(marked.body).toEqual({ marked: all.unread - 1, unread: 0 });
    expect(((await as(t, contributor).get(url).expect(200)).body as NotificationListResponse).unread).toBe(0);
    // The owner's stay unread.
    expect(((await as(t, owner).get(url).expect(200)).body as NotificationListResponse).unread).toBeGreaterThan(0);
    await t.http().get(url).expect(401);
  });
});
