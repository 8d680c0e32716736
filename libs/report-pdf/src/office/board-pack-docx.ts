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
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

import { CHANGE_LABEL } from '@hoh/scoring-engine';

import {
  actionsByHorizon,
  attestationHeadline,
  bankChangeLines,
  capNote,
  concernScore,
  coveringAction,
  criticalControls,
  domainMovements,
  evidenceNumbers,
  evidenceRegister,
  exceptionKindLabel,
  exposureRow,
  figuresSourceNote,
  integrityFacts,
  headlineFigures,
  isCriticalGap,
  isDraft,
  isOverdue,
  METHOD_LEAD,
  methodBullets,
  referenceLines,
  REVIEW_TRIGGERS,
  topConcernQuestions,
  topRisks,
  trendRows,
  verificationSteps,
  verifyLink,
  weakestDomains,
} from '../derive.js';
import {
  BAND_LABEL,
  BAND_MEANING,
  CONFIDENCE_LABEL,
  formatDate,
  formatDateTime,
  HORIZON_LABEL,
  idText,
  ITEM_STATUS_LABEL,
  JURISDICTION_ORDER,
  levelText,
  PRIORITY_LABEL,
  REGIME_LABEL,
  round,
  signed,
  splitHash,
  STATUS_LABEL,
} from '../format.js';
import type { ReportBand, ReportEvidence, ReportModel, ReportQuestion } from '../model.js';
import { changeSentence } from '../sections/front.js';
import {
  checkSource,
  escapeXml,
  stampZip,
  WORKING_COPY_NOTE,
  workingCopyMarking,
  type WorkingCopySource,
  xmlSafe,
} from './working-copy.js';

export type { WorkingCopySource } from './working-copy.js';

// The board pack as an editable Word document (issue 25 item 5): the PDF's sections, order, words and
// numbers, from the same model and the same derivations (derive.ts, format.ts), marked on the first
// page and in every header as an unsigned working copy of the signed PDF. Real headings, real tables
// whose header rows repeat on every page, document title, language and creator set.

/** The PDF's section titles (libs/report-pdf/src/sections), printed here as Word headings in the same order. */
export const BOARD_PACK_SECTIONS = {
  summary: 'Board summary',
  decisions: 'Decisions asked of the board',
  risks: 'Top risks the board should watch',
  narrative: 'In the assessor’s words',
  why: 'Why this matters',
  heatmap: 'Domain heatmap',
  exceptionsSigned: 'Exceptions acknowledged at sign-off',
  exceptionsNotSigned: 'What stands between us and an unqualified attestation',
  critical: 'Critical controls',
  concerns: 'Areas of concern',
  trend: 'Trend against earlier assessments',
  exposure: 'Appendix A — Regulatory exposure map',
  questionnaire: 'Appendix B — Questionnaire',
  evidence: 'Appendix C — Evidence register',
  remediation: 'Appendix D — Remediation plan',
  accountability: 'Appendix E — Accountability and sign-off',
  method: 'Appendix F — Method and limitations',
  integrity: 'Appendix G — Integrity and how to verify this report',
} as const;

/** The top-level (Heading 1) sections of this model's board pack, in order: the PDF's and the DOCX's. */
export function boardPackSections(model: ReportModel): string[] {
  const s = BOARD_PACK_SECTIONS;
  const exceptions = model.attestation.status === 'not_signed' ? s.exceptionsNotSigned : s.exceptionsSigned;
  return [
    s.summary,
    s.heatmap,
    exceptions,
    s.critical,
    s.concerns,
    s.trend,
    s.exposure,
    s.questionnaire,
    s.evidence,
    s.remediation,
    s.accountability,
    s.method,
    s.integrity,
  ];
}

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

/** A numbered list item; each list (reference) counts from 1. */
function numbered(text: string, reference = 'decisions'): Paragraph {
  return new Paragraph({ children: runs(text), numbering: { reference, level: 0 }, spacing: { after: 60 } });
}

/** A cell's text; `note` adds a second, smaller line under it (the headline tiles' value and note). */
type Cell = string | { text: string; bold?: boolean; fill?: string; align?: 'right'; note?: string };

