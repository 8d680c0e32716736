import fc from 'fast-check';

import { DRILL_DUE_SOON_DAYS, drillDueAt, drillSchedule, drillScheduleState, type FinishedDrillFact } from './drills.js';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const SCENARIOS = [
  { id: 'platform-report', title: 'Platform', setting: 'platform' as const },
  { id: 'laptop', title: 'Laptop', setting: 'corporate_device' as const },
  { id: 'backup', title: 'Backup', setting: 'backup_cloud' as const },
];
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => new Date(ms));

describe('the drill schedule (docs/PRODUCT.md §15.5)', () => {
  it('falls due when the last record expires: twelve calendar months on in UTC, 29 February moving to 1 March', () => {
    expect(drillDueAt(at('2026-03-15T10:30:00.000Z')).toISOString()).toBe('2027-03-15T10:30:00.000Z');
    expect(drillDueAt(at('2028-02-29T09:00:00.000Z')).toISOString()).toBe('2029-03-01T09:00:00.000Z');
    expect(drillDueAt(at('2026-12-31T23:59:59.999Z')).toISOString()).toBe('2027-12-31T23:59:59.999Z');
    fc.assert(
      fc.property(instant, (f) => {
        const due = drillDueAt(f);
        // Between 365 and 366 days later, at the same time of day.
        expect(due.getTime() - f.getTime()).toBeGreaterThanOrEqual(365 * DAY);
        expect(due.getTime() - f.getTime()).toBeLessThanOrEqual(366 * DAY);
        expect(due.toISOString().slice(10)).toBe(f.toISOString().slice(10));
      }),
    );
  });

  it('is never exercised without a finished drill, overdue from the due instant, due soon within 30 days before it, otherwise ok', () => {
    const f = at('2026-01-10T12:00:00.000Z');
    const due = drillDueAt(f).getTime();
    expect(drillScheduleState(null, f)).toEqual({ state: 'never', dueAt: null });
    expect(drillScheduleState(f, new Date(due)).state).toBe('overdue');
    expect(drillScheduleState(f, new Date(due - 1)).state).toBe('due_soon');
    expect(drillScheduleState(f, new Date(due - DRILL_DUE_SOON_DAYS * DAY)).state).toBe('due_soon');
    expect(drillScheduleState(f, new Date(due - DRILL_DUE_SOON_DAYS * DAY - 1)).state).toBe('ok');
    fc.assert(
      fc.property(instant, fc.integer({ min: -800 * DAY, max: 800 * DAY }), (finished, offset) => {
        const now = new Date(finished.getTime() + offset);
        const { state, dueAt } = drillScheduleState(finished, now);
        const left = dueAt!.getTime() - now.getTime();
        expect(state).toBe(left <= 0 ? 'overdue' : left <= DRILL_DUE_SOON_DAYS * DAY ? 'due_soon' : 'ok');
        // Time only makes it worse: a later now is never in a better state.
        const later = drillScheduleState(finished, new Date(now.getTime() + DAY)).state;
        const rank = { ok: 0, due_soon: 1, overdue: 2, never: 3 };
        expect(rank[later]).toBeGreaterThanOrEqual(rank[state]);
      }),
    );
  });

  it('lists every scenario once, by its latest finished drill, the most pressing first', () => {
    const now = at('2027-01-20T00:00:00.000Z');
    const finished: FinishedDrillFact[] = [
      { drillId: uuid(1), scenarioId: 'platform-report', finishedAt: at('2025-06-01T00:00:00.000Z'), evidenceId: uuid(11) },
      { drillId: uuid(2), scenarioId: 'platform-report', finishedAt: at('2026-12-01T00:00:00.000Z'), evidenceId: uuid(12) },
      { drillId: uuid(3), scenarioId: 'laptop', finishedAt: at('2026-01-05T00:00:00.000Z'), evidenceId: uuid(13) },
      { drillId: uuid(4), scenarioId: 'retired-scenario', finishedAt: at('2026-01-05T00:00:00.000Z'), evidenceId: null },
    ];
    const items = drillSchedule(SCENARIOS, finished, now);
    expect(items.map((i) => [i.scenarioId, i.state, i.daysLeft])).toEqual([
      ['backup', 'never', null],
      ['laptop', 'overdue', -15],
      ['platform-report', 'ok', 315],
    ]);
    expect(items.find((i) => i.scenarioId === 'platform-report')).toMatchObject({ lastDrillId: uuid(2), lastEvidenceId: uuid(12), lastExercisedAt: '2026-12-01T00:00:00.000Z', dueAt: '2027-12-01T00:00:00.000Z' });
    fc.assert(
      fc.property(fc.array(fc.record({ s: fc.constantFrom('platform-report', 'laptop', 'backup'), f: instant, n: fc.integer({ min: 1, max: 999 }) })), instant, (rows, when) => {
        const facts = rows.map((r) => ({ drillId: uuid(r.n), scenarioId: r.s, finishedAt: r.f, evidenceId: null }));
        const out = drillSchedule(SCENARIOS, facts, when);
        expect(out.map((i) => i.scenarioId).sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
        for (const item of out) {
          const latest = Math.max(...facts.filter((x) => x.scenarioId === item.scenarioId).map((x) => x.finishedAt.getTime()));
          expect(item.lastExercisedAt).toBe(Number.isFinite(latest) ? new Date(latest).toISOString() : null);
          expect(item.state).toBe(drillScheduleState(item.lastExercisedAt ? new Date(item.lastExercisedAt) : null, when).state);
        }
        const rank = { never: 0, overdue: 1, due_soon: 2, ok: 3 };
        for (let i = 1; i < out.length; i += 1) expect(rank[out[i - 1]!.state]).toBeLessThanOrEqual(rank[out[i]!.state]);
      }),
    );
  });
});
