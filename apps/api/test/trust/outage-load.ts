import { setTimeout as sleep } from 'node:timers/promises';

import { as, orgOf } from '../support/requests.js';
import type { SignedInUser } from '../support/session.js';
import type { TestApp } from '../support/test-app.js';

/**
 * The load both outage suites put on the API while the database goes away (docs/API.md
 * §13): four clients loop reads and writes of actions (one in three a write) before, during and
 * after the disruption, and the recovery is timed from the moment access returns.
 */
export interface Outcome {
  phase: 'before' | 'outage' | 'after';
  kind: 'read' | 'write';
  status: number;
  ms: number;
  code?: string;
  retryAfter?: string;
  title?: string;
}

export interface OutageRun {
  outcomes: Outcome[];
  refused: Outcome[];
  recoveredAfterMs: number;
  /** One line of counts and timings for the suite to print. */
  summary: string;
}

export async function underLoad(
  t: TestApp,
  owner: SignedInUser,
  { label, disrupt, restore, holdMs }: { label: string; disrupt: () => Promise<unknown>; restore: () => Promise<unknown>; holdMs: number },
): Promise<OutageRun> {
  const base = `/api/v1/orgs/${orgOf(owner)}`;
  const outcomes: Outcome[] = [];
  let phase: Outcome['phase'] = 'before';
  let stop = false;
  let serial = 0;
  async function client(id: number): Promise<void> {
    while (!stop) {
      const n = serial++;
      const kind: Outcome['kind'] = n % 3 === 0 ? 'write' : 'read';
      const title = `${label} action ${id}-${n}`;
      const startedIn = phase;
      const started = Date.now();
      // 15 s: far beyond the 5 s bound, so a hang shows up as a slow outcome rather than a test timeout.
      const res = await (kind === 'write' ? as(t, owner).post(`${base}/actions`).send({ title }) : as(t, owner).get(`${base}/actions?limit=5`))
        .timeout(15_000)
        .catch((error: unknown) => ({ status: 0, body: { error: { code: String(error) } }, headers: { 'retry-after': undefined } }));
      outcomes.push({
        phase: startedIn === 'outage' || phase === 'outage' ? 'outage' : startedIn,
        kind,
        status: res.status,
        ms: Date.now() - started,
        code: (res.body as { error?: { code?: string } }).error?.code,
        retryAfter: res.headers['retry-after'],
        ...(kind === 'write' ? { title } : {}),
      });
      if (res.status !== 200 && res.status !== 201) await sleep(50);
    }
  }
  const clients = Array.from({ length: 4 }, (_v, i) => client(i));
  await sleep(1000);
  phase = 'outage';
  await disrupt();
  await sleep(holdMs);
  await restore();
  const restoredAt = Date.now();
  phase = 'after';
  // Recovery: the first fully successful read after access returns.
  let recoveredAfterMs = Number.POSITIVE_INFINITY;
  while (Date.now() - restoredAt < 10_000) {
    const probe = await as(t, owner).get(`${base}/actions?limit=1`).timeout(5_000).catch(() => ({ status: 0 }));
    if (probe.status === 200) {
      recoveredAfterMs = Date.now() - restoredAt;
      break;
    }
    await sleep(100);
  }
  await sleep(1000);
  stop = true;
  await Promise.all(clients);
  const outage = outcomes.filter((o) => o.phase === 'outage');
  const refused = outage.filter((o) => o.status === 503);
  const slowest = Math.max(0, ...outage.map((o) => o.ms));
  const summary =
    `${label}: ${outcomes.length} requests (${outage.length} during the outage, ${refused.length} × 503, slowest answer during it ${slowest} ms), ` +
    `recovered ${recoveredAfterMs} ms after the database was back`;
  return { outcomes, refused, recoveredAfterMs, summary };
}

/** Every request: a success, or 503 DATABASE_UNAVAILABLE with Retry-After; never a 500, never slower than 5 s. */
export function expectOnlySuccessOr503Within5s(outcomes: Outcome[]): void {
  const bad = outcomes.filter((o) => ![200, 201].includes(o.status) && !(o.status === 503 && o.code === 'DATABASE_UNAVAILABLE' && Number(o.retryAfter) > 0));
  expect(bad).toEqual([]);
  expect(outcomes.filter((o) => o.ms > 5000)).toEqual([]);
}

/** Every acknowledged (201) write is in the database afterwards. */
export async function expectNoLostWrite(
  outcomes: Outcome[],
  owner: SignedInUser,
  ownerQuery: TestApp['ownerQuery'],
): Promise<void> {
  const acknowledged = outcomes.filter((o) => o.kind === 'write' && o.status === 201).map((o) => o.title!);
  const stored = new Set((await ownerQuery<{ title: string }>('SELECT title FROM actions WHERE organisation_id = $1', [orgOf(owner)])).map((r) => r.title));
  expect(acknowledged.length).toBeGreaterThan(0);
  expect(acknowledged.filter((title) => !stored.has(title))).toEqual([]);
}