/** Text width of the page (A4, 11906 twips, less the section's left and right margins). */
const CONTENT_TWIPS = 11906 - 2 * 900;
const TABLE_TEXT = 'TableText';
const TABLE_HEADING = 'TableHeading';

// Cell text size, weight and spacing come from two paragraph styles and the widths from the table's
// grid, not from properties repeated on each of the ~1,500 cells: a third of the render time went
// on building and writing those repeats.
function tableCell(cell: Cell, header: boolean, rowFill?: string): TableCell {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const fill = header ? HEADER_FILL : (c.fill ?? rowFill);
  return new TableCell({
    ...(fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill } } : {}),
    children: [
      new Paragraph({
        style: header ? TABLE_HEADING : TABLE_TEXT,
        children: [
          ...runs(c.text, c.bold === true && !header ? { bold: true } : {}),
          ...('note' in c && c.note ? [new TextRun({ text: '', break: 1 }), ...runs(c.note, { size: 14, color: '555555' })] : []),
        ],
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
    children: columns.map((c) => tableCell(c.header, true)),
  });
  const bodyRows = rows.map(
    (r) =>
      new TableRow({
        cantSplit: true,
        children: r.cells.map((cell, i) => {
          const align = columns[i]?.align;
          const c = typeof cell === 'string' ? { text: cell } : cell;
          return tableCell(align && c.align === undefined ? { ...c, align } : c, false, r.fill);
        }),
      }),
  );
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: columns.map((c) => Math.round((CONTENT_TWIPS * c.width) / 100)),
    layout: TableLayoutType.FIXED,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    rows: [headerRow, ...bodyRows],
  });
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

type Block = Paragraph | Table;

// ---- the answer first (sections/front.ts, body.ts) ----

