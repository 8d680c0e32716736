import { verifyPageUrl } from '@hoh/contracts';
import { ATTESTATION_EXCEPTION_KIND_LABELS, ATTESTATION_EXCEPTION_KINDS, type DomainMovement, scoreMovement, type ScoreMovement } from '@hoh/scoring-engine';

import { formatDate, formatDateTime, idText, REGIME_LABEL, signed, timeOf } from './format.js';
import type {
  ReportAction,
  ReportReference,
  ReportReferenceState,
  ReportAttestation,
  ReportDomain,
  ReportExceptionKind,
  ReportExposureEntry,
  ReportFigure,
  ReportModel,
  ReportQuestion,
  ReportTrendPoint,
} from './model.js';

// Figures the report prints in more than one place, derived once so the pages agree with each other.

const OPEN_STATUSES = new Set(['open', 'in_progress', 'blocked']);

/** Overdue as of the issue date, not the rendering clock: the same model prints the same flags. */
export function isOverdue(action: ReportAction, issuedAt: string): boolean {
  if (action.dueDate === null || !OPEN_STATUSES.has(action.status)) return false;
  return timeOf(action.dueDate) < timeOf(issuedAt);
}

export function isCriticalGap(q: ReportQuestion): boolean {
  return q.critical && q.included && (q.effectiveLevel ?? 0) < q.target;
}

/** Red caps (level ≤ 1) first, then amber (level 2), then other gaps; bank order within each. */
export function criticalControls(questions: ReportQuestion[]): ReportQuestion[] {
  const severity = (q: ReportQuestion): number => {
    if (!q.included) return 4;
    const level = q.effectiveLevel ?? 0;
    return level <= 1 ? 0 : level === 2 ? 1 : level < q.target ? 2 : 3;
  };
  return questions
    .map((q, index) => ({ q, index }))
    .filter(({ q }) => q.critical)
    .sort((a, b) => severity(a.q) - severity(b.q) || a.index - b.index)
    .map(({ q }) => q);
}

export function capNote(q: ReportQuestion): string {
  if (!q.included) return 'Not applicable';
  const level = q.effectiveLevel ?? 0;
  if (level <= 1) return `Level ${level} ≤ 1 forces the band to Red`;
  if (level === 2) return 'Level 2 caps the band at Amber';
  if (level < q.target) return `Below target L${q.target}`;
  return 'At or above target';
}

export function concernScore(q: ReportQuestion): number {
  return q.included ? q.weight * q.gap : 0;
}

/** Top questions by weight × gap, ties broken by predicted uplift then bank order. */
export function topConcernQuestions(questions: ReportQuestion[], limit = 10): ReportQuestion[] {
  return questions
    .map((q, index) => ({ q, index }))
    .filter(({ q }) => concernScore(q) > 0)
    .sort((a, b) => concernScore(b.q) - concernScore(a.q) || b.q.upliftPoints - a.q.upliftPoints || a.index - b.index)
    .slice(0, limit)
    .map(({ q }) => q);
}

export function weakestDomains(domains: ReportDomain[], limit = 5): ReportDomain[] {
  return domains
    .filter((d) => d.score !== null)
    .map((d, index) => ({ d, index }))
    .sort((a, b) => (a.d.score ?? 0) - (b.d.score ?? 0) || a.index - b.index)
    .slice(0, limit)
    .map(({ d }) => d);
}

export interface ExposureCounts {
  implemented: number;
  partial: number;
  notAddressed: number;
  notApplicable: number;
}

/** Status of the questions that cite a measure: how far the controls behind it are in place. */
export function exposureCounts(entry: ReportExposureEntry, questions: ReportQuestion[]): ExposureCounts {
  const counts: ExposureCounts = { implemented: 0, partial: 0, notAddressed: 0, notApplicable: 0 };
  for (const q of questions) {
    if (!q.references.some((r) => r.regime === entry.regime && r.id === entry.id)) continue;
    const level = q.effectiveLevel ?? 0;
    if (!q.included) counts.notApplicable++;
    else if (level >= q.target) counts.implemented++;
    else if (level > 0) counts.partial++;
    else counts.notAddressed++;
  }
  return counts;
}

export function isDraft(model: ReportModel): boolean {
  return model.assessment.status !== 'signed' || model.accountability.signOff === null;
}

