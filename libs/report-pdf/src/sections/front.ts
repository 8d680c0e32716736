import { bandSwatch, barChart, legend, meter } from '../charts.js';
import { attestationHeadline, headlineFigures, isCriticalGap, scoreChange, topRisks } from '../derive.js';
import { BAND_LABEL, BAND_MEANING, CONFIDENCE_LABEL, formatDate, levelText, PRIORITY_LABEL, round, signed } from '../format.js';
import { COLOR, CONTENT_BOTTOM, CONTENT_W, type Layout, MARGIN_X, type TableRow } from '../layout.js';
import type { ReportBand, ReportModel } from '../model.js';

// The answer first (issue 25): page 1 says whether the accountable executive can attest, the
// numbers behind it, what the board is asked to decide and the risks it should watch; page 2 is the
// domain heatmap. Everything else follows as detail.

const STATUS_FILL = { unqualified: '#e7f2e8', qualified: '#fdf4dc', not_signed: '#fdecea' } as const;
const STATUS_BAR = { unqualified: '#2b5c33', qualified: '#7a5c12', not_signed: COLOR.alert } as const;
/** Light band tints for heatmap cells: the band is also printed in words and shown by the swatch's pattern. */
export const BAND_TINT: Record<ReportBand, string> = { green: '#e3f1e4', amber: '#fcf0cc', red: '#f8dcda' };

/** "+4 points since FY2025 (62 Amber → 66 Amber)", worded from the engine's movement label. */
export function changeSentence(model: ReportModel): { value: string; note: string } {
  const change = scoreChange(model);
  const previous = model.previous;
  if (!change || !previous) return { value: 'First', note: 'first assessment: nothing to compare' };
  const { movement, since } = change;
  const value = movement.direction === 'unchanged' ? 'Unchanged' : movement.delta === null ? '—' : `${signed(movement.delta)} pts`;
  const from = `${round(previous.score)} ${BAND_LABEL[previous.band]} → ${round(model.summary.score)} ${BAND_LABEL[model.summary.band]}`;
  const why = movement.direction === 'review_reset' ? '; review reset: answers unchanged' : '';
  return { value, note: `since ${since}: ${from}${why}` };
}