function summarySection(model: ReportModel, source: WorkingCopySource): Block[] {
  const { organisation, assessment, summary } = model;
  const headline = attestationHeadline(model);
  const kinds = headline.byKind.map((k) => `${k.count} × ${k.label}`).join(' · ');
  const change = changeSentence(model);
  const criticalGaps = model.questions.filter(isCriticalGap).length;
  const tiles: { label: string; value: string; note: string; band?: ReportBand }[] = [
    {
      label: 'Readiness band',
      value: BAND_LABEL[summary.band],
      note: `${BAND_MEANING[summary.band]}${criticalGaps > 0 ? `; ${criticalGaps} critical gap${criticalGaps === 1 ? '' : 's'}` : ''}`,
      band: summary.band,
    },
    {
      label: 'Overall score',
      value: `${round(summary.score)} / 100`,
      note:
        summary.band !== summary.rawBand
          ? `score alone is ${BAND_LABEL[summary.rawBand]}; capped by critical controls`
          : 'weighted mean of domains',
    },
    {
      label: 'Confidence',
      value: CONFIDENCE_LABEL[summary.confidence.label],
      note: `${round(summary.confidence.evidencePct)}% evidenced, ${round(summary.confidence.reviewedPct)}% reviewed by another`,
    },
    { label: 'Trend', value: change.value, note: change.note },
  ];
  const blocks: Block[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs('Board report · CSAM prevention self-assessment') }),
    new Paragraph({
      children: [...runs(`${workingCopyMarking(source)}.`, { bold: true }), new TextRun({ text: ' ' }), ...runs(WORKING_COPY_NOTE)],
      border: {
        top: { style: BorderStyle.SINGLE, size: 8, color: 'B3261E', space: 4 },
        bottom: { style: BorderStyle.SINGLE, size: 8, color: 'B3261E', space: 4 },
        left: { style: BorderStyle.SINGLE, size: 8, color: 'B3261E', space: 4 },
        right: { style: BorderStyle.SINGLE, size: 8, color: 'B3261E', space: 4 },
      },
      shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'FDECEA' },
      spacing: { after: 160 },
    }),
    heading(BOARD_PACK_SECTIONS.summary, HeadingLevel.HEADING_1),
    para(organisation.name, { bold: true, size: 30, color: '1F3A5F' }, 40),
    para(
      `Assessment period ${formatDate(assessment.periodStart)} – ${formatDate(assessment.periodEnd)} · issued ${formatDate(model.issuedAt)} · report ${model.reportId}`,
      { size: 17, color: '555555' },
    ),
    heading(headline.title, HeadingLevel.HEADING_2),
    para(headline.sentence),
  ];
  if (kinds) blocks.push(para(kinds, { size: 17 }));
  blocks.push(
    table(
      tiles.map((t) => ({ header: t.label, width: 25 })),
      [{ cells: tiles.map((t) => ({ text: t.value, bold: true, note: t.note, ...(t.band ? { fill: BAND_FILL[t.band] } : {}) })) }],
    ),
  );

  blocks.push(heading(BOARD_PACK_SECTIONS.decisions, HeadingLevel.HEADING_2));
  const decisions = summary.boardDecisions.length > 0 ? summary.boardDecisions.slice(0, 3) : ['Note the report; no decision is requested.'];
  blocks.push(...decisions.map((d) => numbered(d)));
  if (summary.boardDecisions.length > 3) {
    blocks.push(
      para(`${summary.boardDecisions.length - 3} further decision(s) are listed under Accountability and sign-off.`, {
        size: 16,
        color: '555555',
      }),
    );
  }

  blocks.push(heading(BOARD_PACK_SECTIONS.risks, HeadingLevel.HEADING_2));
  const risks = topRisks(model, 5);
  blocks.push(
    table(
      [
        { header: 'Action', width: 10 },
        { header: 'Risk and the action that closes it', width: 44 },
        { header: 'Owner', width: 20 },
        { header: 'Due', width: 16 },
        { header: 'Priority', width: 10 },
      ],
      risks.map((r) => ({
        cells: [
          { text: r.number, bold: true },
          r.title,
          r.owner ?? 'Unassigned',
          { text: `${formatDate(r.dueDate)}${r.overdue ? '\nOVERDUE' : ''}`, bold: r.overdue },
          PRIORITY_LABEL[r.priority],
        ],
        ...(r.overdue ? { fill: OVERDUE_FILL } : {}),
      })),
    ),
  );
  if (risks.length === 0) blocks.push(para('No open actions.', { size: 17, color: '555555' }));
  blocks.push(
    para(`Open actions in priority order, overdue first. The full plan is in Appendix D (${model.actions.length} actions).`, {
      size: 15,
      color: '555555',
    }),
  );

  const narrative = summary.narrative.slice(0, 3).join(' ');
  if (narrative) blocks.push(heading(BOARD_PACK_SECTIONS.narrative, HeadingLevel.HEADING_2), para(narrative));

  const figures = headlineFigures(model, 3);
  if (figures.length > 0) {
    blocks.push(heading(BOARD_PACK_SECTIONS.why, HeadingLevel.HEADING_2));
    for (const f of figures) blocks.push(bullet(f.statement), para(`Source: ${f.source}.`, { size: 15, color: '555555' }));
  }
  return blocks;
}

function heatmapSection(model: ReportModel): Block[] {
  return [
    heading(BOARD_PACK_SECTIONS.heatmap, HeadingLevel.HEADING_1, true),
    para(
      'Every domain at a glance. Each cell says its value in words as well as in colour, so the page reads the same in greyscale. ' +
        'A critical control at level 1 or below forces a domain to Red; at level 2 it caps it at Amber.',
      { size: 17, color: '555555' },
    ),
    table(
      [
        { header: 'Domain', width: 40 },
        { header: 'Score and band', width: 16 },
        { header: 'Lowest level vs target', width: 18 },
        { header: 'Evidence coverage', width: 13, align: 'right' },
        { header: 'Capped by', width: 13 },
      ],
      model.domains.map((d) => {
        const below = d.achievedLevel !== null && d.targetLevel !== null && d.achievedLevel < d.targetLevel;
        return {
          cells: [
            `${d.domainId} · ${d.title}`,
            {
              text: d.score === null ? 'n/a' : `${round(d.score)} ${d.band ? BAND_LABEL[d.band] : ''}`,
              bold: true,
              ...(d.band ? { fill: BAND_FILL[d.band] } : {}),
            },
            {
              text:
                d.achievedLevel === null
                  ? 'n/a'
                  : `${levelText(d.achievedLevel)} of ${levelText(d.targetLevel)}${below ? ' (below)' : ' (at target)'}`,
              bold: below,
              ...(below ? { fill: BAND_FILL.red } : {}),
            },
            `${round(d.evidenceCoveragePct)}%`,
            d.cappedBy.join(', ') || '—',
          ],
        };
      }),
    ),
    para(
      'Lowest level vs target: the lowest effective level of any applicable question in the domain against the lowest target. ' +
        'Evidence coverage: the share of applicable questions with accepted, unexpired evidence.',
      { size: 15, color: '555555' },
    ),
  ];
}