// ---- The board's first page (issue 25): shared by the PDF, the DOCX working copy and the XLSX
// registers, so the three say the same words and numbers. ----

export interface AttestationHeadline {
  status: ReportAttestation['status'];
  /** "Unqualified attestation" / "Qualified attestation: 3 exceptions" / "Not ready to attest: not signed". */
  title: string;
  /** One sentence a board member can repeat. */
  sentence: string;
  /** Exception count per kind, in the engine's order, with the kind in words. */
  byKind: { kind: ReportExceptionKind; label: string; count: number }[];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The answer to "can our accountable executive attest, and if not, why not?" in words. */
export function attestationHeadline(model: ReportModel): AttestationHeadline {
  const { status, exceptions } = model.attestation;
  const byKind = ATTESTATION_EXCEPTION_KINDS.map((kind) => ({
    kind,
    label: ATTESTATION_EXCEPTION_KIND_LABELS[kind],
    count: exceptions.filter((e) => e.kind === kind).length,
  })).filter((k) => k.count > 0);
  const signer = model.accountability.signOff;
  if (status === 'unqualified') {
    return {
      status,
      title: 'Unqualified attestation',
      sentence: `${signer?.signerName ?? model.accountability.accountableIndividual} attested without exceptions on ${formatDate(signer?.signedAt ?? null)}.`,
      byKind,
    };
  }
  if (status === 'qualified') {
    return {
      status,
      title: `Qualified attestation: ${plural(exceptions.length, 'exception')}`,
      sentence: `${signer?.signerName ?? model.accountability.accountableIndividual} attested on ${formatDate(signer?.signedAt ?? null)}, acknowledging ${plural(exceptions.length, 'exception')} the board should know.`,
      byKind,
    };
  }
  return {
    status,
    title: 'Not ready to attest: not signed',
    sentence:
      exceptions.length === 0
        ? 'The hand-on-heart check finds nothing in the way; the accountable individual has not yet signed.'
        : `${plural(exceptions.length, 'matter')} must be resolved, or acknowledged as exceptions, before the accountable individual can sign.`,
    byKind,
  };
}

export interface TopRisk {
  number: string;
  title: string;
  owner: string | null;
  dueDate: string | null;
  priority: ReportAction['priority'];
  overdue: boolean;
  predictedUpliftPoints: number;
}

/**
 * The risks the board is asked to watch: open actions, P1 first, overdue before on-time within a
 * priority, then the largest predicted uplift, then the action's number (stable order).
 */
export function topRisks(model: ReportModel, limit = 5): TopRisk[] {
  return model.actions
    .filter((a) => OPEN_STATUSES.has(a.status))
    .map((a) => ({ a, overdue: isOverdue(a, model.issuedAt) }))
    .sort(
      (x, y) =>
        x.a.priority.localeCompare(y.a.priority) ||
        Number(y.overdue) - Number(x.overdue) ||
        y.a.predictedUpliftPoints - x.a.predictedUpliftPoints ||
        x.a.number.localeCompare(y.a.number, 'en', { numeric: true }),
    )
    .slice(0, limit)
    .map(({ a, overdue }) => ({
      number: a.number,
      title: a.title,
      owner: a.owner,
      dueDate: a.dueDate,
      priority: a.priority,
      overdue,
      predictedUpliftPoints: a.predictedUpliftPoints,
    }));
}

/**
 * The overall score's movement since the previous assessment, exactly as the engine labels it
 * (compareResults when the model carries it, else the score-only scoreMovement), with the previous
 * period's name; null for a first assessment.
 */
export function scoreChange(model: ReportModel): { movement: ScoreMovement; since: string } | null {
  if (!model.previous) return null;
  const movement = model.comparison?.overall ?? scoreMovement(model.previous.score, model.summary.score);
  const since = model.comparison?.previousLabel ?? model.trend.at(-1)?.label ?? formatDate(model.previous.assessedAt);
  return { movement, since };
}

/** The headline figures the box prints: the first `limit`, each with its period and dated source. */
export function headlineFigures(model: ReportModel, limit = 3): (ReportFigure & { source: string })[] {
  return model.figures.slice(0, limit).map((f) => ({ ...f, source: `${f.publisher}, ${f.period} (published ${formatPublished(f.publishedOn)})` }));
}

function formatPublished(publishedOn: string): string {
  return /^\d{4}$/.test(publishedOn) ? publishedOn : formatDate(publishedOn);
}

/** An attestation exception's kind in words ("Claim without counting evidence"), never the code. */
export function exceptionKindLabel(kind: ReportExceptionKind): string {
  return ATTESTATION_EXCEPTION_KIND_LABELS[kind];
}

/**
 * The human verify page for this report, with its id and results hash filled in, when the product's
 * public address was set explicitly; null otherwise (the report then says how to verify offline).
 */
export function verifyLink(model: ReportModel): string | null {
  const { publicUrl, resultsSha256 } = model.integrity;
  return publicUrl ? verifyPageUrl(publicUrl, model.reportId, resultsSha256) : null;
}

/**
 * How a reader checks the report, in the order they would do it. With a public address: open the
 * verify page (or scan the code) and give it the file. Without one: the offline checks only, never a
 * relative path that names no host.
 */
export function verificationSteps(model: ReportModel): string[] {
  const link = verifyLink(model);
  const offline = [
    'Compute the SHA-256 of this PDF exactly as received (for example: sha256sum report.pdf, or certutil -hashfile report.pdf SHA256 on Windows) and compare it with pdfSha256 in the manifest the issuer provides with the report.',
    "Check the manifest's Ed25519 signature with the issuer's public key (from the auditor's download, with the manifest and results JSON). A valid signature and an equal hash mean the file is genuine and unaltered.",
    'The signed results JSON, serialised canonically (RFC 8785), has the SHA-256 printed above as "Results SHA-256": every score in this report comes from it.',
  ];
  if (!link) return offline;
  return [
    `Open ${link} (or scan the code) and give the page this PDF file. It names the organisation, this report and its issue date, and says whether the file is unaltered. No sign-in is needed.`,
    ...offline,
  ];
}

// ---- The registers (issue 25 item 5): shared by the DOCX working copy and the XLSX registers. ----

/** Each evidence item once, in first-cited order, with the questions that cite it. */
export function evidenceRegister(model: ReportModel): { evidence: ReportQuestion['evidence'][number]; questionIds: string[] }[] {
  const byId = new Map<string, { evidence: ReportQuestion['evidence'][number]; questionIds: string[] }>();
  for (const q of model.questions) {
    for (const e of q.evidence) {
      const entry = byId.get(e.id);
      if (entry) {
        if (!entry.questionIds.includes(q.questionId)) entry.questionIds.push(q.questionId);
      } else byId.set(e.id, { evidence: e, questionIds: [q.questionId] });
    }
  }
  return [...byId.values()];
}

/** The register's short number for each piece of evidence ("E7", in first-cited order), by evidence id. */
export function evidenceNumbers(model: ReportModel): Map<string, string> {
  return new Map(evidenceRegister(model).map((r, i) => [r.evidence.id, `E${i + 1}`]));
}

const HORIZONS: ReportAction['horizon'][] = ['now', 'next', 'later'];

/** The remediation plan's order: per horizon, by due date, then priority, then action number, then model order. */
export function actionsByHorizon(model: ReportModel): { horizon: ReportAction['horizon']; actions: ReportAction[] }[] {
  return HORIZONS.map((horizon) => ({
    horizon,
    actions: model.actions
      .filter((a) => a.horizon === horizon)
      .map((a, index) => ({ a, index }))
      .sort(
        (x, y) =>
          (x.a.dueDate ?? '9999').localeCompare(y.a.dueDate ?? '9999') ||
          x.a.priority.localeCompare(y.a.priority) ||
          x.a.number.localeCompare(y.a.number, 'en', { numeric: true }) ||
          x.index - y.index,
      )
      .map(({ a }) => a),
  }));
}

/** The open action that covers a question soonest (critical controls' action, owner and due columns). */
export function coveringAction(model: ReportModel, questionId: string): ReportAction | null {
  const candidates = model.actions.filter((a) => a.questionIds.includes(questionId) && a.status !== 'done');
  candidates.sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.id.localeCompare(b.id));
  return candidates[0] ?? null;
}

