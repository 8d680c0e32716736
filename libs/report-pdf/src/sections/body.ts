import { CHANGE_LABEL, type DomainMovement, scoreMovement, type ScoreMovement } from '@hoh/scoring-engine';

import { bandChip, barChart, legend, meter, trendChart } from '../charts.js';
import { capNote, concernScore, criticalControls, exposureCounts, isOverdue, topConcernQuestions, weakestDomains } from '../derive.js';
import {
  BAND_LABEL,
  formatDate,
  HORIZON_LABEL,
  JURISDICTION_ORDER,
  levelText,
  PRIORITY_LABEL,
  REGIME_LABEL,
  round,
  signed,
  STATUS_LABEL,
} from '../format.js';
import { COLOR, CONTENT_W, type Layout, MARGIN_X, type TableRow } from '../layout.js';
import type { ReportAction, ReportHorizon, ReportModel, ReportQuestion } from '../model.js';

// Exposure map, critical controls, domain chart and heatmap, areas of concern, remediation, trend.

const OVERDUE_FILL = '#fbe3e1';

function questionLabel(q: ReportQuestion): string {
  return `${q.questionId} ${q.text}`;
}

export function renderExposure(layout: Layout, model: ReportModel): void {
  layout.section('Regulatory exposure map', { newPage: true });
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
    const c = exposureCounts(e, model.questions);
    const num = (n: number): { text: string; align: 'right' } => ({ text: String(n), align: 'right' });
    // An obligation that applies with no question behind it must not read as zero gaps (issue 22).
    const uncovered = e.applies && c.implemented + c.partial + c.notAddressed + c.notApplicable === 0;
    return {
      cells: [
        `${jurisdiction} · ${REGIME_LABEL[e.regime].name}`,
        `${e.id}${e.verified ? '' : ' †'} ${e.title}`,
        { text: e.applies ? 'Applies' : 'Does not apply', bold: e.applies },
        uncovered ? `${e.reason}. No question covers this yet.` : e.reason,
        num(c.implemented),
        num(c.partial),
        num(c.notAddressed),
        num(c.notApplicable),
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

/** The open action that covers a question soonest, for owner and date columns. */
function actionFor(model: ReportModel, questionId: string): ReportAction | null {
  const candidates = model.actions.filter((a) => a.questionIds.includes(questionId) && a.status !== 'done');
  candidates.sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.id.localeCompare(b.id));
  return candidates[0] ?? null;
}

export function renderCriticalControls(layout: Layout, model: ReportModel): void {
  layout.section('Critical controls', { newPage: true });
  layout.paragraph(
    'Every critical (gating) control, most severe first. A critical control at level 1 or below forces the overall and ' +
      'domain band to Red; at level 2 it caps them at Amber. A critical gap can never be risk-accepted.',
    { size: 8.5, color: COLOR.muted },
  );
  const rows: TableRow[] = criticalControls(model.questions).map((q) => {
    const action = actionFor(model, q.questionId);
    const counting = q.evidence.filter((e) => e.counts).length;
    const level = q.effectiveLevel ?? 0;
    const red = q.included && level <= 1;
    const overdue = action !== null && isOverdue(action, model.issuedAt);
    return {
      cells: [
        questionLabel(q),
        { text: q.included ? `${levelText(q.effectiveLevel)} / L${q.target}` : 'N/A', bold: red },
        q.evidence.length === 0 ? 'None' : `${counting} of ${q.evidence.length} counting`,
        action?.owner ?? (q.included && level < q.target ? 'Unassigned' : '—'),
        action ? `${formatDate(action.dueDate)}${overdue ? ' OVERDUE' : ''}` : '—',
        { text: capNote(q), bold: red },
      ],
      marker: red,
    };
  });
  layout.table(
    [
      { header: 'Control', width: 183 },
      { header: 'Level / target', width: 52 },
      { header: 'Evidence', width: 58 },
      { header: 'Owner', width: 68 },
      { header: 'Due', width: 56 },
      { header: 'Cap / reason', width: 78.28 },
    ],
    rows,
    { size: 7.5 },
  );
}

export function renderDomains(layout: Layout, model: ReportModel): void {
  layout.section('Domain scores and heatmap', { keepWith: 260 });
  legend(layout, MARGIN_X, layout.y);
  layout.y += 16;
  barChart(
    layout,
    MARGIN_X,
    CONTENT_W,
    model.domains.map((d) => ({ label: `${d.domainId} · ${d.title}`, value: d.score, band: d.band })),
  );

  // Heatmap: one row per domain; every cell carries its value as text, the pattern only reinforces it.
  const cols = [
    { header: 'Domain', w: 190 },
    { header: 'Score', w: 36 },
    { header: 'Band', w: 58 },
    { header: 'Level / target', w: 62 },
    { header: 'Evidence coverage', w: 88 },
    { header: 'Capped by', w: 61.28 },
  ];
  const rowH = 17;
  const drawHeader = (): void => {
    layout.box(MARGIN_X, layout.y, CONTENT_W, rowH, COLOR.headerFill);
    let x = MARGIN_X;
    for (const c of cols) {
      layout.lineAt(c.header, x + 4, layout.y + 4.5, c.w - 8, { size: 7.5, bold: true });
      x += c.w;
    }
    layout.y += rowH;
  };
  // Keep the heatmap on one page when it fits on one.
  layout.ensure(Math.min(rowH * (model.domains.length + 1), rowH * 30));
  drawHeader();
  model.domains.forEach((d, i) => {
    if (layout.ensure(rowH)) drawHeader();
    const top = layout.y;
    if (i % 2 === 1) layout.box(MARGIN_X, top, CONTENT_W, rowH, COLOR.faint);
    let x = MARGIN_X;
    const [c0, c1, c2, c3, c4, c5] = cols.map((c) => c.w) as [number, number, number, number, number, number];
    layout.lineAt(`${d.domainId} · ${d.title}`, x + 4, top + 4.5, c0 - 8, { size: 7.5 });
    x += c0;
    layout.lineAt(d.score === null ? '—' : round(d.score), x + 4, top + 4.5, c1 - 8, { size: 7.5, bold: true, align: 'right' });
    x += c1;
    bandChip(layout, x + 4, top + 3.5, d.band, 7);
    x += c2;
    layout.lineAt(`${levelText(d.achievedLevel)} / ${levelText(d.targetLevel)}`, x + 4, top + 4.5, c3 - 8, { size: 7.5 });
    x += c3;
    meter(layout, x + 4, top + 5.5, c4 - 40, d.evidenceCoveragePct);
    layout.lineAt(`${round(d.evidenceCoveragePct)}%`, x + c4 - 34, top + 4.5, 30, { size: 7.5, align: 'right' });
    x += c4;
    layout.lineAt(d.cappedBy.join(', ') || '—', x + 4, top + 4.5, c5 - 8, { size: 7.5 });
    layout.doc.moveTo(MARGIN_X, top + rowH).lineTo(MARGIN_X + CONTENT_W, top + rowH).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
    layout.y = top + rowH;
  });
  layout.gap(6);
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

const HORIZONS: ReportHorizon[] = ['now', 'next', 'later'];

export function renderRemediation(layout: Layout, model: ReportModel): void {
  layout.section('Remediation plan', { newPage: true });
  const overdue = model.actions.filter((a) => isOverdue(a, model.issuedAt));
  const open = model.actions.filter((a) => a.status === 'open' || a.status === 'in_progress' || a.status === 'blocked');
  layout.paragraph(
    `${model.actions.length} actions: ${open.length} open, ${model.actions.filter((a) => a.status === 'done').length} done, ` +
      `${model.actions.filter((a) => a.status === 'risk_accepted').length} risk-accepted; ${overdue.length} overdue as of ${formatDate(model.issuedAt)}. ` +
      'Overdue rows are shaded, marked with a bar at the left edge and labelled OVERDUE. Uplift is the predicted gain in overall score points.',
    { size: 8.5, color: COLOR.muted },
  );
  for (const horizon of HORIZONS) {
    const actions = model.actions
      .filter((a) => a.horizon === horizon)
      .map((a, index) => ({ a, index }))
      .sort((x, y) => (x.a.dueDate ?? '9999').localeCompare(y.a.dueDate ?? '9999') || x.a.priority.localeCompare(y.a.priority) || x.index - y.index)
      .map(({ a }) => a);
    const rows: TableRow[] = actions.map((a) => {
      const late = isOverdue(a, model.issuedAt);
      return {
        cells: [
          a.id,
          a.title,
          a.owner ?? 'Unassigned',
          { text: formatDate(a.dueDate), bold: late },
          PRIORITY_LABEL[a.priority],
          { text: late ? `OVERDUE · ${STATUS_LABEL[a.status]}` : STATUS_LABEL[a.status], bold: late },
          a.questionIds.join(', '),
          { text: signed(a.predictedUpliftPoints, 1), align: 'right' },
        ],
        ...(late ? { fill: OVERDUE_FILL, marker: true } : {}),
      };
    });
    layout.table(
      [
        { header: 'ID', width: 44 },
        { header: 'Action', width: 150 },
        { header: 'Owner', width: 70 },
        { header: 'Due', width: 54 },
        { header: 'Pri.', width: 24 },
        { header: 'Status', width: 58 },
        { header: 'Questions', width: 62 },
        { header: 'Uplift', width: 33.28, align: 'right' },
      ],
      rows,
      { caption: `${HORIZON_LABEL[horizon]} — ${actions.length} action${actions.length === 1 ? '' : 's'}`, size: 7.5 },
    );
  }
}

/** An overall movement in the trend table's narrow Change column, worded from the engine's label. */
function changeText(m: ScoreMovement): string {
  if (m.delta === null) return '—';
  if (m.direction === 'unchanged') return '0 (unchanged)';
  if (m.direction === 'review_reset') return `${signed(m.delta)} (review reset)`;
  return signed(m.delta);
}

export function renderTrend(layout: Layout, model: ReportModel): void {
  layout.section('Trend against earlier assessments', { newPage: true });
  const current = {
    assessmentId: model.assessment.id,
    label: model.assessment.periodLabel ? `This (${model.assessment.periodLabel})` : 'This assessment',
    assessedAt: model.assessment.scoredAsOf,
    score: model.summary.score,
    band: model.summary.band,
    bankVersion: model.bank.version,
    domainScores: Object.fromEntries(model.domains.map((d) => [d.domainId, d.score])),
  };
  const points = [...model.trend, current];
  if (model.trend.length === 0) {
    layout.paragraph('This is the first assessment; the trend starts with it.', { size: 9 });
  }
  trendChart(
    layout,
    MARGIN_X,
    CONTENT_W,
    points.map((p) => ({ label: p.label, value: p.score, band: p.band })),
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
    points.map((p, i) => {
      const prev = points[i - 1];
      const comparable = prev !== undefined && prev.bankVersion === p.bankVersion;
      return [
        p.label,
        formatDate(p.assessedAt),
        p.bankVersion,
        { text: round(p.score), bold: true },
        BAND_LABEL[p.band],
        prev === undefined ? '—' : `${changeText(i === points.length - 1 && model.comparison ? model.comparison.overall : scoreMovement(prev.score, p.score))}${comparable ? '' : ' (bank changed)'}`,
      ];
    }),
    { size: 7.5 },
  );

  const prev = model.trend[model.trend.length - 1];
  if (!prev) return;
  if (prev.bankVersion !== model.bank.version) {
    layout.paragraph(
      `Domain changes are not compared: the previous assessment used bank version ${prev.bankVersion}, this one ${model.bank.version}.`,
      { size: 8.5, color: COLOR.muted },
    );
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
