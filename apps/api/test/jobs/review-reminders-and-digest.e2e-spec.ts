import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';

import type { NotificationPreferencesResponse } from '@hoh/contracts';
import { getCurrentFramework } from '@hoh/question-bank';

import { buildConfig, createApp } from '../../src/bootstrap.js';
import { parseEnv } from '../../src/config/env.schema.js';
import { weekStartOf } from '../../src/modules/jobs/digest-text.js';
import { RemindersService } from '../../src/modules/jobs/reminders.service.js';
import { REMINDERS_ACTOR } from '../../src/modules/jobs/system-actor.js';
import { MailWriter, type OutgoingMail } from '../../src/modules/notifications/mail-writer.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Row {
  kind: string;
  entity_id: string;
  title: string;
  body: string;
  link: string;
  mail_held: boolean;
  digested_at: Date | null;
}

/**
 * The reminders of issue 28's second part (docs/PRODUCT.md §14): annual review due, a submission
 * waiting for review, assignments, delivery preferences and the weekly digest. One app for the
 * suite; time moves through the injected clock. Mail is read where the scan hands it over
 * (MailWriter.send), whichever transport then carries it.
 */
describe('review, submission and assignment reminders, preferences and the weekly digest (docs/PRODUCT.md §14)', () => {
  const clock = new TestClock();
  const dataDir = mkdtempSync(join(tmpdir(), 'hoh-digest-'));
  const env = { DATA_DIR: dataDir, PUBLIC_URL: 'https://hoh.example.org' };
  const framework = getCurrentFramework();
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let contributor: SignedInUser;
  let auditor: SignedInUser;
  let org: string;
  let mailed: OutgoingMail[];

  const reminders = (app: INestApplication = t.app) => app.get(RemindersService);
  const spyMail = (app: INestApplication) =>
    jest.spyOn(app.get(MailWriter), 'send').mockImplementation((mails: OutgoingMail[]) => {
      mailed.push(...mails);
      return Promise.resolve(mails.length);
    });
  const notificationsOf = (user: SignedInUser, kind?: string) =>
    t.ownerQuery<Row>(
      `SELECT kind, entity_id, title, body, link, mail_held, digested_at FROM notifications WHERE organisation_id = $1 AND user_id = $2 AND ($3::text IS NULL OR kind = $3) ORDER BY created_at, kind`,
      [org, user.me.user.id, kind ?? null],
    );
  const mailsTo = (user: SignedInUser) => mailed.filter((m) => m.to.email === user.me.user.email);
  const insertAssessment = async (patch: { status?: string; signedAt?: Date; createdAt?: Date; title?: string } = {}) => {
    const id = randomUUID();
    await t.ownerQuery(
      `INSERT INTO assessments (organisation_id, id, title, framework_id, framework_version, created_by, status, signed_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [org, id, patch.title ?? 'Annual review', framework.id, framework.version, owner.me.user.id, patch.status ?? 'draft', patch.signedAt ?? null, patch.createdAt ?? clock.now()],
    );
    return id;
  };
  const secondApp = () =>
    createApp(
      buildConfig(parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SEED: 'false', JOBS_WORKER: 'false', ...env }), { ownerUrl: t.db.ownerUrl, appUrl: t.db.appUrl, embedded: null }, null, clock),
    );
  /** Through the API, so the row has whatever columns actions carry. */
  const createAction = async (title: string, dueInDays: number, ownerId: string | null): Promise<string> => {
    const dueDate = new Date(clock.now().getTime() + dueInDays * DAY).toISOString().slice(0, 10);
    const res = await as(t, owner).post(`/api/v1/orgs/${org}/actions`).send({ title, ownerId, dueDate }).expect(201);
    return (res.body as { id: string }).id;
  };
  const prefsUrl = () => `/api/v1/orgs/${org}/notification-preferences`;

  beforeAll(async () => {
    // Start on next week's Tuesday 09:00 UTC, away from the Monday digest window, so only the digest
    // test sends digests whatever day the suite runs (rows the database stamps with now() stay well
    // inside the 14-day lookback).
    clock.advance(weekStartOf(clock.now()).getTime() + 8 * DAY + 9 * HOUR - clock.now().getTime());
    t = await startTestApp(env, { clock });
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    contributor = await addMember(t, org, 'contributor');
    auditor = await addMember(t, org, 'auditor');
    spyMail(t.app);
  });

  beforeEach(() => {
    mailed = [];
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('tells a member once about questions someone else assigned them, linking to the questionnaire; assigning yourself says nothing', async () => {
    const assessment = await insertAssessment({ title: 'UK review 2027' });
    const [q1, q2, q3] = framework.questions.map((q) => q.id);
    await as(t, owner).post(`/api/v1/orgs/${org}/assessments/${assessment}/assignments`).send({ assigneeId: contributor.me.user.id, questionIds: [q2, q1] }).expect(200);
    await as(t, owner).post(`/api/v1/orgs/${org}/assessments/${assessment}/assignments`).send({ assigneeId: owner.me.user.id, questionIds: [q3] }).expect(200);

    expect((await reminders().scan()).sent).toBe(1);
    const [n] = await notificationsOf(contributor, 'assignment');
    expect(n).toMatchObject({ entity_id: assessment, link: `/questionnaire?assessment=${assessment}`, title: 'Assigned to you: 2 questions in UK review 2027' });
    expect(n!.body).toContain(`${owner.me.user.name} assigned you ${[q1, q2].sort().join(', ')} in "UK review 2027"`);
    expect(await notificationsOf(owner, 'assignment')).toEqual([]);
    expect(mailsTo(contributor).map((m) => m.subject)).toEqual(['Assigned to you: 2 questions in UK review 2027']);

    // Scanning again, or a day later, repeats nothing; a new assignment is a new reminder.
    clock.advance(DAY);
    expect((await reminders().scan()).sent).toBe(0);
    await as(t, owner).post(`/api/v1/orgs/${org}/assessments/${assessment}/assignments`).send({ assigneeId: contributor.me.user.id, questionIds: [q3] }).expect(200);
    expect((await reminders().scan()).sent).toBe(1);
    expect((await notificationsOf(contributor, 'assignment')).map((x) => x.title)).toEqual([
      'Assigned to you: 2 questions in UK review 2027',
      'Assigned to you: 1 question in UK review 2027',
    ]);
  });

  it('tells the owners and assessors other than the submitter, once, that a submission waits for their review', async () => {
    const assessment = await insertAssessment({ title: 'EU review 2027' });
    await as(t, assessor).post(`/api/v1/orgs/${org}/assessments/${assessment}/submit`).expect(200);
    expect((await reminders().scan()).sent).toBe(1);
    const [n] = await notificationsOf(owner, 'review_waiting');
    expect(n).toMatchObject({ entity_id: assessment, link: `/review?assessment=${assessment}`, title: 'Waiting for review: EU review 2027' });
    expect(n!.body).toContain(`by ${assessor.me.user.name}`);
    expect(await notificationsOf(assessor, 'review_waiting')).toEqual([]);
    expect(await notificationsOf(contributor, 'review_waiting')).toEqual([]);
    expect((await reminders().scan()).sent).toBe(0);

    const audit = await t.ownerQuery<{ actor_id: string; data: { systemActor: string; threshold: string; recipients: string[] } }>(
      `SELECT actor_id, data FROM audit_log WHERE organisation_id = $1 AND action = 'reminder.sent' AND entity_id = $2`,
      [org, assessment],
    );
    expect(audit.map((a) => [a.actor_id, a.data.systemActor, a.data.threshold, a.data.recipients])).toEqual([[REMINDERS_ACTOR.id, 'system:reminders', 'review_waiting', [owner.me.user.id]]]);
  });

  it('lets each member choose immediately, weekly digest or off per kind, refusing what their role must receive, under If-Match', async () => {
    clock.advance(HOUR); // so the assessment made below is the newest
    const first = await as(t, contributor).get(prefsUrl()).expect(200);
    expect(first.headers.etag).toBe('"0"');
    const body = first.body as NotificationPreferencesResponse;
    expect(body.items.map((i) => i.kind)).toEqual(['evidence_30d', 'evidence_7d', 'evidence_expired', 'action_7d', 'action_overdue', 'review_due_30d', 'review_due', 'review_waiting', 'assignment']);
    expect(body.items.every((i) => i.delivery === 'immediately' && !i.required)).toBe(true);
    const ownerPrefs = (await as(t, owner).get(prefsUrl()).expect(200)).body as NotificationPreferencesResponse;
    expect(ownerPrefs.items.filter((i) => i.required).map((i) => i.kind)).toEqual(['evidence_expired', 'action_overdue', 'review_due_30d', 'review_due']);

    const save = { deliveries: { assignment: 'weekly_digest', action_7d: 'off' } };
    const missing = await as(t, contributor).put(prefsUrl()).send(save).expect(428);
    expect(missing.body.error.code).toBe('PRECONDITION_REQUIRED');
    const bad = await as(t, contributor).put(prefsUrl()).set('If-Match', '"0"').send({ deliveries: { assignment: 'sometimes', nonsense: 'off' } }).expect(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['deliveries', 'deliveries.assignment']);
    const refused = await as(t, owner).put(prefsUrl()).set('If-Match', '"0"').send({ deliveries: { review_due: 'off', review_waiting: 'off' } }).expect(400);
    expect(refused.body.error.details).toEqual([{ path: 'deliveries.review_due', message: 'Your role must receive this; choose immediately or weekly_digest' }]);

    const saved = await as(t, contributor).put(prefsUrl()).set('If-Match', '"0"').send(save).expect(200);
    expect(saved.headers.etag).toBe('"1"');
    expect((saved.body as NotificationPreferencesResponse).items.filter((i) => i.delivery !== 'immediately')).toEqual([
      { kind: 'action_7d', delivery: 'off', required: false },
      { kind: 'assignment', delivery: 'weekly_digest', required: false },
    ]);
    // A second tab still holding version 0 does not overwrite it: 412 with what is saved now.
    const stale = await as(t, contributor).put(prefsUrl()).set('If-Match', '"0"').send({ deliveries: {} }).expect(412);
    expect(stale.body.current.version).toBe(1);
    expect(((await as(t, contributor).get(prefsUrl()).expect(200)).body as NotificationPreferencesResponse).version).toBe(1);
    // Each member's own: the assessor's are untouched, and a stranger cannot read them.
    expect(((await as(t, assessor).get(prefsUrl()).expect(200)).body as NotificationPreferencesResponse).version).toBe(0);
    await as(t, await signUp(t)).get(prefsUrl()).expect(404);

    // The scan follows the choices: the assignment is in the app with its mail held, the due action is not there at all.
    const assessment = await insertAssessment({ title: 'Held review' });
    await as(t, owner).post(`/api/v1/orgs/${org}/assessments/${assessment}/assignments`).send({ assigneeId: contributor.me.user.id, questionIds: [framework.questions[0]!.id] }).expect(200);
    const action = await createAction('Tune the hash list', 3, contributor.me.user.id);
    expect((await reminders().scan()).sent).toBe(2);
    const held = (await notificationsOf(contributor, 'assignment')).filter((n) => n.entity_id === assessment);
    expect(held).toEqual([expect.objectContaining({ mail_held: true, digested_at: null })]);
    expect(await t.ownerQuery(`SELECT 1 FROM notifications WHERE entity_id = $1`, [action])).toEqual([]);
    expect(mailsTo(contributor)).toEqual([]);
    const [audit] = await t.ownerQuery<{ data: { recipients: string[]; turnedOff: string[] } }>(
      `SELECT data FROM audit_log WHERE organisation_id = $1 AND action = 'reminder.sent' AND entity_id = $2`,
      [org, action],
    );
    expect(audit!.data).toMatchObject({ recipients: [], turnedOff: [contributor.me.user.id] });
  });

  it('reminds owners and assessors 30 days before the annual review falls due (12 months after the last sign-off) and when it does, once each', async () => {
    const signedAt = new Date(clock.now().getTime() - 345 * DAY);
    const signed = await insertAssessment({ status: 'signed', signedAt, createdAt: new Date(signedAt.getTime() - 30 * DAY), title: 'UK review 2026' });
    const due = await t.ownerQuery<{ due: Date }>(`SELECT hoh_evidence_expiry($1, NULL) AS due`, [signedAt]);
    const left = Math.ceil((due[0]!.due.getTime() - clock.now().getTime()) / DAY);

    expect((await reminders().scan()).sent).toBe(1);
    for (const member of [owner, assessor]) {
      const [n] = await notificationsOf(member, 'review_due_30d');
      expect(n).toMatchObject({ entity_id: signed, link: '/', title: `Annual review due in ${left} days` });
      // The assessments made earlier in this suite are under way.
      expect(n!.body).toMatch(/"UK review 2026" was signed off on .*; the annual review falls due on .*"Held review" is under way \(a draft\): finish it and sign it off\./);
    }
    expect(await notificationsOf(contributor, 'review_due_30d')).toEqual([]);
    expect(await notificationsOf(auditor, 'review_due_30d')).toEqual([]);
    expect((await reminders().scan()).sent).toBe(0);

    clock.advance((left + 1) * DAY);
    expect((await reminders().scan()).sent).toBe(1);
    expect((await notificationsOf(owner, 'review_due')).map((n) => n.title)).toEqual(['Annual review due: 12 months since "UK review 2026" was signed off']);
    expect((await reminders().scan()).sent).toBe(0);

    // An earlier sign-off (its anniversary 11 days ago, inside the window) is not "the last" one: nothing about it.
    await insertAssessment({ status: 'signed', signedAt: new Date(signedAt.getTime() - 10 * DAY), createdAt: new Date(signedAt.getTime() - 60 * DAY) });
    expect((await reminders().scan()).sent).toBe(0);
  });

  it('sends each organisation one weekly digest on Monday from 08:00 UTC to its owners and to members holding reminders back: score, band, changes, overdue, expiring and the held reminders', async () => {
    // Something overdue and something expiring, so the digest has lists to show.
    await createAction('Report to NCMEC', -3, null);
    const monday = weekStartOf(new Date(clock.now().getTime() + 7 * DAY));
    clock.advance(monday.getTime() + 8 * HOUR - 60_000 - clock.now().getTime());
    await t.ownerQuery(
      `INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, expires_at, status, uploaded_by)
       VALUES ($1, gen_random_uuid(), 'Moderation contract', 'contract', 'external', 'DMS-9', $2, $3, 'accepted', $4)`,
      [org, new Date(clock.now().getTime() - 300 * DAY), new Date(clock.now().getTime() + 35 * DAY), owner.me.user.id],
    );
    // 07:59: not yet.
    expect((await reminders().scan()).digests).toBeNull();

    clock.advance(2 * 60_000);
    const other = await secondApp();
    spyMail(other);
    try {
      // Every organisation in this database is owed one (the others' are quiet and record no mail): each is recorded by one of the two.
      const [a, b] = await Promise.all([reminders().scan(), reminders(other).scan()]);
      const [{ orgs }] = (await t.ownerQuery<{ orgs: number }>(`SELECT count(*)::int AS orgs FROM organisations`)) as [{ orgs: number }];
      expect((a.digests?.sent ?? 0) + (b.digests?.sent ?? 0)).toBe(orgs);
    } finally {
      await other.close();
    }
    expect((await reminders().scan()).digests).toMatchObject({ due: 0, sent: 0 });

    const [digest] = await notificationsOf(owner, 'weekly_digest');
    const week = monday.toISOString().slice(0, 10);
    expect(digest).toMatchObject({ entity_id: org, link: '/', title: expect.stringMatching(new RegExp(`^Weekly digest: .*, week of ${week}$`)) });
    expect(digest!.body).toMatch(/^Score: \d+(\.\d)? \((green|amber|red), [a-z ]+\) on "Held review" \(draft\)\.$/m);
    expect(digest!.body).toMatch(/^This week: \d+ answers? saved, \d+ pieces? of evidence added, \d+ actions? closed\.$/m);
    expect(digest!.body).toContain('Overdue actions (2):\n');
    expect(digest!.body).toMatch(/^ {2}- A-\d{3} Tune the hash list \(due \d{4}-\d{2}-\d{2}\)$/m);
    expect(digest!.body).toMatch(/^ {2}- A-\d{3} Report to NCMEC \(due \d{4}-\d{2}-\d{2}\)$/m);
    expect(digest!.body).toContain('Evidence expiring or just expired: none in the next 30 days.');
    // The owner held nothing back; the contributor's digest carries their held assignment, linked under PUBLIC_URL.
    expect(digest!.body).not.toContain('Held back');
    const [theirs] = await notificationsOf(contributor, 'weekly_digest');
    expect(theirs!.body).toContain('Held back for this digest (1):\n  - Assigned to you: 1 question in Held review: https://hoh.example.org/questionnaire?assessment=');
    expect((await notificationsOf(contributor, 'assignment')).filter((n) => n.mail_held).every((n) => n.digested_at !== null)).toBe(true);
    expect(await notificationsOf(assessor, 'weekly_digest')).toEqual([]);
    expect(mailed.filter((m) => m.subject.startsWith('Weekly digest')).map((m) => m.to.email).sort()).toEqual([owner.me.user.email, contributor.me.user.email].sort());

    const [row] = await t.ownerQuery<{ recipients: number; score: number | null }>(`SELECT recipients, score FROM weekly_digests WHERE organisation_id = $1`, [org]);
    expect(row!.recipients).toBe(2);
    const audit = await t.ownerQuery<{ actor_id: string; data: { systemActor: string; weekStart: string } }>(
      `SELECT actor_id, data FROM audit_log WHERE organisation_id = $1 AND action = 'digest.sent'`,
      [org],
    );
    expect(audit.map((a) => [a.actor_id, a.data.systemActor, a.data.weekStart])).toEqual([[REMINDERS_ACTOR.id, 'system:reminders', monday.toISOString()]]);

    // A week later: compared with last week's score, and the evidence now expiring is listed; the held assignment is not listed again.
    clock.advance(7 * DAY);
    expect((await reminders().scan()).digests?.sent).toBeGreaterThanOrEqual(1);
    const next = (await notificationsOf(owner, 'weekly_digest'))[1]!;
    expect(next.body).toMatch(/^Since last week's digest: (unchanged|[+-]?\d+ points)/m);
    expect(next.body).toMatch(/^Evidence expiring or just expired \(1\):\n {2}- Moderation contract \(expires /m);
    expect(await notificationsOf(contributor, 'weekly_digest')).toHaveLength(1);
  });
});
