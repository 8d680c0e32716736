import { Injectable } from '@nestjs/common';

import { type DashboardResponse, withLabel } from '@hoh/contracts';
import { factsToConfirm, getFramework, nextPublishedVersion, type OrganisationProfile, watchForBank, type WatchForBank } from '@hoh/question-bank';
import { attestationCheck, type Band, compareResults, scoreMovement } from '@hoh/scoring-engine';

import { Clock } from '../../config/clock.js';
import { prepared } from '../../database/prepared-statements.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { ACTION_SUMMARY_COLUMNS, type ActionSummaryRow } from '../actions/actions.repository.js';
import { ActionsService } from '../actions/actions.service.js';
import { LAST_DRILLS_SQL, type LastDrillJson, scheduleOf } from '../drills/drill-schedule-sql.js';
import { LOAD_FROM, loadColumns, type LoadedRow } from '../scoring/scoring-input.repository.js';
import { ScoringService } from '../scoring/scoring.service.js';

interface AssessmentRow {
  id: string;
  title: string;
  status: 'draft' | 'in_review' | 'signed';
  created_at: Date;
  signed_at: Date | null;
  signed_score: number | null;
  signed_band: Band | null;
  from_assessment_id: string | null;
  framework_version: string;
  /** YYYY-MM-DD (a date aggregated to JSON). */
  period_start: string;
  period_end: string;
}

/** The assessment the latest one is compared with, read by the same statement. */
type PreviousRow = LoadedRow & { title: string; period_start: string; period_end: string };

interface DashboardRow {
  name: string;
  profile: OrganisationProfile | null;
  profile_updated_at: Date | null;
  signer_name: string | null;
  // Aggregated to JSON in the statement, so timestamps arrive as ISO strings.
  assessments: (Omit<AssessmentRow, 'created_at' | 'signed_at'> & { created_at: string; signed_at: string | null })[];
  /** The latest assessment's scoring input (loadColumns), null without assessments. */
  latest_input: LoadedRow | null;
  /** The scoring input of the assessment the latest follows (its source, else the latest signed one before it). */
  previous_input: PreviousRow | null;
  actions: ActionSummaryRow[];
  /** Each scenario's last finished drill (the drills module's LAST_DRILLS_SQL). */
  last_drills: LastDrillJson[];
}

// Everything the overview reads, in one statement: the organisation, its profile, the signer's name,
// the last 20 assessments, the latest one's scoring input (the scoring module's select list) and
// the action summaries (the actions module's columns), and the input of the assessment the latest one
// is compared with (its source, else the newest signed one created before it: issue 24's per-domain
// changes). Each module keeps its own SQL and conversion.
// The signer is the acting user (app.user_id), which runAsMember sets beside the tenant.
const DASHBOARD_SQL = prepared(`
  SELECT o.name, p.profile, p.updated_at AS profile_updated_at,
    (SELECT u.name FROM users u WHERE u.id = nullif(current_setting('app.user_id', true), '')::uuid) AS signer_name,
    (SELECT coalesce(json_agg(x ORDER BY x.created_at DESC, x.id DESC), '[]')
     FROM (SELECT id, title, status, created_at, signed_at, signed_score, signed_band, from_assessment_id, period_start, period_end, framework_version FROM assessments
           WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 20) x) AS assessments,
    (SELECT row_to_json(l) FROM (SELECT ${loadColumns(2)} FROM ${LOAD_FROM}
       WHERE a.organisation_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 1) l) AS latest_input,
    (SELECT row_to_json(l) FROM (SELECT ${loadColumns(2)}, a.title, a.period_start::text AS period_start, a.period_end::text AS period_end FROM ${LOAD_FROM}
       WHERE a.organisation_id = $1 AND a.id = (
         SELECT coalesce(n.from_assessment_id,
           (SELECT s.id FROM assessments s WHERE s.organisation_id = $1 AND s.status = 'signed' AND s.id <> n.id AND s.created_at < n.created_at
            ORDER BY s.created_at DESC, s.id DESC LIMIT 1))
         FROM assessments n WHERE n.organisation_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT 1)) l) AS previous_input,
    (SELECT coalesce(json_agg(r), '[]') FROM (SELECT ${ACTION_SUMMARY_COLUMNS} FROM actions
       WHERE organisation_id = $1 ORDER BY created_at, id) r) AS actions,
    ${LAST_DRILLS_SQL} AS last_drills
  FROM organisations o LEFT JOIN organisation_profiles p ON p.organisation_id = o.organisation_id
  WHERE o.organisation_id = $1`);

