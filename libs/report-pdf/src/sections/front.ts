import { scoreMovement } from '@hoh/scoring-engine';

import { bandSwatch } from '../charts.js';
import { criticalControls, isCriticalGap, isDraft } from '../derive.js';
import { BAND_LABEL, BAND_MEANING, CONFIDENCE_LABEL, formatDate, formatDateTime, round, signed } from '../format.js';
import { COLOR, CONTENT_BOTTOM, CONTENT_W, type Layout, MARGIN_X } from '../layout.js';
import { PUBLIC_KEY_PATH, type ReportModel, VERIFY_PATH } from '../model.js';

// Cover (with the integrity block an auditor checks first) and the one-page executive summary.

export function renderCover(layout: Layout, model: ReportModel): void {
  layout.addPage();
  const { organisation, assessment, bank, integrity } = model;
  const signOff = model.accountability.signOff;

  layout.textAt('BOARD REPORT', MARGIN_X, layout.y, CONTENT_W, { size: 9, bold: true, color: COLOR.muted });
  layout.y += 14;
  layout.y += layout.textAt('CSAM prevention self-assessment', MARGIN_X, layout.y, CONTENT_W, {
    size: 22,
    bold: true,
    color: COLOR.brand,
  });
  layout.y += 6;
  const name = layout.fitText(organisation.name, CONTENT_W, 44, { size: 16, bold: true });
  layout.y += layout.textAt(name, MARGIN_X, layout.y, CONTENT_W, { size: 16, bold: true }) + 4;
  const period = `Assessment period ${formatDate(assessment.periodStart)} – ${formatDate(assessment.periodEnd)} · issued ${formatDate(model.issuedAt)}`;
  layout.y += layout.textAt(period, MARGIN_X, layout.y, CONTENT_W, { size: 10, color: COLOR.muted }) + 8;

  const status = isDraft(model)
    ? `DRAFT — not signed by the accountable individual (status: ${assessment.status.replace('_', ' ')}). Figures may still change.`
    : `Signed by ${signOff?.signerName ?? ''}, ${signOff?.signerRole ?? ''}, on ${formatDateTime(signOff?.signedAt ?? null)}. The assessment is locked.`;
  const statusH = layout.measure(status, CONTENT_W - 20, { size: 9.5, bold: true }) + 14;
  layout.box(MARGIN_X, layout.y, CONTENT_W, statusH, isDraft(model) ? '#fdecea' : COLOR.faint, COLOR.rule);
  layout.box(MARGIN_X, layout.y, 4, statusH, isDraft(model) ? COLOR.alert : COLOR.brand);
  layout.textAt(status, MARGIN_X + 12, layout.y + 7, CONTENT_W - 20, { size: 9.5, bold: true });
  layout.y += statusH + 16;

  layout.subheading('Integrity block', 220);
  layout.keyValues(
    [
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
    ],
    118,
    { size: 8.5 },
  );

  layout.subheading('How to verify this report', 90);
  const base = integrity.publicUrl ? `${integrity.publicUrl.replace(/\/+$/, '')}${VERIFY_PATH}` : VERIFY_PATH;
  const keyUrl = integrity.publicUrl ? `${integrity.publicUrl.replace(/\/+$/, '')}${PUBLIC_KEY_PATH}` : PUBLIC_KEY_PATH;
  layout.bullets(
    [
      'Compute the SHA-256 of this PDF file exactly as received (for example with sha256sum report.pdf).',
      `Submit the file (multipart field "file") or its hash (JSON {"sha256": "…"}) to ${base}. No sign-in is needed.`,
      'A genuine, unaltered report returns the organisation, this report ID and the issue date. Any other answer means the file was not issued by Hand on Heart or has been changed.',
      `The signed results JSON verifies offline with the Ed25519 public key at ${keyUrl}; its canonical (RFC 8785) SHA-256 must equal the Results SHA-256 above.`,
    ],
    { size: 8.5 },
  );

  // Confidentiality marking sits at the foot of the cover where a reader expects it.
  const marking = model.confidentiality;
  const markH = layout.measure(marking, CONTENT_W - 24, { size: 10, bold: true }) + 16;
  const markY = Math.max(layout.y + 10, CONTENT_BOTTOM - markH);
  if (markY + markH <= CONTENT_BOTTOM) {
    layout.box(MARGIN_X, markY, CONTENT_W, markH, COLOR.white, COLOR.ink);
    layout.textAt(marking, MARGIN_X + 12, markY + 8, CONTENT_W - 24, { size: 10, bold: true, align: 'center' });
  }
}