function exceptionsSection(model: ReportModel): Block[] {
  const headline = attestationHeadline(model);
  const { exceptions } = model.attestation;
  const signedOff = model.attestation.status !== 'not_signed';
  const intro = signedOff
    ? exceptions.length === 0
      ? 'The accountable individual signed without exceptions: the hand-on-heart check found nothing in the way.'
      : `${headline.sentence} Each is listed here in the signer’s words; the remediation plan (Appendix D) holds the actions that close them.`
    : exceptions.length === 0
      ? 'The hand-on-heart check finds nothing in the way; the accountable individual has not yet signed.'
      : `${headline.sentence} Each must be resolved, or acknowledged as an exception by the signer, for an attestation to be given.`;
  const blocks: Block[] = [
    heading(signedOff ? BOARD_PACK_SECTIONS.exceptionsSigned : BOARD_PACK_SECTIONS.exceptionsNotSigned, HeadingLevel.HEADING_1, true),
    para(intro, { size: 17, color: '555555' }),
  ];
  if (exceptions.length > 0) {
    blocks.push(
      table(
        [
          { header: 'Kind', width: 30 },
          { header: 'What', width: 70 },
        ],
        exceptions.map((e) => ({ cells: [{ text: exceptionKindLabel(e.kind), bold: true }, e.message] })),
      ),
    );
  }
  return blocks;
}

function criticalSection(model: ReportModel): Block[] {
  return [
    heading(BOARD_PACK_SECTIONS.critical, HeadingLevel.HEADING_1),
    para(
      'Every critical (gating) control, most severe first. A critical control at level 1 or below forces the overall and ' +
        'domain band to Red; at level 2 it caps them at Amber. A critical gap can never be risk-accepted.',
      { size: 17, color: '555555' },
    ),
    table(
      [
        { header: 'Control', width: 36 },
        { header: 'Level / target', width: 10 },
        { header: 'Evidence', width: 11 },
        { header: 'Action and owner', width: 15 },
        { header: 'Due', width: 12 },
        { header: 'Cap / reason', width: 16 },
      ],
      criticalControls(model.questions).map((q) => {
        const action = coveringAction(model, q.questionId);
        const counting = q.evidence.filter((e) => e.counts).length;
        const level = q.effectiveLevel ?? 0;
        const red = q.included && level <= 1;
        const overdue = action !== null && isOverdue(action, model.issuedAt);
        return {
          cells: [
            `${idText(q.questionId)} ${q.text}`,
            { text: q.included ? `${levelText(q.effectiveLevel)} / L${q.target}` : 'N/A', bold: red },
            q.evidence.length === 0 ? 'None' : `${counting} of ${q.evidence.length} counting`,
            action ? `${action.number}\n${action.owner ?? 'Unassigned'}` : q.included && level < q.target ? 'No action' : '—',
            { text: action ? `${formatDate(action.dueDate)}${overdue ? '\nOVERDUE' : ''}` : '—', bold: overdue },
            { text: capNote(q), bold: red },
          ],
        };
      }),
    ),
  ];
}

