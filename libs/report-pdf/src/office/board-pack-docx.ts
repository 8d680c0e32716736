import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

import { verifyPageUrl } from '@hoh/contracts';
import { ATTESTATION_EXCEPTION_KIND_LABELS } from '@hoh/scoring-engine';

import {
  attestationHeadline,
  criticalControls,
  exposureCounts,
  headlineFigures,
  isCriticalGap,
  isDraft,
  isOverdue,
  scoreChange,
  topRisks,
  actionsByHorizon,
  evidenceRegister,
} from '../derive.js';
import {
  BAND_LABEL,
  BAND_MEANING,
  CONFIDENCE_LABEL,
  formatDate,
  formatDateTime,
  HORIZON_LABEL,
  ITEM_STATUS_LABEL,
  JURISDICTION_ORDER,
  levelText,
  PRIORITY_LABEL,
  REGIME_LABEL,
  round,
  signed,
  STATUS_LABEL,
} from '../format.js';
import type { ReportBand, ReportModel, ReportQuestion } from '../model.js';
import { checkSource, escapeXml, repackZip, WORKING_COPY_NOTE, workingCopyMarking, type WorkingCopySource, xmlSafe } from './working-copy.js';

export type { WorkingCopySource } from './working-copy.js';

// The board pack as an editable Word document (issue 25 item 5): the PDF's sections, order, words and
// numbers, from the same model and the same derivations (derive.ts, format.ts), marked on the first
// page and in every header as an unsigned working copy of the signed PDF. Real headings, real tables
// whose header rows repeat on every page, document title, language and creator set.

/** Section titles in the order the PDF prints them (answer first, then the appendices, integrity last). */
export const BOARD_PACK_SECTIONS = {
  attestation: 'Attestation status',
  score: 'Score, band, confidence and trend',
  decisions: 'Decisions asked of the board',
  risks: 'Top risks',
  why: 'Why this matters',
  heatmap: 'Domain heatmap',
  exposure: 'Appendix A — Regulatory exposure map',
  questionnaire: 'Appendix B — Questionnaire',
  evidence: 'Appendix C — Evidence register',
  remediation: 'Appendix D — Remediation plan',
  accountability: 'Appendix E — Accountability and sign-off',
  method: 'Appendix F — Method and limitations',
  integrity: 'Appendix G — Integrity and how to verify',
} as const;

const LANGUAGE = 'en-GB';
const FONT = 'Calibri';
const BAND_FILL: Record<ReportBand, string> = { green: 'D7EFDD', amber: 'FCE9C4', red: 'F9D5D2' };
const HEADER_FILL = 'E6EBF2';
const OVERDUE_FILL = 'FBE3E1';

// ---- building blocks ----

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  size?: number;
  color?: string;
}

/** Runs for a text that may hold line breaks: one run per line, each after a break. */
function runs(text: string, style: RunStyle = {}): TextRun[] {
  return xmlSafe(text)
    .split(/\r\n|\r|\n/)
    .map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}), ...style }));
}

function para(text: string, style: RunStyle = {}, spacingAfter = 120): Paragraph {
  return new Paragraph({ children: runs(text, style), spacing: { after: spacingAfter } });
}

function heading(text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel], pageBreakBefore = false): Paragraph {
  return new Paragraph({ heading: level, children: runs(text), pageBreakBefore, keepNext: true });
}

function bullet(text: string, style: RunStyle = {}): Paragraph {
  return new Paragraph({ children: runs(text, style), bullet: { level: 0 }, spacing: { after: 60 } });
}

function numbered(text: string): Paragraph {
  return new Paragraph({ children: runs(text), numbering: { reference: 'decisions', level: 0 }, spacing: { after: 60 } });
}

type Cell = string | { text: string; bold?: boolean; fill?: string; align?: 'right' };