const WHY_THIS_MATTERS = [
  '8.3 million unique first-generation images were added to the UK Child Abuse Image Database between January 2015 and March 2019.',
  '7,600 UK children were safeguarded or protected in relation to online child sexual abuse in the year to September 2019.',
  'Over 300,000 individuals in the UK are estimated to pose a sexual threat to children.',
  '100% of NCA investigations encounter some form of encryption.',
];
const WHY_SOURCE = 'Source: National Crime Agency, National Strategic Assessment of Serious and Organised Crime 2020.';

export function renderExecutiveSummary(layout: Layout, model: ReportModel): void {
  layout.section('Executive summary', { newPage: true });
  const { summary, previous } = model;
  const criticalGaps = model.questions.filter(isCriticalGap);

  // Four tiles across the top: the numbers a board member reads first.
  const tileW = (CONTENT_W - 3 * 8) / 4;
  const tileH = 62;
  const top = layout.y;
  const tiles: { label: string; value: string; note: string }[] = [
    { label: 'Readiness band', value: BAND_LABEL[summary.band], note: BAND_MEANING[summary.band] },
    { label: 'Overall score', value: `${round(summary.score)} / 100`, note: 'weighted mean of domains' },
    { label: 'Confidence', value: CONFIDENCE_LABEL[summary.confidence.label], note: `${round(summary.confidence.evidencePct)}% evidenced, ${round(summary.confidence.reviewedPct)}% reviewed by another` },
    { label: 'Critical gaps', value: String(criticalGaps.length), note: 'critical controls below target' },
  ];
  tiles.forEach((t, i) => {
    const x = MARGIN_X + i * (tileW + 8);
    layout.box(x, top, tileW, tileH, COLOR.faint, COLOR.rule);
    layout.lineAt(t.label.toUpperCase(), x + 8, top + 7, tileW - 16, { size: 7, bold: true, color: COLOR.muted });
    let valueX = x + 8;
    if (i === 0) {
      bandSwatch(layout, x + 8, top + 21, 14, 14, summary.band);
      valueX += 20;
    }
    const valueW = x + tileW - 8 - valueX;
    // Largest size at which the value fits on one line; long labels ("Independently verified") shrink.
    let valueSize = 15;
    while (valueSize > 8 && layout.widthOf(t.value, { size: valueSize, bold: true }) > valueW) valueSize -= 1;
    layout.lineAt(t.value, valueX, top + 21 + (15 - valueSize) / 2, valueW, { size: valueSize, bold: true });
    const note = layout.fitText(t.note, tileW - 16, 18, { size: 6.5 });
    layout.textAt(note, x + 8, top + 41, tileW - 16, { size: 6.5, color: COLOR.muted });
  });
  layout.y = top + tileH + 12;

  // The engine's movement (issue 24): "unchanged" for 0, and a drop caused only by reviews starting over says so.
  const movement = previous ? (model.comparison?.overall ?? scoreMovement(previous.score, summary.score)) : null;
  const moved =
    movement?.direction === 'unchanged'
      ? 'Unchanged'
      : `${signed(movement?.delta ?? 0)} points${movement?.direction === 'review_reset' ? ' (review reset: the answers are unchanged; see the trend)' : ''}`;
  const change = previous
    ? `${moved} since the last assessment (${formatDate(previous.assessedAt)}): ${round(previous.score)} ${BAND_LABEL[previous.band]} → ${round(summary.score)} ${BAND_LABEL[summary.band]}.`
    : 'First assessment: there is no earlier result to compare with.';
  const lines: [string, string][] = [['Change since last assessment', change]];
  if (summary.band !== summary.rawBand) {
    lines.push([
      'Critical cap',
      `The score alone is ${BAND_LABEL[summary.rawBand]}; critical controls ${summary.cappedBy.join(', ') || '(see critical controls)'} cap the band at ${BAND_LABEL[summary.band]}.`,
    ]);
  }
  lines.push([
    'Critical gaps',
    criticalGaps.length === 0
      ? 'None: every critical control is at or above its target.'
      : criticalControls(criticalGaps)
          .map((q) => `${q.questionId} (L${q.effectiveLevel ?? 0} of ${q.target})`)
          .join(', '),
  ]);
  lines.push([
    'Confidence',
    `${CONFIDENCE_LABEL[summary.confidence.label]}: ${round(summary.confidence.evidencePct)}% of applicable items have counting evidence, ${round(summary.confidence.reviewedPct)}% were reviewed by someone other than the author, ${round(summary.confidence.unknownPct)}% are unknown.`,
  ]);
  layout.keyValues(lines, 150, { size: 9 });

  // The sourced box is anchored to the foot of the page; the narrative and decisions share what is left.
  const boxPad = 10;
  const boxInner = CONTENT_W - 2 * boxPad;
  const whyH =
    layout.measure('Why this matters', boxInner, { size: 10, bold: true }) +
    6 +
    WHY_THIS_MATTERS.reduce((sum, s) => sum + layout.measure(s, boxInner - 12, { size: 8.5 }) + 3, 0) +
    layout.measure(WHY_SOURCE, boxInner, { size: 7.5 }) +
    4 +
    2 * boxPad;
  const boxTop = CONTENT_BOTTOM - whyH;

  layout.subheading('Summary', 40);
  const narrative = summary.narrative.slice(0, 3).join(' ');
  const narrativeBudget = Math.max(24, (boxTop - layout.y) * 0.4);
  if (narrative) {
    const fitted = layout.fitText(narrative, CONTENT_W, narrativeBudget, { size: 9.5 });
    layout.y += layout.textAt(fitted, MARGIN_X, layout.y, CONTENT_W, { size: 9.5 }) + 4;
  }

  layout.subheading('Decisions asked of the board', 30);
  const decisions = summary.boardDecisions.length > 0 ? summary.boardDecisions : ['Note the report; no decision is requested.'];
  let n = 0;
  for (const decision of decisions) {
    const available = boxTop - 10 - layout.y;
    const width = CONTENT_W - 16;
    const fitted = layout.fitText(decision, width, Math.min(36, available), { size: 9.5 });
    const h = layout.measure(fitted, width, { size: 9.5 });
    if (h > available || available < 12) break;
    n += 1;
    layout.lineAt(`${n}.`, MARGIN_X, layout.y, 16, { size: 9.5, bold: true });
    layout.y += layout.textAt(fitted, MARGIN_X + 16, layout.y, width, { size: 9.5 }) + 3;
  }
  if (n < decisions.length && boxTop - layout.y > 12) {
    layout.textAt(`${decisions.length - n} further decision(s) are listed under Accountability and sign-off.`, MARGIN_X, layout.y, CONTENT_W, {
      size: 8,
      color: COLOR.muted,
    });
  }

  layout.box(MARGIN_X, boxTop, CONTENT_W, whyH, '#eef2f7', COLOR.brand);
  let y = boxTop + boxPad;
  y += layout.textAt('Why this matters', MARGIN_X + boxPad, y, boxInner, { size: 10, bold: true, color: COLOR.brand }) + 6;
  for (const s of WHY_THIS_MATTERS) {
    layout.lineAt('•', MARGIN_X + boxPad, y, 10, { size: 8.5 });
    y += layout.textAt(s, MARGIN_X + boxPad + 12, y, boxInner - 12, { size: 8.5 }) + 3;
  }
  layout.textAt(WHY_SOURCE, MARGIN_X + boxPad, y + 1, boxInner, { size: 7.5, color: COLOR.muted });
  layout.y = CONTENT_BOTTOM;
}