function concernsSection(model: ReportModel): Block[] {
  return [
    heading(BOARD_PACK_SECTIONS.concerns, HeadingLevel.HEADING_1),
    heading('Five weakest domains', HeadingLevel.HEADING_3),
    table(
      [
        { header: 'Domain', width: 40 },
        { header: 'Score', width: 9, align: 'right' },
        { header: 'Band', width: 11 },
        { header: 'Level / target', width: 15 },
        { header: 'Capped by', width: 25 },
      ],
      weakestDomains(model.domains, 5).map((d) => ({
        cells: [
          `${d.domainId} · ${d.title}`,
          { text: d.score === null ? '—' : round(d.score), bold: true },
          d.band ? BAND_LABEL[d.band] : '—',
          `${levelText(d.achievedLevel)} / ${levelText(d.targetLevel)}`,
          d.cappedBy.join(', ') || '—',
        ],
      })),
    ),
    heading('Ten questions with the largest weighted gap', HeadingLevel.HEADING_3),
    table(
      [
        { header: 'Question', width: 52 },
        { header: 'Weight', width: 8, align: 'right' },
        { header: 'Level / target', width: 12 },
        { header: 'Gap', width: 7, align: 'right' },
        { header: 'Weight × gap', width: 11, align: 'right' },
        { header: 'Uplift (pts)', width: 10, align: 'right' },
      ],
      topConcernQuestions(model.questions, 10).map((q) => ({
        cells: [
          `${idText(q.questionId)} ${q.text}${q.critical ? ' (critical)' : ''}`,
          String(q.weight),
          `${levelText(q.effectiveLevel ?? 0)} / L${q.target}`,
          String(q.gap),
          { text: String(concernScore(q)), bold: true },
          signed(q.upliftPoints, 1),
        ],
      })),
    ),
  ];
}

function trendSection(model: ReportModel): Block[] {
  const rows = trendRows(model);
  const blocks: Block[] = [heading(BOARD_PACK_SECTIONS.trend, HeadingLevel.HEADING_1, true)];
  if (model.trend.length === 0) blocks.push(para('This is the first assessment; the trend starts with it.'));
  blocks.push(
    table(
      [
        { header: 'Assessment', width: 30 },
        { header: 'Scored as of', width: 17 },
        { header: 'Bank version', width: 15 },
        { header: 'Score', width: 10, align: 'right' },
        { header: 'Band', width: 12 },
        { header: 'Change', width: 16, align: 'right' },
      ],
      rows.map((r) => ({
        cells: [r.label, formatDate(r.assessedAt), r.bankVersion, { text: round(r.score), bold: true }, BAND_LABEL[r.band], r.change],
      })),
    ),
  );
  const moves = domainMovements(model);
  if (!moves) return blocks;
  const muted = { size: 16, color: '555555' };
  if (moves.previousBankVersion !== null) {
    return [
      ...blocks,
      para(
        `Domain changes are not compared: the previous assessment used bank version ${moves.previousBankVersion}, this one ${model.bank.version}.`,
        muted,
      ),
      ...(bankChangeLines(model).length > 0
        ? [heading('What the new question bank changed for you', HeadingLevel.HEADING_3), ...bankChangeLines(model).map((line) => para(line))]
        : []),
    ];
  }
  if (moves.moved.length > 0) {
    blocks.push(
      heading(`Domains that moved since ${moves.previousLabel}`, HeadingLevel.HEADING_3),
      table(
        [
          { header: 'Domain', width: 48 },
          { header: moves.previousLabel, width: 16, align: 'right' },
          { header: 'This', width: 16, align: 'right' },
          { header: 'Change', width: 20, align: 'right' },
        ],
        moves.moved.map((x) => ({
          cells: [
            `${CHANGE_LABEL[x.direction]} · ${x.domainId} ${x.title}`,
            x.before === null ? '—' : round(x.before),
            x.after === null ? '—' : round(x.after),
            { text: x.delta === 0 || x.delta === null ? '0' : signed(x.delta), bold: true },
          ],
        })),
      ),
    );
  }
  const ids = moves.reviewResetQuestionIds;
  if (ids.length > 0) {
    blocks.push(
      para(
        `Review reset: ${ids.join(', ')} ${ids.length === 1 ? 'is an N/A' : 'are N/As'} carried over from ${moves.previousLabel} and awaiting approval again (reviews start over each year). The answers are unchanged; the score returns when a reviewer approves ${ids.length === 1 ? 'it' : 'them'}.`,
        muted,
      ),
    );
  }
  if (moves.unchanged.length > 0) blocks.push(para(`Unchanged since ${moves.previousLabel}: ${moves.unchanged.join(', ')}.`, muted));
  if (moves.notComparable.length > 0)
    blocks.push(para(`Not comparable (no score in one of the two assessments): ${moves.notComparable.join(', ')}.`, muted));
  return blocks;
}