function tableCell(cell: Cell, header: boolean, width: number, rowFill?: string): TableCell {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const fill = header ? HEADER_FILL : (c.fill ?? rowFill);
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    ...(fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill } } : {}),
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: [
      new Paragraph({
        children: runs(c.text, { size: 16, bold: header || c.bold === true }),
        ...(c.align === 'right' ? { alignment: AlignmentType.RIGHT } : {}),
      }),
    ],
  });
}

interface Column {
  header: string;
  /** Percent of the table width. */
  width: number;
  align?: 'right';
}

/** A table whose header row repeats on every page and whose rows never split across pages. */
function table(columns: Column[], rows: { cells: Cell[]; fill?: string }[]): Table {
  const headerRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map((c) => tableCell(c.header, true, c.width)),
  });
  const bodyRows = rows.map(
    (r) =>
      new TableRow({
        cantSplit: true,
        children: r.cells.map((cell, i) => {
          const col = columns[i];
          const c = typeof cell === 'string' ? { text: cell } : cell;
          return tableCell(col?.align && c.align === undefined ? { ...c, align: col.align } : c, false, col?.width ?? 10, r.fill);
        }),
      }),
  );
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [headerRow, ...bodyRows] });
}

function keyValues(pairs: [string, string][]): Table {
  return table(
    [
      { header: 'Item', width: 30 },
      { header: 'Value', width: 70 },
    ],
    pairs.map(([k, v]) => ({ cells: [{ text: k, bold: true }, v] })),
  );
}

const spacer = (): Paragraph => new Paragraph({ children: [], spacing: { after: 120 } });

type Block = Paragraph | Table;

// ---- the answer first ----

function titleBlock(model: ReportModel, source: WorkingCopySource): Block[] {
  const { organisation, assessment } = model;
  return [
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs('CSAM prevention self-assessment — board pack') }),
    para(organisation.name, { bold: true, size: 32 }),
    para(`Assessment period ${formatDate(assessment.periodStart)} – ${formatDate(assessment.periodEnd)} · issued ${formatDate(model.issuedAt)}`, { color: '555555' }),
    new Paragraph({
      children: [...runs(`${workingCopyMarking(source)}.`, { bold: true }), new TextRun({ text: ' ' }), ...runs(WORKING_COPY_NOTE)],
      border: {
        top: { style: BorderStyle.SINGLE, size: 8, color: 'B3261E', space: 4 },
        bottom: { style: BorderStyle.SINGLE, size: 8, color: 'B3261E', space: 4 },
        left: { style: BorderStyle.SINGLE, size: 8, color: 'B3261E', space: 4 },
        right: { style: BorderStyle.SINGLE, size: 8, color: 'B3261E', space: 4 },
      },
      shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'FDECEA' },
      spacing: { after: 200 },
    }),
    para(model.confidentiality, { bold: true }),
  ];
}

function attestationSection(model: ReportModel): Block[] {
  const headline = attestationHeadline(model);
  const blocks: Block[] = [heading(BOARD_PACK_SECTIONS.attestation, HeadingLevel.HEADING_1), para(headline.title, { bold: true, size: 28 }), para(headline.sentence)];
  if (headline.byKind.length > 0) {
    blocks.push(
      table(
        [
          { header: 'Exception kind', width: 80 },
          { header: 'Count', width: 20, align: 'right' },
        ],
        headline.byKind.map((k) => ({ cells: [k.label, String(k.count)] })),
      ),
    );
  }
  return blocks;
}

/** "+4 points since 2025: 58 Amber → 62 Amber", in the words the PDF's summary uses. */
function changeSentence(model: ReportModel): string {
  const change = scoreChange(model);
  const previous = model.previous;
  if (!change || !previous) return 'First assessment: there is no earlier result to compare with.';
  const { movement, since } = change;
  const moved =
    movement.direction === 'unchanged'
      ? 'Unchanged'
      : `${signed(movement.delta ?? 0)} points${movement.direction === 'review_reset' ? ' (review reset: the answers are unchanged; see the trend)' : ''}`;
  return `${moved} since ${since} (${formatDate(previous.assessedAt)}): ${round(previous.score)} ${BAND_LABEL[previous.band]} → ${round(model.summary.score)} ${BAND_LABEL[model.summary.band]}.`;
}