/** An overall movement in the trend table's Change column, worded from the engine's label. */
export function movementText(m: ScoreMovement): string {
  if (m.delta === null) return '—';
  if (m.direction === 'unchanged') return '0 (unchanged)';
  if (m.direction === 'review_reset') return `${signed(m.delta)} (review reset)`;
  return signed(m.delta);
}

export interface TrendRow {
  label: string;
  assessedAt: string;
  bankVersion: string;
  score: number;
  band: ReportTrendPoint['band'];
  /** "—" for the first point; the engine's movement, "(bank changed)" when the bank version differs. */
  change: string;
}

/** Earlier assessments and this one, oldest first, each with its change from the one before. */
export function trendRows(model: ReportModel): TrendRow[] {
  const points: Omit<TrendRow, 'change'>[] = [
    ...model.trend,
    {
      label: model.assessment.periodLabel ? `This (${model.assessment.periodLabel})` : 'This assessment',
      assessedAt: model.assessment.scoredAsOf,
      score: model.summary.score,
      band: model.summary.band,
      bankVersion: model.bank.version,
    },
  ];
  return points.map((p, i) => {
    const prev = points[i - 1];
    const comparable = prev !== undefined && prev.bankVersion === p.bankVersion;
    const movement = i === points.length - 1 && model.comparison ? model.comparison.overall : prev ? scoreMovement(prev.score, p.score) : null;
    return {
      label: p.label,
      assessedAt: p.assessedAt,
      bankVersion: p.bankVersion,
      score: p.score,
      band: p.band,
      change: prev === undefined || movement === null ? '—' : `${movementText(movement)}${comparable ? '' : ' (bank changed)'}`,
    };
  });
}