/** Incident drills finished in the period (docs/PRODUCT.md §15.8), as the PDF lists them; nothing for a model stored before. */
function drillsSection(model: ReportModel): Block[] {
  const drills = model.drills;
  if (!drills) return [];
  const blocks: Block[] = [heading('Incident drills held in the period', HeadingLevel.HEADING_3)];
  if (drills.length === 0) return [...blocks, para('No incident drill was finished in the period. ENT-05 asks for the discovery playbook to be exercised at least yearly.')];
  return [
    ...blocks,
    table(
      [
        { header: 'Scenario', width: 26 },
        { header: 'Finished', width: 12 },
        { header: 'Facilitator', width: 12 },
        { header: 'Outcome', width: 30 },
        { header: 'Record SHA-256', width: 20 },
      ],
      drills.map((d) => ({ cells: [d.scenario, formatDate(d.finishedAt), d.facilitatorRole, d.outcome, d.recordSha256 ?? '—'] })),
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
        { header: 'Regime', width: 19 },
        { header: 'Measure', width: 21 },
        { header: 'Applies', width: 10 },
        { header: 'Why', width: 22 },
        { header: 'Impl.', width: 7, align: 'right' },
        { header: 'Part.', width: 7, align: 'right' },
        { header: 'Not', width: 7, align: 'right' },
        { header: 'N/A', width: 7, align: 'right' },
      ],
      entries.map(({ e, jurisdiction }) => {
        const row = exposureRow(e, jurisdiction, model.questions);
        const { implemented, partial, notAddressed, notApplicable } = row.counts;
        return {
          cells: [row.regime, row.measure, { text: row.applies, bold: e.applies }, row.reason, String(implemented), String(partial), String(notAddressed), String(notApplicable)],
        };
      }),
    ),
  ];
  if (model.exposure.some((e) => !e.verified)) {
    blocks.push(
      para('† Measure id or wording not yet confirmed against the primary text for this bank version.', { size: 16, color: '555555' }),
    );
  }
  return blocks;
}

function answerText(q: ReportQuestion): string {
  const lines: string[] = [];
  if (q.included && q.claimed !== null)
    lines.push(`Claimed ${levelText(q.claimed)} → ${levelText(q.effectiveLevel)} (target L${q.target})`);
  else lines.push(`${ITEM_STATUS_LABEL[q.status]}${q.included ? ` → ${levelText(q.effectiveLevel ?? 0)} (target L${q.target})` : ''}`);
  if (q.capReason !== 'none') lines.push(`Cap: ${q.capReason.replaceAll('_', ' ')}`);
  const meta = [`w${q.weight}`, q.scale === 'legal_duty' ? 'legal duty' : 'maturity'];
  if (q.critical) meta.push('critical');
  meta.push(q.reviewedByOther ? 'reviewed' : 'not reviewed');
  lines.push(meta.join(' · '));
  if (q.answeredBy) lines.push(`${q.answeredBy}, ${formatDate(q.answeredAt)}`);
  return lines.join('\n');
}

function evidenceSummary(evidence: ReportEvidence[], numbers: Map<string, string>): string {
  if (evidence.length === 0) return 'None linked';
  const counting = evidence.filter((e) => e.counts).length;
  return `${evidence.map((e) => numbers.get(e.id) ?? idText(e.id)).join(', ')}\n${counting} of ${evidence.length} counting`;
}

