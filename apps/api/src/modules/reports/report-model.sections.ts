import { periodLabel, type AssessmentResponse } from '@hoh/contracts';
import { exposureMap, referencesFor } from '@hoh/question-bank';
import type { ReportAction, ReportBand, ReportEvidence, ReportLevel, ReportQuestion, ReportTrendPoint } from '@hoh/report-pdf';
import { evidenceCounts, score, type ScoringInput, type ScoringResult } from '@hoh/scoring-engine';

import type { AssessmentSnapshot } from './report-model.gatherer.js';

/**
 * The board pack's sections, built from what the gatherer read (pure: no database). Each section
 * applies the engine's result; none decides a rule of its own (docs/PRODUCT.md §8).
 */

const level = (n: number | null): ReportLevel | null =>
  n === null ? null : (Math.max(0, Math.min(4, Math.round(n))) as ReportLevel);

/** A member's name by user id; someone no longer a member is "Former member". */
export type NameOf = (id: string | null | undefined) => string | null;

/** Every question of the assessment's bank with its answer, result, references as they stand for the organisation, and evidence by id and hash. */
export function questionsOf(snapshot: AssessmentSnapshot, name: NameOf): ReportQuestion[] {
  const { framework, result, input, profile } = snapshot;
  const items = new Map(result.items.map((i) => [i.questionId, i]));
  // Signed: the evidence status frozen with the input; drafts: as it is now.
  const frozenEvidence = new Map(input.answers.flatMap((a) => a.evidence.map((e) => [`${a.questionId}/${e.id}`, e] as const)));
  // How each cited measure stands for this organisation (issue 22 item 3), from its bank version's
  // exposure map. 1.0.0's map has no states, so its references print as cited, as the questionnaire does.
  const exposure = profile && framework.version !== '1.0.0' ? exposureMap(profile, framework.version) : null;
  return framework.questions.map((q) => {
    const item = items.get(q.id);
    const answer = snapshot.answers.get(q.id);
    const evidence: ReportEvidence[] = (snapshot.evidence.get(q.id) ?? []).map((e) => {
      const frozen = frozenEvidence.get(`${q.id}/${e.id}`);
      const status = frozen?.status ?? e.status;
      const issuedAt = frozen?.issuedAt ?? e.issued_at.toISOString();
      const expiresAt = frozen ? (frozen.expiresAt ?? null) : (e.expires_at?.toISOString() ?? null);
      return {
        id: e.id,
        kind: e.kind,
        status,
        sha256: e.sha256,
        externalRef: e.external_ref,
        issuedAt,
        expiresAt,
        counts: evidenceCounts({ id: e.id, kind: e.kind, status, issuedAt, expiresAt }, result.asOf),
      };
    });
    const notes = [answer?.justification, answer?.comment].filter((t): t is string => Boolean(t && t.trim()));
    return {
      questionId: q.id,
      domainId: q.domainId,
      text: q.text,
      scale: q.scale.kind,
      weight: q.weight,
      critical: item?.critical ?? false,
      status: item?.status ?? 'unanswered',
      included: item?.included ?? false,
      claimed: item?.claimed ?? null,
      effectiveLevel: item?.effectiveLevel ?? null,
      capReason: item?.capReason ?? 'none',
      target: item?.target ?? level(q.targetLevel) ?? 0,
      gap: item?.gap ?? 0,
      upliftPoints: item?.uplift.overall ?? 0,
      reviewedByOther: item?.reviewedByOther ?? false,
      answeredBy: name(answer?.author_id),
      answeredAt: answer?.answered_at.toISOString() ?? null,
      comment: notes.length > 0 ? notes.join(' — ') : null,
      references:
        profile && exposure
          ? referencesFor(q, profile, framework.version, exposure).references.map((r) => ({
              regime: r.regime,
              id: r.id,
              title: r.title,
              verified: r.verified,
              state: r.state,
              reason: r.reason,
            }))
          : q.references.map((r) => ({ regime: r.regime, id: r.id, title: r.title, verified: r.verified })),
      evidence,
    };
  });
}

/** Each domain's score and band with its target and how much of it rests on counting evidence. */
export function domainsOf(result: ScoringResult) {
  return result.domains.map((d) => {
    const included = result.items.filter((i) => i.domainId === d.domainId && i.included);
    const withEvidence = included.filter((i) => i.hasCountingEvidence).length;
    return {
      domainId: d.domainId,
      title: d.title,
      score: d.score,
      band: d.band,
      achievedLevel: d.achievedLevel,
      targetLevel: included.length > 0 ? level(Math.min(...included.map((i) => i.target))) : null,
      evidenceCoveragePct: included.length > 0 ? Math.round((withEvidence / included.length) * 100) : 0,
      cappedBy: d.cappedBy,
    };
  });
}

/** A signed assessment before this one, as the trend reads it. */
export interface EarlierRow {
  id: string;
  title: string;
  period_start: string;
  period_end: string;
  framework_version: string;
  signed_at: Date;
  signed_score: number;
  signed_band: ReportBand;
  signed_scoring_input: ScoringInput | null;
}

/** The trend over earlier signed assessments (newest first in `earlier`), oldest first, each rescored from its frozen input. */
export function trendOf(earlier: readonly EarlierRow[]): { trend: ReportTrendPoint[]; results: Map<string, ScoringResult | null> } {
  // Labelled by the period each covers (issue 24: not the year each was signed in, "2026 → 2026").
  const results = new Map(earlier.map((e) => [e.id, e.signed_scoring_input ? score(e.signed_scoring_input) : null]));
  const trend: ReportTrendPoint[] = [...earlier].reverse().map((e) => {
    const domainScores = Object.fromEntries((results.get(e.id)?.domains ?? []).map((d) => [d.domainId, d.score]));
    return {
      assessmentId: e.id,
      label: periodLabel({ start: e.period_start, end: e.period_end }),
      assessedAt: e.signed_at.toISOString(),
      score: e.signed_score,
      band: e.signed_band,
      bankVersion: e.framework_version,
      domainScores,
    };
  });
  return { trend, results };
}

/** What the board is asked to decide, from the result, the actions and what was acknowledged at sign-off. */
export function boardDecisionsOf(
  result: ScoringResult,
  actions: readonly ReportAction[],
  signature: AssessmentResponse['signature'] | null,
): string[] {
  const criticalGaps = result.criticalCaps.map((c) => c.questionId);
  const openActions = actions.filter((a) => ['open', 'in_progress', 'blocked'].includes(a.status)).length;
  return [
    ...(criticalGaps.length > 0
      ? [`Fund and prioritise remediation of the critical controls that cap the band: ${criticalGaps.slice(0, 6).join(', ')}.`]
      : []),
    ...(openActions > 0
      ? [`Approve the remediation plan (${openActions} open action${openActions === 1 ? '' : 's'}) and its owners and due dates.`]
      : []),
    ...((signature?.exceptions ?? []).some((e) => e.kind === 'risk_accepted')
      ? ['Confirm the risk acceptances acknowledged at sign-off.']
      : []),
  ];
}

