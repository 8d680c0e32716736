import { CHANGE_LABEL, type DomainMovement, scoreMovement } from '@hoh/scoring-engine';

import { trendChart } from '../charts.js';
import { actionsByHorizon, attestationHeadline, bankChangeLines, capNote, coveringAction, trendRows, concernScore, criticalControls, exceptionKindLabel, exposureRow, isOverdue, topConcernQuestions, weakestDomains } from '../derive.js';
import {
  BAND_LABEL,
  formatDate,
  HORIZON_LABEL,
  idText,
  JURISDICTION_ORDER,
  levelText,
  PRIORITY_LABEL,
  REGIME_LABEL,
  round,
  signed,
  STATUS_LABEL,
} from '../format.js';
import { COLOR, CONTENT_W, type Layout, MARGIN_X, type TableRow } from '../layout.js';
import type { ReportModel, ReportQuestion } from '../model.js';

// Main body: critical controls and exceptions, areas of concern, trend. Appendices: exposure map, remediation plan.

const OVERDUE_FILL = '#fbe3e1';

function questionLabel(q: ReportQuestion): string {
  return `${idText(q.questionId)} ${q.text}`;
}

export function renderExposure(layout: Layout, model: ReportModel): void {
  layout.section('Appendix A — Regulatory exposure map', { newPage: true });
  layout.paragraph(
    `Which regimes and measures apply to ${model.organisation.name} and why, from the organisation profile. ` +
      'The counts give the status of the questions that cite each measure: Impl. = at or above target, ' +
      'Part. = in progress below target, Not = not addressed (level 0, unknown or unanswered), N/A = not applicable.',
    { size: 8.5, color: COLOR.muted },
  );
  const order = (j: string): number => {
    const i = JURISDICTION_ORDER.indexOf(j);
    return i < 0 ? JURISDICTION_ORDER.length : i;
  };
  const entries = model.exposure
    .map((e, index) => ({ e, index, jurisdiction: REGIME_LABEL[e.regime].jurisdiction }))
    .sort((a, b) => order(a.jurisdiction) - order(b.jurisdiction) || Number(b.e.applies) - Number(a.e.applies) || a.index - b.index);
  const rows: TableRow[] = entries.map(({ e, jurisdiction }) => {
    const row = exposureRow(e, jurisdiction, model.questions);
    const num = (n: number): { text: string; align: 'right' } => ({ text: String(n), align: 'right' });
    return {
      cells: [
        row.regime,
        row.measure,
        { text: row.applies, bold: e.applies },
        row.reason,
        num(row.counts.implemented),
        num(row.counts.partial),
        num(row.counts.notAddressed),
        num(row.counts.notApplicable),
      ],
    };
  });
  layout.table(
    [
      { header: 'Regime', width: 106 },
      { header: 'Measure', width: 114 },
      { header: 'Applies', width: 46 },
      { header: 'Why', width: 105 },
      { header: 'Impl.', width: 31, align: 'right' },
      { header: 'Part.', width: 31, align: 'right' },
      { header: 'Not', width: 31, align: 'right' },
      { header: 'N/A', width: 31.28, align: 'right' },
    ],
    rows,
    { size: 7.5 },
  );
  if (model.exposure.some((e) => !e.verified)) {
    layout.paragraph('† Measure id or wording not yet confirmed against the primary text for this bank version.', {
      size: 7.5,
      color: COLOR.muted,
    });
  }
}

/** What stands between the accountable executive and an unqualified attestation, in words. */
export function renderExceptions(layout: Layout, model: ReportModel): void {
  const headline = attestationHeadline(model);
  const { exceptions } = model.attestation;
  const signed = model.attestation.status !== 'not_signed';
  layout.section(signed ? 'Exceptions acknowledged at sign-off' : 'What stands between us and an unqualified attestation', { newPage: true });
  layout.paragraph(
    signed
      ? exceptions.length === 0
        ? 'The accountable individual signed without exceptions: the hand-on-heart check found nothing in the way.'
        : `${headline.sentence} Each is listed here in the signer’s words; the remediation plan (Appendix D) holds the actions that close them.`
      : exceptions.length === 0
        ? 'The hand-on-heart check finds nothing in the way; the accountable individual has not yet signed.'
        : `${headline.sentence} Each must be resolved, or acknowledged as an exception by the signer, for an attestation to be given.`,
    { size: 8.5, color: COLOR.muted },
  );
  if (exceptions.length > 0) {
    layout.table(
      [
        { header: 'Kind', width: 150 },
        { header: 'What', width: CONTENT_W - 150 },
      ],
      exceptions.map((e) => [{ text: exceptionKindLabel(e.kind), bold: true }, e.message]),
      { size: 8 },
    );
  }
}