function questionnaireSection(model: ReportModel): Block[] {
  const blocks: Block[] = [
    heading(BOARD_PACK_SECTIONS.questionnaire, HeadingLevel.HEADING_1, true),
    para(
      'Every question in the bank, in bank order, with the answer, its references and the evidence linked to it by its number in the ' +
        'evidence register (Appendix C), where each piece is listed once with its id and hash. Levels: claimed → effective after evidence caps.',
      { size: 17, color: '555555' },
    ),
  ];
  const numbers = evidenceNumbers(model);
  for (const domain of model.domains) {
    const questions = model.questions.filter((q) => q.domainId === domain.domainId);
    if (questions.length === 0) continue;
    blocks.push(
      heading(`${domain.domainId} · ${domain.title}`, HeadingLevel.HEADING_2),
      table(
        [
          { header: 'Question', width: 38 },
          { header: 'Answer', width: 22 },
          { header: 'References', width: 20 },
          { header: 'Evidence', width: 20 },
        ],
        questions.map((q) => ({
          cells: [
            `${idText(q.questionId)} ${q.text}${q.comment ? `\nComment: ${q.comment}` : ''}`,
            answerText(q),
            referenceLines(q).join('\n') || '—',
            evidenceSummary(q.evidence, numbers),
          ],
        })),
      ),
    );
  }
  const orphans = model.questions.filter((q) => !model.domains.some((d) => d.domainId === q.domainId));
  if (orphans.length > 0) blocks.push(para(`Questions in no listed domain: ${orphans.map((q) => q.questionId).join(', ')}.`));
  return blocks;
}

function evidenceSection(model: ReportModel): Block[] {
  const register = evidenceRegister(model);
  const counting = register.filter((r) => r.evidence.counts).length;
  return [
    heading(BOARD_PACK_SECTIONS.evidence, HeadingLevel.HEADING_1, true),
    para(
      `${register.length} pieces of evidence, ${counting} counting (accepted and unexpired at the scoring date), numbered in the order the questionnaire first cites them. Each is listed by id and, for an ` +
        'uploaded document, its SHA-256 hash; for an external reference, the id in the organisation’s own system. The report never holds evidence content.',
      { size: 17, color: '555555' },
    ),
    table(
      [
        { header: 'No.', width: 6 },
        { header: 'Evidence id', width: 22 },
        { header: 'Kind and status', width: 14 },
        { header: 'Dates', width: 14 },
        { header: 'Cited by', width: 9 },
        { header: 'SHA-256 or reference', width: 35 },
      ],
      register.map(({ evidence: e, questionIds }, i) => ({
        cells: [
          { text: `E${i + 1}`, bold: true },
          idText(e.id),
          `${e.kind.replaceAll('_', ' ')}\n${e.status}${e.counts ? ', counts' : ', does not count'}`,
          `issued ${formatDate(e.issuedAt)}${e.expiresAt ? `\nexpires ${formatDate(e.expiresAt)}` : ''}`,
          questionIds.map(idText).join('\n'),
          e.sha256 ? splitHash(e.sha256, 32) : `Ref: ${e.externalRef ?? '—'}`,
        ],
      })),
    ),
  ];
}

