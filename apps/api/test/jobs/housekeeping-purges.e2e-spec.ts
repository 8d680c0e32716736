import { randomUUID } from 'node:crypto';

import { HousekeepingService } from '../../src/modules/jobs/housekeeping.service.js';
import { orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

const DAY = 86_400_000;

describe('housekeeping purges of read notifications, delivered mail and spent reminder records (docs/PRODUCT.md §14)', () => {
  const clock = new TestClock();
  let t: TestApp;
  let a: SignedInUser;
  let b: SignedInUser;

  const ago = (days: number) => new Date(clock.now().getTime() - days * DAY);
  const notification = async (user: SignedInUser, title: string, readDaysAgo: number | null, createdDaysAgo = 200) =>
    t.ownerQuery(
      `INSERT INTO notifications (organisation_id, user_id, kind, entity_type, entity_id, title, body, link, created_at, read_at)
       VALUES ($1, $2, 'action_overdue', 'action', $3, $4, 'Update it', '/remediation', $5, $6)`,
      [orgOf(user), user.me.user.id, randomUUID(), title, ago(createdDaysAgo), readDaysAgo === null ? null : ago(readDaysAgo)],
    );
  const outbox = async (user: SignedInUser, subject: string, sentDaysAgo: number | null) =>
    t.ownerQuery(`INSERT INTO outbox (organisation_id, kind, recipient, subject, body, created_at, sent_at) VALUES ($1, 'reminder', 'x@example.org', $2, 'Hello', $3, $4)`, [
      orgOf(user),
      subject,
      ago(100),
      sentDaysAgo === null ? null : ago(sentDaysAgo),
    ]);
  const reminderRecord = async (user: SignedInUser, dueDaysAgo: number) => {
    const item = randomUUID();
    await t.ownerQuery(`INSERT INTO reminders_sent (organisation_id, item_id, threshold, due_at, sent_at, recipients) VALUES ($1, $2, 'action_overdue', $3, $3, 1)`, [
      orgOf(user),
      item,
      ago(dueDaysAgo),
    ]);
    return item;
  };
  const titles = async () => (await t.ownerQuery<{ title: string }>(`SELECT title FROM notifications ORDER BY title`)).map((r) => r.title);
  const subjects = async () => (await t.ownerQuery<{ subject: string }>(`SELECT subject FROM outbox WHERE kind = 'reminder' ORDER BY subject`)).map((r) => r.subject);
  const items = async () => (await t.ownerQuery<{ item_id: string }>(`SELECT item_id FROM reminders_sent`)).map((r) => r.item_id);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    a = await signUp(t);
    b = await signUp(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('deletes, in every organisation, notifications read over NOTIFICATION_RETENTION_DAYS ago, mail delivered over OUTBOX_RETENTION_DAYS ago and reminder records due over REMINDER_RECORD_RETENTION_DAYS ago; keeps unread, unsent and recent ones', async () => {
    await notification(a, 'a read long ago', 91);
    await notification(a, 'a read recently', 89);
    await notification(a, 'a unread, old', null, 400);
    await notification(b, 'b read long ago', 120);
    await outbox(a, 'a sent long ago', 31);
    await outbox(b, 'b sent long ago', 45);
    await outbox(a, 'a sent recently', 29);
    await outbox(b, 'b never sent', null);
    const spentA = await reminderRecord(a, 61);
    const spentB = await reminderRecord(b, 100);
    const recent = await reminderRecord(a, 59);
    const future = await reminderRecord(b, -20);

    const purged = await t.app.get(HousekeepingService).purge();
    expect(purged).toMatchObject({ readNotifications: 2, sentOutbox: 2, reminderRecords: 2 });
    expect(await titles()).toEqual(['a read recently', 'a unread, old']);
    expect(await subjects()).toEqual(['a sent recently', 'b never sent']);
    expect((await items()).sort()).toEqual([recent, future].sort());
    expect(await items()).not.toEqual(expect.arrayContaining([spentA, spentB]));

    // Nothing more the same day; two days on (the injected clock), the recent ones pass their retention.
    expect(await t.app.get(HousekeepingService).purge()).toMatchObject({ readNotifications: 0, sentOutbox: 0, reminderRecords: 0 });
    clock.advance(2 * DAY);
    expect(await t.app.get(HousekeepingService).purge()).toMatchObject({ readNotifications: 1, sentOutbox: 1, reminderRecords: 1 });
    expect(await titles()).toEqual(['a unread, old']);
    expect(await subjects()).toEqual(['b never sent']);
    expect(await items()).toEqual([future]);
  });

  it('purges in batches until none is left, however many are due', async () => {
    await t.ownerQuery(
      `INSERT INTO notifications (organisation_id, user_id, kind, entity_type, entity_id, title, body, link, created_at, read_at)
       SELECT $1, $2, 'action_7d', 'action', gen_random_uuid(), 'bulk ' || g, 'x', '/remediation', $3, $3 FROM generate_series(1, 10003) g`,
      [orgOf(b), b.me.user.id, ago(365)],
    );
    expect((await t.app.get(HousekeepingService).purge()).readNotifications).toBe(10003);
    expect(await titles()).toEqual(['a unread, old']);
  });

  it('gives hoh_app no DELETE on these tables, and the purge functions delete only what their rule names whatever cutoff they are given', async () => {
    await expect(t.appQueryAs(orgOf(a), `DELETE FROM notifications`)).rejects.toThrow(/permission denied/);
    await expect(t.appQueryAs(orgOf(a), `DELETE FROM outbox`)).rejects.toThrow(/permission denied/);
    await expect(t.appQueryAs(orgOf(a), `DELETE FROM reminders_sent`)).rejects.toThrow(/permission denied/);
    expect(await t.appQuery(`SELECT hoh_purge_read_notifications('infinity', 10000) AS n`)).toEqual([{ n: 0 }]);
    expect(await t.appQuery(`SELECT hoh_purge_sent_outbox('infinity', 10000) AS n`)).toEqual([{ n: 0 }]);
    expect(await titles()).toEqual(['a unread, old']);
    expect(await subjects()).toEqual(['b never sent']);
  });
});
