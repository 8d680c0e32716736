import ExcelJS from 'exceljs';

import { spreadsheetSafeText } from '@hoh/contracts';

import { BAND_LABEL } from '../format.js';
import { groupAnswerHeadline, type GroupReportModel, memberLine } from '../group-report.js';

import { stampZip, WORKING_COPY_NOTE, xmlSafe } from './working-copy.js';

// The group board report as a workbook (issue 31 item 3): the same model the signed PDF was rendered
// from, stored with it, so its figures cannot differ from the PDF's. An unsigned working copy, marked
// as such and naming the signed PDF; every text cell goes through the product's formula-injection rule.

export const GROUP_REPORT_SHEETS = ['About', 'Matrix', 'Members', 'Shared gaps'] as const;

type Value = string | number | null;

const text = (value: string): string => spreadsheetSafeText(xmlSafe(value));

function addSheet(workbook: ExcelJS.Workbook, name: string, headers: string[], rows: Value[][]): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  sheet.columns = headers.map((h) => ({ header: text(h), key: h }));
  for (const row of rows) sheet.addRow(row.map((v) => (typeof v === 'string' ? text(v) : v)));
  sheet.getRow(1).font = { bold: true };
  headers.forEach((h, i) => {
    const longest = Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length));
    sheet.getColumn(i + 1).width = Math.min(70, Math.max(8, longest + 2));
  });
}

/** The group report workbook. Deterministic: dates come from `model.issuedAt`, and the zip is stamped with it. */
export async function renderGroupReportXlsx(model: GroupReportModel, source: { pdfSha256: string }): Promise<Buffer> {
  const issued = new Date(model.issuedAt);
  const marking = `Unsigned working copy of signed group report ${model.reportId}, SHA-256 ${source.pdfSha256}`;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hand on Heart';
  workbook.lastModifiedBy = 'Hand on Heart';
  workbook.created = issued;
  workbook.modified = issued;
  workbook.title = xmlSafe(`Group report — ${model.group.name} — ${model.reportId}`);
  workbook.subject = marking;

  addSheet(
    workbook,
    'About',
    ['Item', 'Value'],
    [
      ['What this is', `${marking}.`],
      ['Note', WORKING_COPY_NOTE],
      ['Group', model.group.name],
      ['Group ID', model.group.id],
      ['Issued (UTC)', model.issuedAt],
      ['The group’s answer', groupAnswerHeadline(model.answer)],
      ['Members', model.answer.members],
      ['Signed', model.answer.signed],
      ['Ready to attest', model.answer.ready],
      ['Not ready', model.answer.notReady],
      ['No assessment', model.answer.noAssessment],
    ],
  );
  addSheet(
    workbook,
    'Matrix',
    ['Organisation', ...model.domains.flatMap((d) => [`${d.title} score`, `${d.title} band`])],
    model.members.map((m) => [m.name, ...m.cells.flatMap((c) => (c === null ? [null, null] : [c.rounded, BAND_LABEL[c.band]]))]),
  );
  addSheet(
    workbook,
    'Members',
    ['Organisation', 'Organisation ID', 'Status', 'Score', 'Band', 'Exceptions', 'Overdue actions', 'In one line', 'Latest signed report', 'Its PDF SHA-256'],
    model.members.map((m) => [
      m.name,
      m.organisationId,
      m.status,
      m.score === null ? null : Math.round(m.score),
      m.band === null ? null : BAND_LABEL[m.band],
      m.exceptionCount,
      m.overdueActions,
      memberLine(m),
      m.signedReport?.reportId ?? null,
      m.signedReport?.pdfSha256 ?? null,
    ]),
  );
  addSheet(
    workbook,
    'Shared gaps',
    ['Question ID', 'Members sharing it', 'Which'],
    model.sharedGaps.map((g) => [g.questionId, g.organisations, g.names.join(', ')]),
  );
  return stampZip(new Uint8Array(await workbook.xlsx.writeBuffer()), issued);
}