export function renderBoardSummary(layout: Layout, model: ReportModel): void {
  layout.addPage();
  const { organisation, assessment, summary } = model;
  layout.within('P', () => {
    layout.textAt('BOARD REPORT · CSAM PREVENTION SELF-ASSESSMENT', MARGIN_X, layout.y, CONTENT_W, { size: 8, bold: true, color: COLOR.muted });
  });
  layout.y += 13;
  const name = layout.fitText(organisation.name, CONTENT_W, 40, { size: 15, bold: true, color: COLOR.brand });
  layout.within('H1', () => {
    layout.y += layout.textAt(name, MARGIN_X, layout.y, CONTENT_W, { size: 15, bold: true, color: COLOR.brand }) + 2;
  });
  layout.doc.outline.addItem('Board summary');
  const period = `Assessment period ${formatDate(assessment.periodStart)} – ${formatDate(assessment.periodEnd)} · issued ${formatDate(model.issuedAt)} · report ${model.reportId}`;
  layout.within('P', () => {
    layout.y += layout.textAt(period, MARGIN_X, layout.y, CONTENT_W, { size: 8.5, color: COLOR.muted }) + 8;
  });

  // The answer: can the accountable executive attest?
  layout.begin('Sect');
  const headline = attestationHeadline(model);
  const pad = 10;
  const inner = CONTENT_W - 2 * pad - 6;
  const kinds = headline.byKind.map((k) => `${k.count} × ${k.label}`).join(' · ');
  const titleStyle = { size: 15, bold: true } as const;
  const h =
    layout.measure(headline.title, inner, titleStyle) +
    4 +
    layout.measure(headline.sentence, inner, { size: 9.5 }) +
    (kinds ? 4 + layout.measure(kinds, inner, { size: 8.5 }) : 0) +
    2 * pad;
  const top = layout.y;
  layout.box(MARGIN_X, top, CONTENT_W, h, STATUS_FILL[headline.status], COLOR.rule);
  layout.box(MARGIN_X, top, 6, h, STATUS_BAR[headline.status]);
  let y = top + pad;
  layout.within('H2', () => {
    y += layout.textAt(headline.title, MARGIN_X + pad + 6, y, inner, titleStyle) + 4;
  });
  layout.within('P', () => {
    y += layout.textAt(headline.sentence, MARGIN_X + pad + 6, y, inner, { size: 9.5 });
  });
  if (kinds) {
    layout.within('P', () => {
      layout.textAt(kinds, MARGIN_X + pad + 6, y + 4, inner, { size: 8.5, color: COLOR.ink });
    });
  }
  layout.y = top + h + 10;
  layout.end('Sect');

  // Four tiles: band, score, confidence, change since last year. Tagged as a one-row table.
  const change = changeSentence(model);
  const criticalGaps = model.questions.filter(isCriticalGap).length;
  const tiles: { label: string; value: string; note: string; band?: ReportBand }[] = [
    { label: 'Readiness band', value: BAND_LABEL[summary.band], note: `${BAND_MEANING[summary.band]}${criticalGaps > 0 ? `; ${criticalGaps} critical gap${criticalGaps === 1 ? '' : 's'}` : ''}`, band: summary.band },
    { label: 'Overall score', value: `${round(summary.score)} / 100`, note: summary.band !== summary.rawBand ? `score alone is ${BAND_LABEL[summary.rawBand]}; capped by critical controls` : 'weighted mean of domains' },
    {
      label: 'Confidence',
      value: CONFIDENCE_LABEL[summary.confidence.label],
      note: `${round(summary.confidence.evidencePct)}% evidenced, ${round(summary.confidence.reviewedPct)}% reviewed by another`,
    },
    { label: 'Trend', value: change.value, note: change.note },
  ];
  const tileW = (CONTENT_W - 3 * 8) / 4;
  const tileH = 68;
  const tilesTop = layout.y;
  // Tagged as a table: a row of headers (the labels) over a row of values with their notes.
  layout.begin('Table', { title: 'Headline numbers' });
  const tileX = (i: number): number => MARGIN_X + i * (tileW + 8);
  tiles.forEach((_, i) => layout.box(tileX(i), tilesTop, tileW, tileH, COLOR.faint, COLOR.rule));
  layout.within('TR', () => {
    tiles.forEach((t, i) => {
      layout.within('TH', () => layout.lineAt(t.label.toUpperCase(), tileX(i) + 8, tilesTop + 7, tileW - 16, { size: 7, bold: true, color: COLOR.muted }), {
        scope: 'Column',
      });
    });
  });
  layout.begin('TR');
  tiles.forEach((t, i) => {
    const x = tileX(i);
    layout.begin('TD');
    let valueX = x + 8;
    if (t.band) {
      const band = t.band;
      layout.artifact(() => bandSwatch(layout, x + 8, tilesTop + 21, 14, 14, band));
      valueX += 20;
    }
    const valueW = x + tileW - 8 - valueX;
    // The largest size at which the value fits on one line; long labels ("Independently verified") shrink.
    let valueSize = 15;
    while (valueSize > 8 && layout.widthOf(t.value, { size: valueSize, bold: true }) > valueW) valueSize -= 1;
    layout.lineAt(t.value, valueX, tilesTop + 21 + (15 - valueSize) / 2, valueW, { size: valueSize, bold: true });
    // Three lines fit under the value inside the tile: the trend's cause must never be cut off.
    const note = layout.fitText(t.note, tileW - 16, 3 * layout.lineHeight({ size: 6.5 }), { size: 6.5 });
    layout.textAt(note, x + 8, tilesTop + 41, tileW - 16, { size: 6.5, color: COLOR.muted });
    layout.end('TD');
  });
  layout.end('TR');
  layout.end('Table');
  layout.y = tilesTop + tileH + 6;

  // Figures box anchored to the foot of the page; decisions and risks share what is above it.
  const figures = headlineFigures(model, 3);
  const boxPad = 9;
  const boxInner = CONTENT_W - 2 * boxPad;
  const figureH = (f: { statement: string; source: string }): number =>
    layout.measure(f.statement, boxInner - 12, { size: 8.5 }) + layout.measure(f.source, boxInner - 12, { size: 7 }) + 4;
  const whyH = figures.length === 0 ? 0 : layout.measure('Why this matters', boxInner, { size: 10, bold: true }) + 4 + figures.reduce((s, f) => s + figureH(f), 0) + 2 * boxPad;
  const boxTop = CONTENT_BOTTOM - whyH;

  layout.begin('Sect');
  layout.subheading('Decisions asked of the board', 30);
  const decisions = summary.boardDecisions.length > 0 ? summary.boardDecisions.slice(0, 3) : ['Note the report; no decision is requested.'];
  layout.bullets(decisions, { size: 9.5 }, 'number', 36);
  if (summary.boardDecisions.length > 3) {
    layout.paragraph(`${summary.boardDecisions.length - 3} further decision(s) are listed under Accountability and sign-off.`, { size: 8, color: COLOR.muted }, 2);
  }
  layout.end('Sect');

  layout.begin('Sect');
  layout.subheading('Top risks the board should watch', 50);
  const risks = topRisks(model, 5);
  // As many rows as fit above the figures box (a row is at most two lines).
  const rowBudget = Math.max(1, Math.floor((boxTop - layout.y - 34) / 26));
  const shown = risks.slice(0, rowBudget);
  const rows: TableRow[] = shown.map((r) => ({
    cells: [
      { text: r.number, bold: true, nowrap: true },
      layout.fitText(r.title, 215 - 8, 2 * layout.lineHeight({ size: 8 }), { size: 8 }),
      layout.fitText(r.owner ?? 'Unassigned', 100 - 8, 2 * layout.lineHeight({ size: 8 }), { size: 8 }),
      { text: `${formatDate(r.dueDate)}${r.overdue ? '\nOVERDUE' : ''}`, bold: r.overdue },
      { text: PRIORITY_LABEL[r.priority], nowrap: true },
    ],
    ...(r.overdue ? { marker: true, fill: '#fbe3e1' } : {}),
  }));
  layout.table(
    [
      { header: 'Action', width: 46, nowrap: true },
      { header: 'Risk and the action that closes it', width: 215 },
      { header: 'Owner', width: 100 },
      { header: 'Due', width: 84 },
      { header: 'Priority', width: 50.28, nowrap: true },
    ],
    rows,
    { size: 8 },
  );
  if (risks.length === 0) layout.paragraph('No open actions.', { size: 8.5, color: COLOR.muted });
  layout.paragraph(
    `Open actions in priority order, overdue first. The full plan is in Appendix D (${model.actions.length} actions).`,
    { size: 7.5, color: COLOR.muted },
    2,
  );
  layout.end('Sect');

  // The assessor's own summary, in what room is left above the figures.
  const narrative = summary.narrative.slice(0, 3).join(' ');
  // Below the subheading (a 6 pt gap and one 11 pt line) and 6 pt clear of the box.
  const room = boxTop - 6 - layout.y - 6 - layout.lineHeight({ size: 11, bold: true }) - 4;
  if (narrative && room >= 24) {
    layout.begin('Sect');
    layout.subheading('In the assessor’s words', 20);
    const fitted = layout.fitText(narrative, CONTENT_W, room, { size: 9 });
    layout.within('P', () => {
      layout.y += layout.textAt(fitted, MARGIN_X, layout.y, CONTENT_W, { size: 9 }) + 4;
    });
    layout.end('Sect');
  }

  if (figures.length > 0 && boxTop >= layout.y) {
    layout.begin('Sect');
    layout.box(MARGIN_X, boxTop, CONTENT_W, whyH, '#eef2f7', COLOR.brand);
    let fy = boxTop + boxPad;
    layout.within('H2', () => {
      fy += layout.textAt('Why this matters', MARGIN_X + boxPad, fy, boxInner, { size: 10, bold: true, color: COLOR.brand }) + 4;
    });
    layout.begin('L');
    for (const f of figures) {
      layout.begin('LI');
      const at = fy;
      layout.within('Lbl', () => layout.lineAt('•', MARGIN_X + boxPad, at, 10, { size: 8.5 }));
      layout.begin('LBody');
      fy += layout.textAt(f.statement, MARGIN_X + boxPad + 12, fy, boxInner - 12, { size: 8.5 });
      fy += layout.textAt(`Source: ${f.source}.`, MARGIN_X + boxPad + 12, fy, boxInner - 12, { size: 7, color: COLOR.muted }) + 4;
      layout.end('LBody');
      layout.end('LI');
    }
    layout.end('L');
    layout.end('Sect');
  }
  layout.y = CONTENT_BOTTOM;
}