// The watch is static data per bank version: worked out once per process.
const watches = new Map<string, WatchForBank>();
function watchOf(frameworkId: string, version: string): WatchForBank {
  const key = `${frameworkId}@${version}`;
  let watch = watches.get(key);
  if (!watch) {
    const snapshot = getFramework(frameworkId, version)?.regulationSnapshotDate ?? '0000-01-01';
    watch = watchForBank(frameworkId, version, snapshot);
    watches.set(key, watch);
  }
  return watch;
}

/**
 * The overview in one response and one SQL statement whatever the data size (plus the access check
 * and the tenant transaction around it, as every organisation route): the trend reads signed scores
 * from their rows; only the latest assessment is scored live.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly scoring: ScoringService,
    private readonly actions: ActionsService,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<DashboardResponse> {
    const member = currentMember();
    const { organisationId } = member;
    // The scoring inputs this process already holds: the statement then skips re-reading them if they still stand.
    const known = this.scoring.knownInputs(organisationId);
    const [head] = await tenantManager().query<DashboardRow[]>(DASHBOARD_SQL, [organisationId, ...known.params]);
    const org = head ? { name: head.name } : undefined;
    const profileRow = head?.profile ? { profile: head.profile, updated_at: head.profile_updated_at! } : undefined;
    const signer = head?.signer_name !== null && head?.signer_name !== undefined ? { name: head.signer_name } : undefined;
    const assessments: AssessmentRow[] = (head?.assessments ?? []).map((a) => ({
      ...a,
      created_at: new Date(a.created_at),
      signed_at: a.signed_at === null ? null : new Date(a.signed_at),
    }));
    const latest = assessments[0];
    const ctx = latest && head?.latest_input ? this.scoring.inputFromRow(member.organisationId, head.latest_input, this.clock.now(), known) : null;
    const result = ctx ? this.scoring.score(ctx.input) : null;
    // Summaries: the overview shows no action's predicted uplift, so none is projected.
    const actions = this.actions.summariesOf(head?.actions ?? [], ctx && result ? { input: ctx.input, result } : null);
    const previousRow = result ? (head?.previous_input ?? null) : null;
    const previousResult = previousRow ? this.scoring.score(this.scoring.inputFromRow(organisationId, previousRow, this.clock.now(), known).input) : null;
    // The engine says how each domain moved and why (compareResults); nothing here does arithmetic on scores.
    const comparison =
      previousRow && previousResult && result
        ? {
            previous: { id: previousRow.id, title: previousRow.title, status: previousRow.status, period: withLabel({ start: previousRow.period_start, end: previousRow.period_end }) },
            ...compareResults(previousResult, result),
          }
        : null;

    let current: DashboardResponse['current'] = null;
    if (latest && ctx && result) {
      const check = attestationCheck({
        input: ctx.input,
        result,
        actions,
        profileFacts: factsToConfirm(profileRow?.profile),
        profileConfirmedAt: profileRow?.profile.confirmedAt ?? {},
        signer: { name: signer?.name ?? '', role: member.role },
        organisationName: org?.name ?? '',
        assessmentTitle: latest.title,
      });
      const included = result.items.filter((i) => i.included);
      current = {
        assessment: {
          id: latest.id,
          title: latest.title,
          status: latest.status,
          period: withLabel({ start: latest.period_start, end: latest.period_end }),
          createdAt: latest.created_at.toISOString(),
          signedAt: latest.signed_at?.toISOString() ?? null,
          framework: {
            id: ctx.input.bank.frameworkId,
            version: ctx.input.bank.version,
            next: nextPublishedVersion(ctx.input.bank.frameworkId, ctx.input.bank.version),
            watch: watchOf(ctx.input.bank.frameworkId, ctx.input.bank.version),
          },
        },
        score: result.overall.score,
        rounded: result.overall.rounded,
        band: result.overall.band,
        rawBand: result.overall.rawBand,
        cappedBy: result.overall.cappedBy,
        explanation: result.explanation,
        confidence: { label: result.confidence.label, evidencePct: result.confidence.evidencePct, reviewedPct: result.confidence.reviewedPct, unknownPct: result.confidence.unknownPct },
        progress: { applicable: included.length, answered: included.filter((i) => i.status !== 'unanswered').length },
        domains: result.domains.map((d) => ({ domainId: d.domainId, title: d.title, score: d.score, rounded: d.rounded, band: d.band, achievedLevel: d.achievedLevel })),
        criticalControls: result.items
          .filter((i) => i.included && i.critical)
          .map((i) => ({ questionId: i.questionId, domainId: i.domainId, claimed: i.claimed, effectiveLevel: i.effectiveLevel, target: i.target, gap: i.gap, capReason: i.capReason })),
        readyToAttest: latest.status === 'signed' ? { ready: false, exceptionCount: 0 } : { ready: check.exceptions.length === 0, exceptionCount: check.exceptions.length },
        comparison,
      };
    }

    // Oldest period first (then creation), so a review started later for an earlier year still sits in its place.
    const scored = assessments
      .map((a) =>
        a === latest && result
          ? { score: result.overall.score, band: result.overall.band, a }
          : a.signed_score !== null && a.signed_band !== null
            ? { score: a.signed_score, band: a.signed_band, a }
            : null,
      )
      .filter((x): x is NonNullable<typeof x> => x !== null)
      .sort((x, y) => x.a.period_start.localeCompare(y.a.period_start) || x.a.created_at.getTime() - y.a.created_at.getTime() || x.a.id.localeCompare(y.a.id));
    const labels = scored.map(({ a }) => withLabel({ start: a.period_start, end: a.period_end }).label);
    const trend = scored.map(({ score: s, band, a }, i) => {
      const period = withLabel({ start: a.period_start, end: a.period_end });
      const shared = labels.filter((l) => l === period.label).length > 1;
      const before = scored[i - 1];
      // The latest point's movement carries its cause when it is measured against the same predecessor.
      const change =
        before === undefined
          ? null
          : a === latest && comparison && comparison.previous.id === before.a.id
            ? { before: comparison.overall.before, after: comparison.overall.after, delta: comparison.overall.delta, direction: comparison.overall.direction }
            : scoreMovement(before.score, s);
      return {
        assessmentId: a.id,
        title: a.title,
        status: a.status,
        period,
        label: shared ? `${period.label} (${String(labels.slice(0, i + 1).filter((l) => l === period.label).length)})` : period.label,
        createdAt: a.created_at.toISOString(),
        signedAt: a.signed_at?.toISOString() ?? null,
        score: s,
        band,
        change,
        bankVersion: a.framework_version,
        bankChange: before && before.a.framework_version !== a.framework_version ? { from: before.a.framework_version, to: a.framework_version } : null,
      };
    });

    const counts = { open: 0, in_progress: 0, blocked: 0, done: 0, risk_accepted: 0 };
    const openByPriority = { p1: 0, p2: 0, p3: 0, p4: 0 };
    for (const a of actions) {
      counts[a.status] += 1;
      if (a.status === 'open' || a.status === 'in_progress' || a.status === 'blocked') openByPriority[a.priority] += 1;
    }
    const overdue = actions.filter((a) => a.overdue).sort((x, y) => x.priority.localeCompare(y.priority) || (x.dueDate ?? '').localeCompare(y.dueDate ?? ''));
    return {
      organisation: { id: member.organisationId, name: org?.name ?? '' },
      profile: { described: profileRow !== undefined, updatedAt: profileRow?.updated_at.toISOString() ?? null },
      current,
      trend,
      actions: {
        counts,
        overdue: overdue.length,
        openByPriority,
        topOverdue: overdue.slice(0, 5).map((a) => ({ id: a.id, number: a.number, title: a.title, priority: a.priority, dueDate: a.dueDate, ownerId: a.ownerId })),
      },
      drills: scheduleOf(head?.last_drills ?? [], this.clock.now()),
    };
  }
}