function scoreSection(model: ReportModel): Block[] {
  const { summary } = model;
  const criticalGaps = model.questions.filter(isCriticalGap);
  const pairs: [string, string][] = [
    ['Overall score', `${round(summary.score)} / 100`],
    ['Readiness band', `${BAND_LABEL[summary.band]} (${BAND_MEANING[summary.band]})`],
    [
      'Confidence',
      `${CONFIDENCE_LABEL[summary.confidence.label]}: ${round(summary.confidence.evidencePct)}% of applicable items have counting evidence, ${round(summary.confidence.reviewedPct)}% were reviewed by someone other than the author, ${round(summary.confidence.unknownPct)}% are unknown.`,
    ],
    ['Trend', changeSentence(model)],
    [
      'Critical gaps',
      criticalGaps.length === 0
        ? 'None: every critical control is at or above its target.'
        : `${criticalGaps.length}: ${criticalControls(criticalGaps).map((q) => `${q.questionId} (L${q.effectiveLevel ?? 0} of ${q.target})`).join(', ')}`,
    ],
  ];
  if (summary.band !== summary.rawBand) {
    pairs.splice(2, 0, [
      'Critical cap',
      `The score alone is ${BAND_LABEL[summary.rawBand]}; critical controls ${summary.cappedBy.join(', ') || '(see critical gaps)'} cap the band at ${BAND_LABEL[summary.band]}.`,
    ]);
  }
  const blocks: Block[] = [heading(BOARD_PACK_SECTIONS.score, HeadingLevel.HEADING_2), keyValues(pairs)];
  const narrative = summary.narrative.slice(0, 3).join(' ');
  if (narrative) blocks.push(spacer(), para(narrative));
  return blocks;
}

function decisionsSection(model: ReportModel): Block[] {
  const decisions = model.summary.boardDecisions;
  const blocks: Block[] = [heading(BOARD_PACK_SECTIONS.decisions, HeadingLevel.HEADING_2)];
  if (decisions.length === 0) return [...blocks, para('Note the report; no decision is requested.')];
  blocks.push(...decisions.slice(0, 3).map(numbered));
  if (decisions.length > 3) blocks.push(para(`${decisions.length - 3} further decision(s) are listed under Accountability and sign-off.`, { italics: true }));
  return blocks;
}

function risksSection(model: ReportModel): Block[] {
  const risks = topRisks(model);
  const blocks: Block[] = [heading(BOARD_PACK_SECTIONS.risks, HeadingLevel.HEADING_2)];
  if (risks.length === 0) return [...blocks, para('No open actions: nothing is waiting on an owner.')];
  blocks.push(
    table(
      [
        { header: 'Action', width: 10 },
        { header: 'What will be done', width: 38 },
        { header: 'Owner', width: 18 },
        { header: 'Due', width: 14 },
        { header: 'Priority', width: 8 },
        { header: 'Uplift', width: 12, align: 'right' },
      ],
      risks.map((r) => ({
        cells: [
          { text: r.number, bold: true },
          r.title,
          r.owner ?? 'Unassigned',
          { text: `${formatDate(r.dueDate)}${r.overdue ? ' OVERDUE' : ''}`, bold: r.overdue },
          PRIORITY_LABEL[r.priority],
          signed(r.predictedUpliftPoints, 1),
        ],
        ...(r.overdue ? { fill: OVERDUE_FILL } : {}),
      })),
    ),
  );
  return blocks;
}

function whySection(model: ReportModel): Block[] {
  const figures = headlineFigures(model);
  const blocks: Block[] = [heading(BOARD_PACK_SECTIONS.why, HeadingLevel.HEADING_2)];
  if (figures.length === 0) return [...blocks, para('No dated figures are published with this question-bank version.')];
  for (const f of figures) {
    blocks.push(bullet(f.statement), para(`Source: ${f.source}. ${f.url}`, { size: 16, color: '555555' }));
  }
  return blocks;
}

