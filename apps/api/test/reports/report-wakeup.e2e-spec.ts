import { randomUUID } from 'node:crypto';

import { ReportWorker, SAFETY_POLL_MS } from '../../src/modules/reports/report-worker.js';
import { insertAssessment } from '../factories/evidence.factory.js';
import { orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Polls the database (the worker is a separate actor; there is nothing in-process to await). */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('report jobs wake the worker at once through LISTEN/NOTIFY (docs/SCALING.md)', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessmentId: string;

  /** Queues a report as another process would: a plain INSERT, committed; no kick of this process's loop. */
  const queueDirectly = async () => {
    const id = randomUUID();
    await t.ownerQuery(`INSERT INTO reports (organisation_id, id, assessment_id, draft, requested_by) VALUES ($1, $2, $3, true, $4)`, [
      orgOf(owner),
      id,
      assessmentId,
      owner.me.user.id,
    ]);
    return { id, committedAt: Date.now() };
  };
  const claimed = (id: string) =>
    until(`report ${id} to be claimed`, SAFETY_POLL_MS / 3, async () => {
      const [row] = await t.ownerQuery<{ attempts: number }>(`SELECT attempts FROM reports WHERE id = $1`, [id]);
      return row && row.attempts > 0 ? Date.now() : undefined;
    });
  /** One job at a time per worker: the next is picked up when the one in hand is done, so each step waits for it. */
  const settled = (id: string) =>
    until(`report ${id} to finish`, 60_000, async () => {
      const [row] = await t.ownerQuery<{ status: string }>(`SELECT status FROM reports WHERE id = $1`, [id]);
      return row && row.status !== 'queued' && row.status !== 'rendering' ? row.status : undefined;
    });
  const listenerPid = async () =>
    (await t.ownerQuery<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'hoh-report-listener'`))[0]?.pid;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(ReportWorker).listening();
    owner = await signUp(t);
    assessmentId = (await insertAssessment(t, orgOf(owner), owner.me.user.id)).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('claims a job committed by another connection well before the safety poll could have found it', async () => {
    const { id, committedAt } = await queueDirectly();
    const pickedUp = await claimed(id);
    expect(pickedUp - committedAt).toBeLessThan(SAFETY_POLL_MS / 10);
    await settled(id);
  });

  it('listens again after its connection is killed, and then wakes at once as before', async () => {
    const before = await until('the listening connection', 10_000, listenerPid);
    await t.ownerQuery(`SELECT pg_terminate_backend($1)`, [before]);
    const after = await until('a new listening connection', 10_000, async () => {
      const pid = await listenerPid();
      return pid !== undefined && pid !== before ? pid : undefined;
    });
    expect(after).not.toBe(before);
    await t.app.get(ReportWorker).listening();
    const { id, committedAt } = await queueDirectly();
    expect((await claimed(id)) - committedAt).toBeLessThan(SAFETY_POLL_MS / 10);
    await settled(id);
  });

  it('does not wake for a queueing transaction that rolled back (PostgreSQL sends NOTIFY only at commit)', async () => {
    const id = randomUUID();
    await expect(
      t.ownerQuery(
        `WITH queued AS (INSERT INTO reports (organisation_id, id, assessment_id, draft, requested_by) VALUES ($1, $2, $3, true, $4) RETURNING id)
         SELECT 1 / 0 FROM queued`,
        [orgOf(owner), id, assessmentId, owner.me.user.id],
      ),
    ).rejects.toThrow(/division by zero/);
    expect(await t.ownerQuery(`SELECT id FROM reports WHERE id = $1`, [id])).toEqual([]);
  });
});