export interface DomainMovements {
  previousLabel: string;
  /** Set when the previous assessment used another bank version: domains are then not compared. */
  previousBankVersion: string | null;
  /** Up to three most improved, three most deteriorated, then every review reset. */
  moved: DomainMovement[];
  reviewResetQuestionIds: string[];
  unchanged: string[];
  notComparable: string[];
}

/** The domains that moved since the latest earlier assessment, as the engine labels them; null for a first one. */
export function domainMovements(model: ReportModel): DomainMovements | null {
  const prev = model.trend[model.trend.length - 1];
  if (!prev) return null;
  const empty = { previousLabel: prev.label, moved: [], reviewResetQuestionIds: [], unchanged: [], notComparable: [] };
  if (prev.bankVersion !== model.bank.version) return { ...empty, previousBankVersion: prev.bankVersion };
  const moves: DomainMovement[] =
    model.comparison?.domains ??
    model.domains.map((d) => ({
      domainId: d.domainId,
      title: d.title,
      ...scoreMovement(prev.domainScores[d.domainId] ?? null, d.score),
      changedQuestionIds: [],
      reviewResetQuestionIds: [],
    }));
  const moved = moves.filter((x) => x.delta !== null && x.direction !== 'not_comparable');
  const improved = moved.filter((x) => x.direction === 'improved').sort((a, b) => (b.delta ?? 0) - (a.delta ?? 0)).slice(0, 3);
  const worse = moved.filter((x) => x.direction === 'deteriorated').sort((a, b) => (a.delta ?? 0) - (b.delta ?? 0)).slice(0, 3);
  const resets = moved.filter((x) => x.direction === 'review_reset');
  return {
    ...empty,
    previousBankVersion: null,
    moved: [...improved, ...worse, ...resets],
    reviewResetQuestionIds: [...new Set(resets.flatMap((x) => x.reviewResetQuestionIds))],
    unchanged: moved.filter((x) => x.direction === 'unchanged').map((d) => d.domainId),
    notComparable: moves.filter((x) => x.direction === 'not_comparable').map((d) => d.domainId),
  };
}

// ---- References as they stand for this organisation (issue 22 item 3): the PDF, the DOCX and the
// XLSX print the same groups: what applies first, voluntary ones as such, the rest collapsed. ----

export const REFERENCE_STATE_WORDS: Readonly<Record<ReportReferenceState, string>> = {
  applies: 'applies to you',
  voluntary: 'voluntary',
  condition_not_met: 'condition not met',
  not_in_force: 'not in force',
  elsewhere: 'another jurisdiction',
};

const citedAs = (r: ReportReference): string => `${REGIME_LABEL[r.regime].name} ${idText(r.id)}${r.verified ? '' : '\u00a0†'}`;