function heatmapSection(model: ReportModel): Block[] {
  return [
    heading(BOARD_PACK_SECTIONS.heatmap, HeadingLevel.HEADING_1, true),
    para('One row per domain; the band is written in each cell, the colour only repeats it.', { size: 18, color: '555555' }),
    table(
      [
        { header: 'Domain', width: 40 },
        { header: 'Score', width: 10, align: 'right' },
        { header: 'Band', width: 12 },
        { header: 'Level / target', width: 13 },
        { header: 'Evidence coverage', width: 12, align: 'right' },
        { header: 'Capped by', width: 13 },
      ],
      model.domains.map((d) => ({
        cells: [
          `${d.domainId} · ${d.title}`,
          { text: d.score === null ? '—' : round(d.score), bold: true },
          d.band ? { text: BAND_LABEL[d.band], fill: BAND_FILL[d.band] } : '—',
          `${levelText(d.achievedLevel)} / ${levelText(d.targetLevel)}`,
          `${round(d.evidenceCoveragePct)}%`,
          d.cappedBy.join(', ') || '—',
        ],
      })),
    ),
  ];
}

// ---- appendices ----

function exposureSection(model: ReportModel): Block[] {
  const order = (j: string): number => {
    const i = JURISDICTION_ORDER.indexOf(j);
    return i < 0 ? JURISDICTION_ORDER.length : i;
  };
  const entries = model.exposure
    .map((e, index) => ({ e, index, jurisdiction: REGIME_LABEL[e.regime].jurisdiction }))
    .sort((a, b) => order(a.jurisdiction) - order(b.jurisdiction) || Number(b.e.applies) - Number(a.e.applies) || a.index - b.index);
  const blocks: Block[] = [
    heading(BOARD_PACK_SECTIONS.exposure, HeadingLevel.HEADING_1, true),
    para(
      `Which regimes and measures apply to ${model.organisation.name} and why, from the organisation profile. ` +
        'The counts give the status of the questions that cite each measure: Impl. = at or above target, ' +
        'Part. = in progress below target, Not = not addressed (level 0, unknown or unanswered), N/A = not applicable.',
      { size: 18, color: '555555' },
    ),
    table(
      [
        { header: 'Regime', width: 20 },
        { header: 'Measure', width: 22 },
        { header: 'Applies', width: 10 },
        { header: 'Why', width: 24 },
        { header: 'Impl.', width: 6, align: 'right' },
        { header: 'Part.', width: 6, align: 'right' },
        { header: 'Not', width: 6, align: 'right' },
        { header: 'N/A', width: 6, align: 'right' },
      ],
      entries.map(({ e, jurisdiction }) => {
        const c = exposureCounts(e, model.questions);
        // An obligation that applies with no question behind it must not read as zero gaps (issue 22).
        const uncovered = e.applies && c.implemented + c.partial + c.notAddressed + c.notApplicable === 0;
        return {
          cells: [
            `${jurisdiction} · ${REGIME_LABEL[e.regime].name}`,
            `${e.id}${e.verified ? '' : ' †'} ${e.title}`,
            { text: e.applies ? 'Applies' : 'Does not apply', bold: e.applies },
            uncovered ? `${e.reason}. No question covers this yet.` : e.reason,
            String(c.implemented),
            String(c.partial),
            String(c.notAddressed),
            String(c.notApplicable),
          ],
        };
      }),
    ),
  ];
  if (model.exposure.some((e) => !e.verified)) {
    blocks.push(para('† Measure id or wording not yet confirmed against the primary text for this bank version.', { size: 16, color: '555555' }));
  }
  return blocks;
}

