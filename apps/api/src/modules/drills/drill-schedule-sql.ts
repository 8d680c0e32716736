import { type DrillScheduleItem, drillSchedule } from '@hoh/contracts';
import { drillLibrary } from '@hoh/question-bank';

/**
 * The drills module's SQL for the overview's one statement (docs/PRODUCT.md §15.5): each scenario's
 * last finished drill, as a JSON array (so timestamps arrive as ISO strings). `$1` is the organisation.
 */
export const LAST_DRILLS_SQL = `(SELECT coalesce(json_agg(d), '[]') FROM (
      SELECT DISTINCT ON (scenario_id) id, scenario_id, finished_at, evidence_id FROM drills
      WHERE organisation_id = $1 AND status = 'finished' ORDER BY scenario_id, finished_at DESC, id DESC) d)`;

export interface LastDrillJson {
  id: string;
  scenario_id: string;
  finished_at: string;
  evidence_id: string | null;
}

/** The schedule of the current library's scenarios from those rows, by the one rule in contracts. */
export function scheduleOf(rows: readonly LastDrillJson[], now: Date): DrillScheduleItem[] {
  return drillSchedule(
    drillLibrary().scenarios,
    rows.map((d) => ({ drillId: d.id, scenarioId: d.scenario_id, finishedAt: new Date(d.finished_at), evidenceId: d.evidence_id })),
    now,
  );
}