export function renderCriticalControls(layout: Layout, model: ReportModel): void {
  layout.section('Critical controls', { keepWith: 120 });
  layout.paragraph(
    'Every critical (gating) control, most severe first. A critical control at level 1 or below forces the overall and ' +
      'domain band to Red; at level 2 it caps them at Amber. A critical gap can never be risk-accepted.',
    { size: 8.5, color: COLOR.muted },
  );
  const rows: TableRow[] = criticalControls(model.questions).map((q) => {
    const action = coveringAction(model, q.questionId);
    const counting = q.evidence.filter((e) => e.counts).length;
    const level = q.effectiveLevel ?? 0;
    const red = q.included && level <= 1;
    const overdue = action !== null && isOverdue(action, model.issuedAt);
    return {
      cells: [
        questionLabel(q),
        { text: q.included ? `${levelText(q.effectiveLevel)} / L${q.target}` : 'N/A', bold: red, nowrap: true },
        q.evidence.length === 0 ? 'None' : `${counting} of ${q.evidence.length} counting`,
        action ? `${action.number}\n${action.owner ?? 'Unassigned'}` : q.included && level < q.target ? 'No action' : '—',
        { text: action ? `${formatDate(action.dueDate)}${overdue ? '\nOVERDUE' : ''}` : '—', nowrap: true, bold: overdue },
        { text: capNote(q), bold: red },
      ],
      marker: red,
    };
  });
  layout.table(
    [
      { header: 'Control', width: 177 },
      { header: 'Level / target', width: 50 },
      { header: 'Evidence', width: 52 },
      { header: 'Action and owner', width: 74 },
      { header: 'Due', width: 64 },
      { header: 'Cap / reason', width: 78.28 },
    ],
    rows,
    { size: 7.5 },
  );
}

export function renderConcerns(layout: Layout, model: ReportModel): void {
  layout.section('Areas of concern', { keepWith: 160 });
  const domains = weakestDomains(model.domains, 5);
  layout.table(
    [
      { header: 'Domain', width: 200 },
      { header: 'Score', width: 45, align: 'right' },
      { header: 'Band', width: 55 },
      { header: 'Level / target', width: 75 },
      { header: 'Capped by', width: 120.28 },
    ],
    domains.map((d) => [
      `${d.domainId} · ${d.title}`,
      { text: d.score === null ? '—' : round(d.score), bold: true },
      d.band ? BAND_LABEL[d.band] : '—',
      `${levelText(d.achievedLevel)} / ${levelText(d.targetLevel)}`,
      d.cappedBy.join(', ') || '—',
    ]),
    { caption: 'Five weakest domains', size: 7.5 },
  );
  const questions = topConcernQuestions(model.questions, 10);
  layout.table(
    [
      { header: 'Question', width: 260 },
      { header: 'Weight', width: 40, align: 'right' },
      { header: 'Level / target', width: 60 },
      { header: 'Gap', width: 35, align: 'right' },
      { header: 'Weight × gap', width: 50, align: 'right' },
      { header: 'Uplift (pts)', width: 50.28, align: 'right' },
    ],
    questions.map((q) => [
      `${questionLabel(q)}${q.critical ? ' (critical)' : ''}`,
      String(q.weight),
      `${levelText(q.effectiveLevel ?? 0)} / L${q.target}`,
      String(q.gap),
      { text: String(concernScore(q)), bold: true },
      signed(q.upliftPoints, 1),
    ]),
    { caption: 'Ten questions with the largest weighted gap', size: 7.5 },
  );
}

export function renderRemediation(layout: Layout, model: ReportModel): void {
  layout.section('Appendix D — Remediation plan', { newPage: true });
  const overdue = model.actions.filter((a) => isOverdue(a, model.issuedAt));
  const open = model.actions.filter((a) => a.status === 'open' || a.status === 'in_progress' || a.status === 'blocked');
  layout.paragraph(
    `${model.actions.length} actions: ${open.length} open, ${model.actions.filter((a) => a.status === 'done').length} done, ` +
      `${model.actions.filter((a) => a.status === 'risk_accepted').length} risk-accepted; ${overdue.length} overdue as of ${formatDate(model.issuedAt)}. ` +
      'Overdue rows are shaded, marked with a bar at the left edge and labelled OVERDUE. Uplift is the predicted gain in overall score points.',
    { size: 8.5, color: COLOR.muted },
  );
  // The same order as the DOCX working copy (derive.ts).
  for (const { horizon, actions } of actionsByHorizon(model)) {
    const rows: TableRow[] = actions.map((a) => {
      const late = isOverdue(a, model.issuedAt);
      return {
        cells: [
          { text: a.number, bold: true, nowrap: true },
          a.title,
          a.owner ?? 'Unassigned',
          { text: formatDate(a.dueDate), bold: late, nowrap: true },
          { text: PRIORITY_LABEL[a.priority], nowrap: true },
          { text: late ? `OVERDUE\n${STATUS_LABEL[a.status]}` : STATUS_LABEL[a.status], bold: late },
          a.questionIds.map(idText).join('\n'),
          { text: signed(a.predictedUpliftPoints, 1), align: 'right' },
        ],
        ...(late ? { fill: OVERDUE_FILL, marker: true } : {}),
      };
    });
    layout.table(
      [
        { header: 'Action', width: 38 },
        { header: 'What', width: 142 },
        { header: 'Owner', width: 78 },
        { header: 'Due', width: 62 },
        { header: 'Pri.', width: 28 },
        { header: 'Status', width: 54 },
        { header: 'Questions', width: 54 },
        { header: 'Uplift', width: 39.28, align: 'right' },
      ],
      rows,
      { caption: `${HORIZON_LABEL[horizon]} — ${actions.length} action${actions.length === 1 ? '' : 's'}`, size: 7.5 },
    );
  }
}