export interface ReferenceGroups {
  /** Applying measures (and, without states, everything cited), as printed. */
  applies: string[];
  voluntary: string[];
  /** Cited but not applying to this organisation, each with its state in words and the map's reason. */
  notApplying: { label: string; state: string; reason: string }[];
}

/** A question's references grouped for this organisation, in the bank's order within each group. */
export function referenceGroups(q: ReportQuestion): ReferenceGroups {
  const groups: ReferenceGroups = { applies: [], voluntary: [], notApplying: [] };
  for (const r of q.references) {
    if (r.state === undefined || r.state === 'applies') groups.applies.push(citedAs(r));
    else if (r.state === 'voluntary') groups.voluntary.push(citedAs(r));
    else groups.notApplying.push({ label: `${REGIME_LABEL[r.regime].name} ${idText(r.id)}`, state: REFERENCE_STATE_WORDS[r.state], reason: r.reason ?? '' });
  }
  return groups;
}

/** The lines of a references cell: applying ones, voluntary ones marked so, then one collapsed line for the rest. */
export function referenceLines(q: ReportQuestion): string[] {
  const { applies, voluntary, notApplying } = referenceGroups(q);
  return [
    ...applies,
    ...voluntary.map((v) => `${v} (voluntary)`),
    ...(notApplying.length > 0 ? [`Not applying to you: ${notApplying.map((n) => `${n.label} (${n.state})`).join('; ')}`] : []),
  ];
}

/**
 * What a new bank changed for the organisation since its previous assessment, one sentence per
 * published step ("1.1.0 → 1.2.0: 9 new questions apply to you (HASH-07, …); …"), so a score change
 * across it is read with its cause (issue 23 item 4). Empty when both used the same bank.
 */
export function bankChangeLines(model: ReportModel): string[] {
  const list = (ids: string[], limit = 8): string => (ids.length > limit ? `${ids.slice(0, limit).join(', ')} and ${ids.length - limit} more` : ids.join(', '));
  const count = (ids: string[], what: string): string => `${ids.length} ${what}${ids.length === 1 ? '' : 's'}`;
  const verb = (ids: string[], one: string, many: string): string => (ids.length === 1 ? one : many);
  return (model.bankChanges ?? []).map((step) => {
    const parts = [
      step.newApplying.length > 0 ? `${count(step.newApplying, 'new question')} ${verb(step.newApplying, 'applies', 'apply')} to you (${list(step.newApplying)})` : null,
      step.nowApplying.length > 0 ? `${count(step.nowApplying, 'question')} now ${verb(step.nowApplying, 'applies', 'apply')} (${list(step.nowApplying)})` : null,
      step.criticalityChanged.length > 0 ? `criticality changed on ${list(step.criticalityChanged)}` : null,
      step.noLongerApplying.length > 0 ? `${count(step.noLongerApplying, 'question')} no longer ${verb(step.noLongerApplying, 'applies', 'apply')} (${list(step.noLongerApplying)})` : null,
      step.referencesCorrected.length > 0 ? `references corrected on ${count(step.referencesCorrected, 'question')}` : null,
      step.retired.length > 0 ? `${count(step.retired, 'question')} retired (${list(step.retired)})` : null,
    ].filter((p): p is string => p !== null);
    return `Question bank ${step.from} → ${step.to}: ${parts.length > 0 ? parts.join('; ') : 'nothing that changes what applies to you'}.`;
  });
}

// ---- Text the PDF and the DOCX working copy print word for word: written once here. ----

export const REVIEW_TRIGGERS =
  'A significant change to the service (end-to-end encryption, livestreaming, generative AI, new discovery or ' +
  'monetisation features), a material incident, a new question-bank version or a change in the regulation snapshot.';

export const METHOD_LEAD =
  'This is a self-assessment, not legal advice and not a certification. It records what the organisation says about its own ' +
  'controls, with the evidence it chose to link; Hand on Heart does not inspect systems or content.';