function answerText(q: ReportQuestion): string {
  const lines: string[] = [];
  if (q.included && q.claimed !== null) lines.push(`Claimed ${levelText(q.claimed)} → ${levelText(q.effectiveLevel)} (target L${q.target})`);
  else lines.push(`${ITEM_STATUS_LABEL[q.status]}${q.included ? ` → ${levelText(q.effectiveLevel ?? 0)} (target L${q.target})` : ''}`);
  if (q.capReason !== 'none') lines.push(`Cap: ${q.capReason.replaceAll('_', ' ')}`);
  const meta = [`w${q.weight}`, q.scale === 'legal_duty' ? 'legal duty' : 'maturity'];
  if (q.critical) meta.push('critical');
  meta.push(q.reviewedByOther ? 'reviewed' : 'not reviewed');
  lines.push(meta.join(' · '));
  if (q.answeredBy) lines.push(`${q.answeredBy}, ${formatDate(q.answeredAt)}`);
  return lines.join('\n');
}

function questionnaireSection(model: ReportModel): Block[] {
  const blocks: Block[] = [
    heading(BOARD_PACK_SECTIONS.questionnaire, HeadingLevel.HEADING_1, true),
    para(
      'Every question in the bank, in bank order, with the answer and its references; the evidence is listed in the evidence register by id and SHA-256 hash (never content). Levels: claimed → effective after evidence caps.',
      { size: 18, color: '555555' },
    ),
  ];
  const groups = [
    ...model.domains.map((d) => ({ title: `${d.domainId} · ${d.title}`, questions: model.questions.filter((q) => q.domainId === d.domainId) })),
    { title: 'Questions in no listed domain', questions: model.questions.filter((q) => !model.domains.some((d) => d.domainId === q.domainId)) },
  ];
  for (const group of groups) {
    if (group.questions.length === 0) continue;
    blocks.push(
      heading(group.title, HeadingLevel.HEADING_2),
      table(
        [
          { header: 'Question', width: 40 },
          { header: 'Answer', width: 26 },
          { header: 'References', width: 22 },
          { header: 'Evidence', width: 12 },
        ],
        group.questions.map((q) => ({
          cells: [
            `${q.questionId} ${q.text}${q.comment ? `\nComment: ${q.comment}` : ''}`,
            answerText(q),
            q.references.map((r) => `${REGIME_LABEL[r.regime].name} ${r.id}${r.verified ? '' : ' †'}`).join('\n') || '—',
            q.evidence.length === 0 ? 'None' : `${q.evidence.filter((e) => e.counts).length} of ${q.evidence.length} counting`,
          ],
        })),
      ),
    );
  }
  return blocks;
}

function evidenceSection(model: ReportModel): Block[] {
  const register = evidenceRegister(model);
  const blocks: Block[] = [
    heading(BOARD_PACK_SECTIONS.evidence, HeadingLevel.HEADING_1, true),
    para(`${register.length} evidence items, by id and SHA-256 hash (never content). Counts = accepted and unexpired at the scoring date.`, {
      size: 18,
      color: '555555',
    }),
  ];
  if (register.length === 0) return [...blocks, para('No evidence is linked to any answer.')];
  blocks.push(
    table(
      [
        { header: 'Evidence', width: 16 },
        { header: 'Kind', width: 12 },
        { header: 'Status', width: 10 },
        { header: 'Counts', width: 7 },
        { header: 'Issued / expires', width: 14 },
        { header: 'SHA-256 or reference', width: 29 },
        { header: 'Questions', width: 12 },
      ],
      register.map(({ evidence: e, questionIds }) => ({
        cells: [
          e.id,
          e.kind.replaceAll('_', ' '),
          e.status,
          e.counts ? 'Yes' : 'No',
          `${formatDate(e.issuedAt)}${e.expiresAt ? `\nexpires ${formatDate(e.expiresAt)}` : ''}`,
          e.sha256 ?? `Ref: ${e.externalRef ?? '—'}`,
          questionIds.join(', '),
        ],
      })),
    ),
  );
  return blocks;
}