export function renderTrend(layout: Layout, model: ReportModel): void {
  layout.section('Trend against earlier assessments', { newPage: true });
  // Earlier assessments and this one with their changes, as the DOCX prints them (derive.ts).
  const points = trendRows(model);
  if (model.trend.length === 0) {
    layout.paragraph('This is the first assessment; the trend starts with it.', { size: 9 });
  }
  const alt = `Line chart of the overall score by assessment: ${points.map((p) => `${p.label} ${round(p.score)} ${BAND_LABEL[p.band]}`).join('; ')}. The same values are in the table below.`;
  layout.figure(alt, 180, () =>
    trendChart(
      layout,
      MARGIN_X,
      CONTENT_W,
      points.map((p) => ({ label: p.label, value: p.score, band: p.band })),
    ),
  );
  layout.table(
    [
      { header: 'Assessment', width: 150 },
      { header: 'Scored as of', width: 85 },
      { header: 'Bank version', width: 75 },
      { header: 'Score', width: 50, align: 'right' },
      { header: 'Band', width: 60 },
      { header: 'Change', width: 75.28, align: 'right' },
    ],
    points.map((p) => [p.label, formatDate(p.assessedAt), p.bankVersion, { text: round(p.score), bold: true }, BAND_LABEL[p.band], p.change]),
    { size: 7.5 },
  );

  const prev = model.trend[model.trend.length - 1];
  if (!prev) return;
  if (prev.bankVersion !== model.bank.version) {
    layout.paragraph(
      `Domain changes are not compared: the previous assessment used bank version ${prev.bankVersion}, this one ${model.bank.version}.`,
      { size: 8.5, color: COLOR.muted },
    );
    // Part of the change comes from the bank: say what it changed for this organisation.
    const lines = bankChangeLines(model);
    if (lines.length > 0) {
      layout.subheading('What the new question bank changed for you', 40);
      layout.bullets(lines, { size: 8.5 });
    }
    return;
  }
  // The engine's movements (issue 24): labels and deltas are printed as computed, never re-derived
  // here, so a change of 0 is "Unchanged" and a reset review is not a deterioration.
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
  const improved = moved.filter((x) => x.direction === 'improved').sort((a, b) => b.delta! - a.delta!).slice(0, 3);
  const worse = moved.filter((x) => x.direction === 'deteriorated').sort((a, b) => a.delta! - b.delta!).slice(0, 3);
  const resets = moved.filter((x) => x.direction === 'review_reset');
  const unchanged = moved.filter((x) => x.direction === 'unchanged');
  const notComparable = moves.filter((x) => x.direction === 'not_comparable');
  const row = (x: DomainMovement) => [
    `${CHANGE_LABEL[x.direction]} · ${x.domainId} ${x.title}`,
    x.before === null ? '—' : round(x.before),
    x.after === null ? '—' : round(x.after),
    { text: x.delta === 0 ? '0' : signed(x.delta!), bold: true },
  ];
  const rows = [...improved.map(row), ...worse.map(row), ...resets.map(row)];
  if (rows.length > 0) {
    layout.table(
      [
        { header: 'Domain', width: 240 },
        { header: prev.label, width: 80, align: 'right' },
        { header: 'This', width: 80, align: 'right' },
        { header: 'Change', width: 95.28, align: 'right' },
      ],
      rows,
      { caption: `Domains that moved since ${prev.label}`, size: 7.5 },
    );
  }
  if (resets.length > 0) {
    const ids = [...new Set(resets.flatMap((x) => x.reviewResetQuestionIds))];
    layout.paragraph(
      `Review reset: ${ids.join(', ')} ${ids.length === 1 ? 'is an N/A' : 'are N/As'} carried over from ${prev.label} and awaiting approval again (reviews start over each year). The answers are unchanged; the score returns when a reviewer approves ${ids.length === 1 ? 'it' : 'them'}.`,
      { size: 8, color: COLOR.muted },
    );
  }
  if (unchanged.length > 0) {
    layout.paragraph(`Unchanged since ${prev.label}: ${unchanged.map((d) => d.domainId).join(', ')}.`, { size: 8, color: COLOR.muted });
  }
  if (notComparable.length > 0) {
    layout.paragraph(`Not comparable (no score in one of the two assessments): ${notComparable.map((d) => d.domainId).join(', ')}.`, {
      size: 8,
      color: COLOR.muted,
    });
  }
}
