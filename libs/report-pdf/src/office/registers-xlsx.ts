import ExcelJS from 'exceljs';

import { spreadsheetSafeText } from '@hoh/contracts';

import { actionsByHorizon, evidenceNumbers, evidenceRegister, exposureCounts, isOverdue, referenceGroups } from '../derive.js';
import { HORIZON_LABEL, ITEM_STATUS_LABEL, JURISDICTION_ORDER, PRIORITY_LABEL, REGIME_LABEL, STATUS_LABEL } from '../format.js';
import type { ReportModel } from '../model.js';

import { checkSource, stampZip, WORKING_COPY_NOTE, workingCopyMarking, type WorkingCopySource, xmlSafe } from './working-copy.js';

// The registers as a workbook (issue 25 item 5): answers with references, evidence register, action
// plan and exposure map, one sheet each, after an "About" sheet naming the signed PDF they come from.
// Numbers are numbers, dates are real dates (UTC calendar days, shown yyyy-mm-dd), and every text
// cell goes through the product's one formula-injection rule (spreadsheetSafeText), so nothing a
// user typed can run as a formula even after the sheet is edited or re-saved as CSV.

export const REGISTER_SHEETS = ['About', 'Answers', 'Evidence register', 'Action plan', 'Exposure map'] as const;

/** Excel's limit for one cell's text; longer text is cut with an ellipsis rather than refused by Excel. */
const CELL_MAX = 32767;

type Value = string | number | Date | null;

interface Column {
  header: string;
  /** Width cap in characters; the column is as wide as its longest value up to this. */
  max?: number;
  /** Excel number format for Date or number cells. */
  format?: string;
}

const DAY = 'yyyy-mm-dd';
const DATE_TIME = 'yyyy-mm-dd hh:mm';

function text(value: string): string {
  const safe = spreadsheetSafeText(xmlSafe(value));
  return safe.length > CELL_MAX ? `${safe.slice(0, CELL_MAX - 1)}…` : safe;
}

/** A calendar day (YYYY-MM-DD) or instant as a Date at its UTC time; exceljs stores the UTC serial. */
function date(iso: string | null): Date | null {
  if (iso === null) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: Column[], rows: Value[][]): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.header, ...(c.format ? { style: { numFmt: c.format } } : {}) }));
  for (const row of rows) {
    const added = sheet.addRow(row.map((v) => (typeof v === 'string' ? text(v) : v)));
    // A date in a column without its own format (the About sheet's issue time) still shows as one.
    row.forEach((v, i) => {
      if (v instanceof Date && !columns[i]?.format) added.getCell(i + 1).numFmt = v.getTime() % 86_400_000 === 0 ? DAY : DATE_TIME;
    });
  }
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
  columns.forEach((c, i) => {
    let longest = c.header.length;
    for (const row of rows) {
      const v = row[i];
      const len = v instanceof Date ? (c.format === DATE_TIME ? 16 : 10) : v === null || v === undefined ? 0 : String(v).length;
      if (len > longest) longest = len;
    }
    const column = sheet.getColumn(i + 1);
    column.width = Math.min(c.max ?? 60, Math.max(8, longest + 2));
  });
}

/**
 * The registers workbook. Deterministic: workbook dates come from `model.issuedAt` and the zip is
 * re-packed with that time, so the same model and source give the same bytes.
 */
