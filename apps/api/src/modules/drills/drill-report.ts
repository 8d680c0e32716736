import type { DrillRating } from '@hoh/contracts';
import { DRILL_MILESTONES, type DrillMilestone, drillScenario } from '@hoh/question-bank';
import type { ReportDrill } from '@hoh/report-pdf';

import { currentMember, tenantManager } from '../../database/tenant-context.js';

/** The board pack's drills (docs/PRODUCT.md §15.8): the drills module's SQL and wording, called by the report gatherer. */

const ROLE_WORDS: Record<string, string> = { owner: 'Owner', assessor: 'Assessor', contributor: 'Contributor', auditor: 'Auditor' };
const MILESTONE_WORDS: Record<DrillMilestone, string> = { escalation: 'escalation', isolation: 'isolation', report_decision: 'report decision' };

export interface DrillDecisionFact {
  decision: string;
  rating: DrillRating | null;
  milestone: DrillMilestone | null;
  elapsed: number;
}

const minutes = (ms: number): string => `${String(Math.round(ms / 60_000))} min`;

/**
 * One line: each decision's last rating, counted ("2 as expected, 1 missed"), each milestone's drill
 * time (its first decision, as the record says) or "not reached", and the follow-ups made.
 */
export function drillOutcome(decisions: readonly DrillDecisionFact[], followUps: number): string {
  const rated = new Map<string, DrillRating>();
  for (const d of decisions) if (d.rating) rated.set(d.decision, d.rating);
  const count = (r: DrillRating) => [...rated.values()].filter((x) => x === r).length;
  const ratings = [
    [count('as_expected'), 'as expected'],
    [count('partly'), 'partly'],
    [count('missed'), 'missed'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, w]) => `${String(n)} ${String(w)}`);
  const milestones = DRILL_MILESTONES.map((m) => {
    const first = decisions.find((d) => d.milestone === m);
    return first ? `${MILESTONE_WORDS[m]} at ${minutes(first.elapsed)}` : `${MILESTONE_WORDS[m]} not reached`;
  });
  return [
    ratings.length > 0 ? ratings.join(', ') : 'no decision rated',
    milestones.join(', '),
    `${String(followUps)} follow-up${followUps === 1 ? '' : 's'}`,
  ].join('; ');
}

interface HeldRow {
  scenario_id: string;
  library_version: string;
  finished_at: Date;
  pdf_sha256: string | null;
  facilitator_role: string | null;
  follow_ups: number;
  decisions: DrillDecisionFact[];
}

/** Drills of the organisation finished within the period (YYYY-MM-DD, inclusive, UTC), oldest first. */
export async function drillsHeldIn(periodStart: string, periodEnd: string): Promise<ReportDrill[]> {
  const rows = await tenantManager().query<HeldRow[]>(
    `SELECT d.scenario_id, d.library_version, d.finished_at, d.pdf_sha256, m.role AS facilitator_role, jsonb_array_length(d.follow_ups) AS follow_ups,
       (SELECT coalesce(json_agg(json_build_object('decision', e.decision_id, 'rating', e.rating, 'milestone', e.milestone, 'elapsed', e.elapsed_ms) ORDER BY e.seq), '[]')
        FROM drill_events e WHERE e.organisation_id = d.organisation_id AND e.drill_id = d.id AND e.kind = 'decision') AS decisions
     FROM drills d LEFT JOIN memberships m ON m.organisation_id = d.organisation_id AND m.user_id = d.facilitator_id
     WHERE d.organisation_id = $1 AND d.status = 'finished'
       AND d.finished_at >= ($2::date)::timestamp AT TIME ZONE 'UTC' AND d.finished_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'
     ORDER BY d.finished_at, d.id`,
    [currentMember().organisationId, periodStart, periodEnd],
  );
  return rows.map((r) => ({
    scenario: drillScenario(r.scenario_id, r.library_version)?.title ?? r.scenario_id,
    finishedAt: r.finished_at.toISOString(),
    facilitatorRole: r.facilitator_role ? (ROLE_WORDS[r.facilitator_role] ?? r.facilitator_role) : 'Former member',
    outcome: drillOutcome(r.decisions, Number(r.follow_ups)),
    recordSha256: r.pdf_sha256,
  }));
}