/** The method and its limitations, one bullet each (docs/PRODUCT.md §4 states the rules). */
export function methodBullets(model: ReportModel): string[] {
  return [
    'Scale: maturity questions are answered 0–4 (0 not in place, 1 ad hoc, 2 defined, 3 implemented with evidence, 4 managed with metrics evidence); legal-duty questions are yes = 4, partial = 2, no = 0.',
    'Evidence caps: only accepted, unexpired evidence counts (no expiry date means 12 months from issue). A claim of 3 or more without counting evidence is capped at 2; a maturity claim of 4 without metrics evidence is capped at 3.',
    'Scores: item ratio = effective level ÷ 4 (unknown and unanswered count 0); domain score = weight-averaged item ratios × 100 (weights 1–3); overall score = mean of domain scores over domains with an applicable item.',
    'Not applicable: an item leaves the score only when the profile rules it out or a reviewer approved the justification; an N/A awaiting approval counts as 0.',
    'Bands on the unrounded score: Green ≥ 75 (ready), Amber ≥ 50 (partially ready), Red < 50 (not ready). Any applicable critical item at level 1 or below forces Red; at level 2 it caps at Amber, for the overall result and its domain.',
    'Confidence: “Reviewed” needs ≥ 80% of answers reviewed by someone other than their author and ≥ 60% of level-3+ claims evidenced; “Independently verified” needs sign-off and an auditor’s recorded verification; otherwise “Self-attested”.',
    `Reproducibility: scored by engine version ${model.bank.engineVersion} against ${model.bank.frameworkId} ${model.bank.version} (regulation snapshot ${formatDate(model.bank.regulationSnapshotDate)}). The same inputs give the same result.`,
    'Limitations: answers and evidence are the organisation’s own; regulatory references reflect the snapshot date and may since have changed; measures marked † are not yet confirmed against the primary text.',
    'The product never holds abusive imagery: evidence is policy, process and configuration documents or references, listed in the appendix by id and SHA-256 hash only, never by content.',
  ];
}

/** Where the "why this matters" figures come from; null when the model has none. */
export function figuresSourceNote(model: ReportModel): string | null {
  if (model.figures.length === 0) return null;
  return (
    `“Why this matters” figures come from the question bank (${model.bank.frameworkId} ${model.bank.version}), each with its period and dated source: ` +
    model.figures.map((f) => `${f.publisher} (${f.period}), ${f.url}`).join('; ') +
    '.'
  );
}

/** The integrity appendix's facts, label and value, in the order both documents print them. */
export function integrityFacts(model: ReportModel): [string, string][] {
  const { organisation, assessment, bank, integrity } = model;
  return [
    ['Organisation', organisation.name],
    ['Scope', organisation.scope],
    ['Services', organisation.services.map((s) => s.replaceAll('_', ' ')).join(', ') || '—'],
    ['Jurisdictions', organisation.jurisdictions.join(', ') || '—'],
    ['Assessment period', `${formatDate(assessment.periodStart)} – ${formatDate(assessment.periodEnd)}`],
    ['Scores as of', formatDateTime(assessment.scoredAsOf)],
    ['Question bank', `${bank.title} (${bank.frameworkId}), version ${bank.version}`],
    ['Regulation snapshot', formatDate(bank.regulationSnapshotDate)],
    ['Scoring engine', `version ${bank.engineVersion}`],
    ['Report ID', model.reportId],
    ['Assessment ID', assessment.id],
    ['Issued', formatDateTime(model.issuedAt)],
    ['Results SHA-256', integrity.resultsSha256],
    ['Signing key', integrity.keyId ?? 'assigned when the report is issued'],
  ];
}

/** One exposure-map row's words and counts, as both documents print it. */
export function exposureRow(
  e: ReportExposureEntry,
  jurisdiction: string,
  questions: ReportQuestion[],
): { regime: string; measure: string; applies: string; reason: string; counts: ExposureCounts } {
  const counts = exposureCounts(e, questions);
  // An obligation that applies with no question behind it must not read as zero gaps (issue 22).
  const uncovered = e.applies && counts.implemented + counts.partial + counts.notAddressed + counts.notApplicable === 0;
  return {
    regime: `${jurisdiction} · ${REGIME_LABEL[e.regime].name}`,
    measure: `${idText(e.id)}${e.verified ? '' : '\u00a0†'} ${e.title}`,
    applies: e.applies ? 'Applies' : 'Does not apply',
    reason: uncovered ? `${e.reason}. No question covers this yet.` : e.reason,
    counts,
  };
}