function remediationSection(model: ReportModel): Block[] {
  const overdue = model.actions.filter((a) => isOverdue(a, model.issuedAt));
  const open = model.actions.filter((a) => a.status === 'open' || a.status === 'in_progress' || a.status === 'blocked');
  const blocks: Block[] = [
    heading(BOARD_PACK_SECTIONS.remediation, HeadingLevel.HEADING_1, true),
    para(
      `${model.actions.length} actions: ${open.length} open, ${model.actions.filter((a) => a.status === 'done').length} done, ` +
        `${model.actions.filter((a) => a.status === 'risk_accepted').length} risk-accepted; ${overdue.length} overdue as of ${formatDate(model.issuedAt)}. ` +
        'Overdue rows are shaded and labelled OVERDUE. Uplift is the predicted gain in overall score points.',
      { size: 18, color: '555555' },
    ),
  ];
  for (const { horizon, actions } of actionsByHorizon(model)) {
    blocks.push(heading(`${HORIZON_LABEL[horizon]} — ${actions.length} action${actions.length === 1 ? '' : 's'}`, HeadingLevel.HEADING_2));
    if (actions.length === 0) continue;
    blocks.push(
      table(
        [
          { header: 'Number', width: 9 },
          { header: 'Action', width: 31 },
          { header: 'Owner', width: 14 },
          { header: 'Due', width: 11 },
          { header: 'Pri.', width: 6 },
          { header: 'Status', width: 11 },
          { header: 'Questions', width: 10 },
          { header: 'Uplift', width: 8, align: 'right' },
        ],
        actions.map((a) => {
          const late = isOverdue(a, model.issuedAt);
          return {
            cells: [
              { text: a.number, bold: true },
              a.title,
              a.owner ?? 'Unassigned',
              { text: formatDate(a.dueDate), bold: late },
              PRIORITY_LABEL[a.priority],
              { text: late ? `OVERDUE · ${STATUS_LABEL[a.status]}` : STATUS_LABEL[a.status], bold: late },
              a.questionIds.join(', '),
              signed(a.predictedUpliftPoints, 1),
            ],
            ...(late ? { fill: OVERDUE_FILL } : {}),
          };
        }),
      ),
    );
  }
  return blocks;
}

const REVIEW_TRIGGERS =
  'A significant change to the service (end-to-end encryption, livestreaming, generative AI, new discovery or ' +
  'monetisation features), a material incident, a new question-bank version or a change in the regulation snapshot.';

function accountabilitySection(model: ReportModel): Block[] {
  const acc = model.accountability;
  const blocks: Block[] = [
    heading(BOARD_PACK_SECTIONS.accountability, HeadingLevel.HEADING_1, true),
    keyValues([
      ['Accountable individual (Ofcom ICU A2)', `${acc.accountableIndividual}, ${acc.accountableRole}`],
      ['Reviewers', acc.reviewers.join(', ') || 'None recorded'],
      ['Independent verification', acc.verifiedBy ? `Recorded by ${acc.verifiedBy} (auditor)` : 'Not recorded'],
      ['Next review due', formatDate(acc.nextReviewDue)],
      ['Earlier review triggers', REVIEW_TRIGGERS],
    ]),
    heading('Attestation', HeadingLevel.HEADING_2),
  ];
  const signOff = acc.signOff;
  if (signOff === null || isDraft(model)) {
    blocks.push(
      para(
        'Not signed. The accountable individual has not signed an attestation for this assessment, so this report is a DRAFT. Its figures may change before sign-off.',
        { bold: true },
      ),
    );
  } else {
    blocks.push(para(`“${signOff.statement}”`, { italics: true }), para(`Signed by ${signOff.signerName}, ${signOff.signerRole}, on ${formatDateTime(signOff.signedAt)}.`, { bold: true }));
  }
  const exceptions = model.attestation.exceptions;
  const caption =
    model.attestation.status === 'not_signed'
      ? `Exceptions the hand-on-heart check reports now (${exceptions.length})`
      : `Exceptions acknowledged by the signer (${exceptions.length})`;
  blocks.push(heading(caption, HeadingLevel.HEADING_3));
  if (exceptions.length === 0) blocks.push(para('None.'));
  else {
    blocks.push(
      table(
        [
          { header: 'Exception', width: 18 },
          { header: 'Kind', width: 24 },
          { header: 'What it means', width: 58 },
        ],
        exceptions.map((e) => ({ cells: [e.id, ATTESTATION_EXCEPTION_KIND_LABELS[e.kind], e.message] })),
      ),
    );
  }
  if (model.summary.boardDecisions.length > 0) {
    blocks.push(heading('Decisions asked of the board', HeadingLevel.HEADING_2), ...model.summary.boardDecisions.map((d) => bullet(d)));
  }
  return blocks;
}