function remediationSection(model: ReportModel): Block[] {
  const overdue = model.actions.filter((a) => isOverdue(a, model.issuedAt));
  const open = model.actions.filter((a) => a.status === 'open' || a.status === 'in_progress' || a.status === 'blocked');
  const blocks: Block[] = [
    heading(BOARD_PACK_SECTIONS.remediation, HeadingLevel.HEADING_1, true),
    para(
      `${model.actions.length} actions: ${open.length} open, ${model.actions.filter((a) => a.status === 'done').length} done, ` +
        `${model.actions.filter((a) => a.status === 'risk_accepted').length} risk-accepted; ${overdue.length} overdue as of ${formatDate(model.issuedAt)}. ` +
        'Overdue rows are shaded, marked with a bar at the left edge and labelled OVERDUE. Uplift is the predicted gain in overall score points.',
      { size: 18, color: '555555' },
    ),
  ];
  for (const { horizon, actions } of actionsByHorizon(model)) {
    blocks.push(heading(`${HORIZON_LABEL[horizon]} — ${actions.length} action${actions.length === 1 ? '' : 's'}`, HeadingLevel.HEADING_2));
    if (actions.length === 0) continue;
    blocks.push(
      table(
        [
          { header: 'Action', width: 9 },
          { header: 'What', width: 31 },
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
              { text: late ? `OVERDUE\n${STATUS_LABEL[a.status]}` : STATUS_LABEL[a.status], bold: late },
              a.questionIds.map(idText).join('\n'),
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
        'Not signed. The accountable individual has not signed an attestation for this assessment, so this report is a DRAFT ' +
          'and carries a watermark on every page. Its figures may change before sign-off.',
        { bold: true },
      ),
    );
  } else {
    blocks.push(
      para(`“${signOff.statement}”`, { italics: true }),
      para(`Signed by ${signOff.signerName}, ${signOff.signerRole}, on ${formatDateTime(signOff.signedAt)}.`, { bold: true }),
      heading(`Exceptions acknowledged by the signer (${signOff.acknowledgedExceptions.length})`, HeadingLevel.HEADING_3),
      table(
        [
          { header: 'Kind', width: 30 },
          { header: 'Acknowledged at sign-off', width: 70 },
        ],
        signOff.acknowledgedExceptions.map((e) => ({ cells: [{ text: exceptionKindLabel(e.kind), bold: true }, e.message] })),
      ),
    );
  }
  if (model.summary.boardDecisions.length > 0) {
    blocks.push(
      heading('Decisions asked of the board', HeadingLevel.HEADING_2),
      ...model.summary.boardDecisions.map((d) => numbered(d, 'all-decisions')),
    );
  }
  return blocks;
}

function methodSection(model: ReportModel): Block[] {
  const sources = figuresSourceNote(model);
  return [
    heading(BOARD_PACK_SECTIONS.method, HeadingLevel.HEADING_1, true),
    para(METHOD_LEAD, { bold: true }),
    ...methodBullets(model).map((t) => bullet(t)),
    ...(sources ? [para(sources, { size: 15, color: '555555' })] : []),
  ];
}

function integritySection(model: ReportModel, source: WorkingCopySource): Block[] {
  const link = verifyLink(model);
  const blocks: Block[] = [
    heading(BOARD_PACK_SECTIONS.integrity, HeadingLevel.HEADING_1, true),
    para(
      `This file is an unsigned working copy. The record is the signed PDF report ${source.reportId}, issued ${formatDateTime(source.issuedAt)}, ` +
        `whose SHA-256 is ${source.pdfSha256}. The facts and steps below are the PDF’s: verify the PDF, not this file.`,
      { bold: true },
    ),
    keyValues(integrityFacts(model)),
    heading('How to verify this report', HeadingLevel.HEADING_2),
  ];
  // The PDF prints a QR code beside the address; a working copy gives the address alone (no
  // hyperlink: its relationship id would be random, and the bytes would change from render to render).
  if (link) blocks.push(para('Open this address, then give the page the PDF file:'), para(link, { bold: true }));
  blocks.push(
    ...verificationSteps(model)
      .slice(link ? 1 : 0)
      .map((t) => bullet(t)),
  );
  return blocks;
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
        title: { run: { size: 40 } },
      },
      paragraphStyles: [
        {
          id: TABLE_TEXT,
          name: 'Table text',
          basedOn: 'Normal',
          quickFormat: true,
          run: { size: 16 },
          paragraph: { spacing: { after: 0 } },
        },
        { id: TABLE_HEADING, name: 'Table heading', basedOn: TABLE_TEXT, quickFormat: true, run: { bold: true } },
      ],
    },
    numbering: {
      config: ['decisions', 'all-decisions'].map((reference) => ({
        reference,
        levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
      })),
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
          ...summarySection(model, source),
          ...heatmapSection(model),
          ...exceptionsSection(model),
          ...criticalSection(model),
          ...concernsSection(model),
          ...trendSection(model),
          ...drillsSection(model),
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
  return stampZip(packed, new Date(model.issuedAt));
}