export async function renderRegistersXlsx(model: ReportModel, source: WorkingCopySource): Promise<Buffer> {
  checkSource(model, source);
  const issued = new Date(model.issuedAt);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hand on Heart';
  workbook.lastModifiedBy = 'Hand on Heart';
  workbook.created = issued;
  workbook.modified = issued;
  workbook.title = `Registers — ${xmlSafe(model.organisation.name)} — report ${model.reportId}`;
  workbook.subject = workingCopyMarking(source);

  addSheet(
    workbook,
    'About',
    [
      { header: 'Item', max: 28 },
      { header: 'Value', max: 100 },
    ],
    [
      ['What this is', `Registers from the board report. ${workingCopyMarking(source)}.`],
      ['Note', WORKING_COPY_NOTE],
      ['Signed PDF report ID', source.reportId],
      ['Signed PDF SHA-256', source.pdfSha256],
      ['Issued (UTC)', date(source.issuedAt)],
      ['Organisation', model.organisation.name],
      ['Assessment ID', model.assessment.id],
      ['Assessment period', `${model.assessment.periodStart} to ${model.assessment.periodEnd}`],
      ['Question bank', `${model.bank.title} (${model.bank.frameworkId})`],
      ['Bank version', model.bank.version],
      ['Scoring engine version', model.bank.engineVersion],
      ['Results SHA-256', model.integrity.resultsSha256],
      ['Confidentiality', model.confidentiality],
      ['Sheets', REGISTER_SHEETS.slice(1).join(', ')],
    ],
  );

  const numbers = evidenceNumbers(model);
  const domainTitle = new Map(model.domains.map((d) => [d.domainId, d.title]));
  addSheet(
    workbook,
    'Answers',
    [
      { header: 'Question ID' },
      { header: 'Domain', max: 40 },
      { header: 'Question', max: 80 },
      { header: 'Status', max: 28 },
      { header: 'Claimed level' },
      { header: 'Effective level' },
      { header: 'Target level' },
      { header: 'Gap' },
      { header: 'Weight' },
      { header: 'Critical' },
      { header: 'References', max: 60 },
      { header: 'References not applying to you', max: 80 },
      { header: 'Evidence count' },
      { header: 'Evidence (register numbers)', max: 30 },
      { header: 'Counting evidence' },
      { header: 'Reviewed by another' },
      { header: 'Answered by', max: 30 },
      { header: 'Answered on', format: DAY },
      { header: 'Comment', max: 60 },
    ],
    model.questions.map((q) => [
      q.questionId,
      `${q.domainId} · ${domainTitle.get(q.domainId) ?? q.domainId}`,
      q.text,
      ITEM_STATUS_LABEL[q.status],
      q.claimed,
      q.included ? (q.effectiveLevel ?? 0) : null,
      q.target,
      q.gap,
      q.weight,
      q.critical ? 'Yes' : 'No',
      // What applies (and voluntary measures, marked); then what is cited but does not apply, with why.
      q.references.filter((r) => r.state === undefined || r.state === 'applies' || r.state === 'voluntary').map((r) => `${r.regime} ${r.id}${r.state === 'voluntary' ? ' (voluntary)' : ''}`).join('; '),
      referenceGroups(q).notApplying.map((n) => `${n.label}: ${n.state}${n.reason ? ` (${n.reason})` : ''}`).join('; '),
      q.evidence.length,
      q.evidence.map((e) => numbers.get(e.id) ?? e.id).join(', '),
      q.evidence.filter((e) => e.counts).length,
      q.reviewedByOther ? 'Yes' : 'No',
      q.answeredBy,
      date(q.answeredAt),
      q.comment,
    ]),
  );

  addSheet(
    workbook,
    'Evidence register',
    [
      { header: 'No.' },
      { header: 'Evidence ID', max: 40 },
      { header: 'Kind', max: 30 },
      { header: 'Status' },
      { header: 'Counts' },
      { header: 'Issued', format: DAY },
      { header: 'Expires', format: DAY },
      { header: 'SHA-256', max: 66 },
      { header: 'External reference', max: 60 },
      { header: 'Questions', max: 40 },
    ],
    evidenceRegister(model).map(({ evidence: e, questionIds }, i) => [
      `E${i + 1}`,
      e.id,
      e.kind,
      e.status,
      e.counts ? 'Yes' : 'No',
      date(e.issuedAt),
      date(e.expiresAt),
      e.sha256,
      e.externalRef,
      questionIds.join(', '),
    ]),
  );

  addSheet(
    workbook,
    'Action plan',
    [
      { header: 'Number' },
      { header: 'Title', max: 70 },
      { header: 'Owner', max: 30 },
      { header: 'Due', format: DAY },
      { header: 'Status' },
      { header: 'Priority' },
      { header: 'Horizon', max: 26 },
      { header: 'Questions', max: 40 },
      { header: 'Overdue' },
      { header: 'Predicted uplift (points)', format: '0.0' },
    ],
    actionsByHorizon(model).flatMap(({ actions }) =>
      actions.map((a) => [
        a.number,
        a.title,
        a.owner,
        date(a.dueDate),
        STATUS_LABEL[a.status],
        PRIORITY_LABEL[a.priority],
        HORIZON_LABEL[a.horizon],
        a.questionIds.join(', '),
        isOverdue(a, model.issuedAt) ? 'Yes' : 'No',
        a.predictedUpliftPoints,
      ]),
    ),
  );

  const order = (j: string): number => {
    const i = JURISDICTION_ORDER.indexOf(j);
    return i < 0 ? JURISDICTION_ORDER.length : i;
  };
  addSheet(
    workbook,
    'Exposure map',
    [
      { header: 'Jurisdiction' },
      { header: 'Regime', max: 40 },
      { header: 'Measure ID', max: 24 },
      { header: 'Measure', max: 60 },
      { header: 'Confirmed against primary text' },
      { header: 'Applies' },
      { header: 'Why', max: 60 },
      { header: 'Implemented' },
      { header: 'Partial' },
      { header: 'Not addressed' },
      { header: 'Not applicable' },
    ],
    model.exposure
      .map((e, index) => ({ e, index, jurisdiction: REGIME_LABEL[e.regime].jurisdiction }))
      .sort((a, b) => order(a.jurisdiction) - order(b.jurisdiction) || Number(b.e.applies) - Number(a.e.applies) || a.index - b.index)
      .map(({ e, jurisdiction }) => {
        const c = exposureCounts(e, model.questions);
        return [
          jurisdiction,
          REGIME_LABEL[e.regime].name,
          e.id,
          e.title,
          e.verified ? 'Yes' : 'No',
          e.applies ? 'Yes' : 'No',
          e.reason,
          c.implemented,
          c.partial,
          c.notAddressed,
          c.notApplicable,
        ];
      }),
  );

  const written = await workbook.xlsx.writeBuffer();
  return stampZip(new Uint8Array(written), issued);
}