function methodSection(model: ReportModel): Block[] {
  return [
    heading(BOARD_PACK_SECTIONS.method, HeadingLevel.HEADING_1, true),
    para(
      'This is a self-assessment, not legal advice and not a certification. It records what the organisation says about its own ' +
        'controls, with the evidence it chose to link; Hand on Heart does not inspect systems or content.',
      { bold: true },
    ),
    ...[
      'Scale: maturity questions are answered 0–4 (0 not in place, 1 ad hoc, 2 defined, 3 implemented with evidence, 4 managed with metrics evidence); legal-duty questions are yes = 4, partial = 2, no = 0.',
      'Evidence caps: only accepted, unexpired evidence counts (no expiry date means 12 months from issue). A claim of 3 or more without counting evidence is capped at 2; a maturity claim of 4 without metrics evidence is capped at 3.',
      'Scores: item ratio = effective level ÷ 4 (unknown and unanswered count 0); domain score = weight-averaged item ratios × 100 (weights 1–3); overall score = mean of domain scores over domains with an applicable item.',
      'Not applicable: an item leaves the score only when the profile rules it out or a reviewer approved the justification; an N/A awaiting approval counts as 0.',
      'Bands on the unrounded score: Green ≥ 75 (ready), Amber ≥ 50 (partially ready), Red < 50 (not ready). Any applicable critical item at level 1 or below forces Red; at level 2 it caps at Amber, for the overall result and its domain.',
      'Confidence: “Reviewed” needs ≥ 80% of answers reviewed by someone other than their author and ≥ 60% of level-3+ claims evidenced; “Independently verified” needs sign-off and an auditor’s recorded verification; otherwise “Self-attested”.',
      `Reproducibility: scored by engine version ${model.bank.engineVersion} against ${model.bank.frameworkId} ${model.bank.version} (regulation snapshot ${formatDate(model.bank.regulationSnapshotDate)}). The same inputs give the same result.`,
      'Limitations: answers and evidence are the organisation’s own; regulatory references reflect the snapshot date and may since have changed; measures marked † are not yet confirmed against the primary text.',
      'The product never holds abusive imagery: evidence is policy, process and configuration documents or references, listed by id and SHA-256 hash only, never by content.',
    ].map((t) => bullet(t)),
  ];
}

function integritySection(model: ReportModel, source: WorkingCopySource): Block[] {
  const { organisation, assessment, bank, integrity } = model;
  const verify: string[] = [
    `This file is a working copy. The record is the signed PDF report ${source.reportId}, issued ${formatDateTime(source.issuedAt)}; its SHA-256 is ${source.pdfSha256}.`,
    'Compute the SHA-256 of the PDF exactly as received (for example with sha256sum report.pdf) and compare it with the manifest’s pdfSha256 and the value above.',
  ];
  if (integrity.publicUrl !== null) {
    verify.push(`Open ${verifyPageUrl(integrity.publicUrl, model.reportId, integrity.resultsSha256)} and give it the PDF: a genuine, unaltered report names the organisation, this report ID and the issue date.`);
  } else {
    verify.push(
      'Offline: check the manifest’s Ed25519 signature with the public key from the auditor’s download, then check that the PDF’s SHA-256 equals the manifest’s pdfSha256.',
    );
  }
  verify.push('The signed results JSON’s canonical (RFC 8785) SHA-256 must equal the Results SHA-256 above.');
  return [
    heading(BOARD_PACK_SECTIONS.integrity, HeadingLevel.HEADING_1, true),
    keyValues([
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
      ['Signed PDF SHA-256', source.pdfSha256],
      ['Signing key', integrity.keyId ?? 'assigned when the report is issued'],
    ]),
    heading('How to verify', HeadingLevel.HEADING_2),
    ...verify.map((t) => bullet(t)),
  ];
}

