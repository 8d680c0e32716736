import type { DrillScheduleItem, DrillScheduleResponse } from '@hoh/contracts';
import { Link } from 'react-router';

import { LoadError } from '@/components/ui/load-error';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { formatDate } from '@/lib/format';
import { drillRecordHref, useDrillSchedule } from '../api/drills';
import { settingWords } from './start-drill-form';

/** The words each state reads as; the schedule never relies on colour alone. */
export function scheduleStateWords(item: Pick<DrillScheduleItem, 'state' | 'daysLeft'>): string {
  switch (item.state) {
    case 'never':
      return 'Never exercised: due now';
    case 'overdue':
      return `Overdue by ${String(-(item.daysLeft ?? 0))} days`;
    case 'due_soon':
      return `Due in ${String(item.daysLeft ?? 0)} days`;
    case 'ok':
      return 'Up to date';
  }
}

/** "2 never exercised, 1 overdue, 1 due soon", or null when every scenario is up to date. */
export function scheduleSummary(schedule: Pick<DrillScheduleResponse, 'items'>): string | null {
  const count = (state: DrillScheduleItem['state']) => schedule.items.filter((i) => i.state === state).length;
  const parts = [
    [count('never'), 'never exercised'],
    [count('overdue'), 'overdue'],
    [count('due_soon'), 'due soon'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, words]) => `${String(n)} ${String(words)}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Per scenario: when it was last exercised and when the next drill is due (yearly, per ENT-05; docs/PRODUCT.md §15.5). */
export function DrillSchedule({ orgId }: { orgId: string }) {
  const schedule = useDrillSchedule(orgId);
  if (schedule.isPending) return <Spinner label="Loading the schedule…" />;
  if (schedule.error) return <LoadError what="the drill schedule" error={schedule.error} onRetry={() => void schedule.refetch()} />;
  return (
    <table className="table" aria-label="Drill schedule">
      <thead>
        <tr>
          <th scope="col">Scenario</th>
          <th scope="col">Last exercised</th>
          <th scope="col">Next due</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {schedule.data.items.map((item) => (
          <tr key={item.scenarioId} data-state={item.state}>
            <td>
              {item.title} <span className="muted">({settingWords(item.setting)})</span>
            </td>
            <td>
              {item.lastDrillId && item.lastExercisedAt ? (
                <>
                  <Link to={paths.app.drill.getHref(item.lastDrillId)}>{formatDate(item.lastExercisedAt)}</Link>
                  {item.lastEvidenceId ? (
                    <>
                      {' '}
                      (<a href={drillRecordHref(orgId, item.lastEvidenceId)}>record</a>)
                    </>
                  ) : null}
                </>
              ) : (
                'Never'
              )}
            </td>
            <td>{item.dueAt ? formatDate(item.dueAt) : 'Now'}</td>
            <td>{item.state === 'ok' ? scheduleStateWords(item) : <strong>{scheduleStateWords(item)}</strong>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One line for the overview, from the dashboard's own response (its one request): what is due, linking to the drills page. */
export function DrillScheduleNotice({ items }: { items: DrillScheduleResponse['items'] }) {
  const summary = scheduleSummary({ items });
  return (
    <p className="muted" aria-label="Drills due">
      Incident drills: {summary ?? 'every scenario exercised within the year'}. <Link to={paths.app.drills.getHref()}>See the drill schedule</Link>
    </p>
  );
}