/** The one-page heatmap: each domain's score and band, level against target and evidence coverage. */
export function renderHeatmap(layout: Layout, model: ReportModel): void {
  layout.section('Domain heatmap', { newPage: true });
  layout.paragraph(
    'Every domain at a glance. Each cell says its value in words as well as in colour and pattern, so the page reads the same in greyscale: ' +
      'solid = Green (ready, 75 or more), diagonal hatch = Amber (partially ready, 50 or more), cross-hatch = Red (not ready, below 50). ' +
      'A critical control at level 1 or below forces a domain to Red; at level 2 it caps it at Amber.',
    { size: 8.5, color: COLOR.muted },
  );
  const alt =
    'Bar chart of domain scores out of 100: ' +
    model.domains.map((d) => `${d.domainId} ${d.title} ${d.score === null ? 'not applicable' : `${round(d.score)} ${d.band ? BAND_LABEL[d.band] : ''}`}`).join('; ') +
    '. The same values are in the table below.';
  const chartH = model.domains.length * 17 + 22 + 16 + 16;
  layout.figure(alt, chartH + 10, () => {
    legend(layout, MARGIN_X, layout.y);
    layout.y += 16;
    barChart(
      layout,
      MARGIN_X,
      CONTENT_W,
      model.domains.map((d) => ({ label: `${d.domainId} · ${d.title}`, value: d.score, band: d.band })),
    );
  });

  const rows: TableRow[] = model.domains.map((d) => {
    const below = d.achievedLevel !== null && d.targetLevel !== null && d.achievedLevel < d.targetLevel;
    const band = d.band;
    return {
      cells: [
        `${d.domainId} · ${d.title}`,
        {
          text: d.score === null ? 'n/a' : `${round(d.score)} ${band ? BAND_LABEL[band] : ''}`,
          bold: true,
          nowrap: true,
          ...(band ? { fill: BAND_TINT[band] } : {}),
          indent: 14,
          decorate: (x, y, lh) => bandSwatch(layout, x, y + (lh - 10) / 2 - 0.5, 10, 10, band),
        },
        {
          text: d.achievedLevel === null ? 'n/a' : `${levelText(d.achievedLevel)} of ${levelText(d.targetLevel)}${below ? ' (below)' : ' (at target)'}`,
          bold: below,
          nowrap: true,
          ...(below ? { fill: BAND_TINT.red } : {}),
        },
        {
          text: `${round(d.evidenceCoveragePct)}%`,
          align: 'right',
          nowrap: true,
          indent: 0,
          decorate: (x, y, lh) => meter(layout, x, y + (lh - 6) / 2, 50, d.evidenceCoveragePct),
        },
        d.cappedBy.join(', ') || '—',
      ],
    };
  });
  layout.table(
    [
      { header: 'Domain', width: 190 },
      { header: 'Score and band', width: 82 },
      { header: 'Lowest level vs target', width: 92 },
      { header: 'Evidence coverage', width: 80, align: 'right' },
      { header: 'Capped by', width: 51.28 },
    ],
    rows,
    { size: 8, zebra: false, summary: 'Domain heatmap: score, band, level against target and evidence coverage per domain' },
  );
  layout.paragraph(
    'Lowest level vs target: the lowest effective level of any applicable question in the domain against the lowest target. ' +
      'Evidence coverage: the share of applicable questions with accepted, unexpired evidence.',
    { size: 7.5, color: COLOR.muted },
  );
}