// ---- the document ----

function coreXml(model: ReportModel, source: WorkingCopySource, title: string, subject: string, keywords: string): string {
  const at = new Date(model.issuedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(title)}</dc:title>` +
    `<dc:subject>${escapeXml(subject)}</dc:subject>` +
    '<dc:creator>Hand on Heart</dc:creator>' +
    `<cp:keywords>${escapeXml(keywords)}</cp:keywords>` +
    `<dc:description>${escapeXml(`${workingCopyMarking(source)}. ${WORKING_COPY_NOTE}`)}</dc:description>` +
    `<dc:identifier>${escapeXml(model.reportId)}</dc:identifier>` +
    `<dc:language>${LANGUAGE}</dc:language>` +
    '<cp:lastModifiedBy>Hand on Heart</cp:lastModifiedBy>' +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * The editable board pack. Deterministic: the same model and source give the same bytes (core
 * properties and zip entry times come from `model.issuedAt`; no hyperlink or image, whose ids the
 * library draws at random).
 */
export async function renderBoardPackDocx(model: ReportModel, source: WorkingCopySource): Promise<Buffer> {
  checkSource(model, source);
  const marking = workingCopyMarking(source);
  const title = `Working copy — CSAM prevention self-assessment — ${xmlSafe(model.organisation.name)}`;
  const subject = `Unsigned working copy of board report ${model.reportId} for assessment ${model.assessment.id}, ${model.assessment.periodStart} to ${model.assessment.periodEnd}`;
  const keywords = `CSAM, child protection, self-assessment, board report, working copy, ${model.reportId}, ${model.bank.frameworkId} ${model.bank.version}`;

  const doc = new Document({
    title,
    subject,
    creator: 'Hand on Heart',
    keywords,
    description: `${marking}. ${WORKING_COPY_NOTE}`,
    lastModifiedBy: 'Hand on Heart',
    revision: 1,
    styles: {
      default: {
        document: { run: { font: FONT, size: 20, language: { value: LANGUAGE } } },
      },
    },
    numbering: {
      config: [{ reference: 'decisions', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }],
    },
    sections: [
      {
        properties: { page: { margin: { top: 1000, bottom: 1000, left: 900, right: 900, header: 500, footer: 500 } } },
        headers: {
          default: new Header({
            children: [new Paragraph({ children: runs(`${marking}`, { size: 14, color: 'B3261E', bold: true }) })],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({ children: runs(model.confidentiality, { size: 14, color: '555555' }) }),
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [new TextRun({ size: 14, children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })],
              }),
            ],
          }),
        },
        children: [
          ...titleBlock(model, source),
          ...attestationSection(model),
          ...scoreSection(model),
          ...decisionsSection(model),
          ...risksSection(model),
          ...whySection(model),
          ...heatmapSection(model),
          ...exposureSection(model),
          ...questionnaireSection(model),
          ...evidenceSection(model),
          ...remediationSection(model),
          ...accountabilitySection(model),
          ...methodSection(model),
          ...integritySection(model, source),
        ],
      },
    ],
  });
  const packed = await Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: coreXml(model, source, title, subject, keywords) }]);
  return repackZip(packed, new Date(model.issuedAt));
}

