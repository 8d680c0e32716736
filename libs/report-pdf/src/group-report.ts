import { createHash } from 'node:crypto';

import { canonicalJson } from '@hoh/question-bank';

import { BAND_LABEL, formatDateTime, splitHash, timeOf } from './format.js';
import { type Cell, COLOR, CONTENT_W, type Layout, MARGIN_X, PAGE_H, type TableRow } from './layout.js';
import type { ReportBand } from './model.js';
import { type PdfInfo, renderPdf } from './pdf-document.js';
import { BAND_TINT } from './sections/front.js';

export type GroupMemberStatus = 'signed' | 'ready' | 'not_ready' | 'no_assessment';

/**
 * The group board report (issue 31 item 3, docs/PRODUCT.md §16.6): one PDF over a group's member
 * organisations, made from their published summaries only. The API gathers this model (as the person
 * who asked, through the group's summary read); this renders it deterministically: the same model
 * gives the same bytes.
 */
export interface GroupReportModel {
  reportId: string;
  issuedAt: string;
  keyId: string;
  group: { id: string; name: string };
  requestedBy: string;
  /** The group's answer: how many members could attest today, with or without qualification. */
  answer: { members: number; signed: number; ready: number; notReady: number; noAssessment: number; couldAttest: number; qualified: number };
  /** The matrix's columns. */
  domains: { domainId: string; title: string }[];
  members: {
    organisationId: string;
    name: string;
    status: GroupMemberStatus;
    score: number | null;
    band: ReportBand | null;
    exceptionCount: number;
    overdueActions: number;
    /** One per domain column, null where the member reports no score for it. */
    cells: ({ rounded: number; band: ReportBand } | null)[];
    /** The member's latest signed (issued, not draft) report, named in the manifest. */
    signedReport: { reportId: string; pdfSha256: string; issuedAt: string } | null;
    /** When it last published its summary; null if never. */
    refreshedAt: string | null;
  }[];
  /** Critical gaps shared by members, most widely shared first. */
  sharedGaps: { questionId: string; organisations: number; names: string[] }[];
}

export class GroupReportModelError extends Error {
  override name = 'GroupReportModelError';
}

export function groupReportModelDigest(model: GroupReportModel): string {
  return createHash('sha256').update(canonicalJson(model)).digest('hex');
}

const STATUS_WORDS: Record<GroupMemberStatus, string> = {
  signed: 'Signed',
  ready: 'Ready to attest',
  not_ready: 'Not ready',
  no_assessment: 'No assessment',
};

/** The member's line in plain words: status, score and band, what qualifies it. */
export function memberLine(member: GroupReportModel['members'][number]): string {
  const parts = [STATUS_WORDS[member.status]];
  if (member.score !== null && member.band !== null) parts.push(`${Math.round(member.score)} (${BAND_LABEL[member.band]})`);
  if (member.exceptionCount > 0) parts.push(`${member.exceptionCount} exception${member.exceptionCount === 1 ? '' : 's'}`);
  if (member.overdueActions > 0) parts.push(`${member.overdueActions} overdue action${member.overdueActions === 1 ? '' : 's'}`);
  if (member.refreshedAt === null) parts.push('summary not yet published');
  return parts.join(' · ');
}

/** The headline sentence of the group's answer. */
export function groupAnswerHeadline(answer: GroupReportModel['answer']): string {
  if (answer.members === 0) return 'The group has no member organisations yet.';
  const unqualified = answer.couldAttest - answer.qualified;
  return `${answer.couldAttest} of ${answer.members} member organisation${answer.members === 1 ? '' : 's'} could attest today: ${unqualified} without qualification, ${answer.qualified} with exceptions recorded.`;
}

function decorate(layout: Layout, model: GroupReportModel): void {
  const doc = layout.doc;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    layout.artifact(() => {
      layout.lineAt(`Hand on Heart · Group report · ${model.group.name}`, MARGIN_X, 40, CONTENT_W - 160, { size: 7.5, bold: true, color: COLOR.muted });
      layout.lineAt(`Report ${model.reportId.slice(0, 8)}`, MARGIN_X + CONTENT_W - 150, 40, 150, { size: 7.5, color: COLOR.muted, align: 'right' });
      doc.moveTo(MARGIN_X, 52).lineTo(MARGIN_X + CONTENT_W, 52).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      const footerY = PAGE_H - 62;
      doc.moveTo(MARGIN_X, footerY - 5).lineTo(MARGIN_X + CONTENT_W, footerY - 5).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      const small = { size: 6.5, color: COLOR.muted };
      layout.lineAt('Made from each member organisation’s published summary; never its answers, evidence or people.', MARGIN_X, footerY, CONTENT_W, small);
      layout.lineAt(`Signed with key ${model.keyId}; verify at /verify or POST /api/v1/reports/verify.`, MARGIN_X, footerY + 9, CONTENT_W, small);
      layout.lineAt(`Issued ${formatDateTime(model.issuedAt)} · Page ${i - range.start + 1} of ${range.count}`, MARGIN_X, footerY + 18, CONTENT_W, small);
    }, 'Pagination');
  }
}

function bandCell(value: { rounded: number; band: ReportBand } | null): Cell {
  if (value === null) return { text: '–', color: COLOR.muted, align: 'center' };
  return { text: `${value.rounded} ${BAND_LABEL[value.band].charAt(0)}`, align: 'center', fill: BAND_TINT[value.band] };
}

function render(layout: Layout, model: GroupReportModel): void {
  layout.addPage();
  layout.section(`Group board report: ${model.group.name}`);
  layout.paragraph(groupAnswerHeadline(model.answer), { size: 12, bold: true, color: COLOR.brand }, 8);
  layout.keyValues([
    ['Members', String(model.answer.members)],
    ['Signed', String(model.answer.signed)],
    ['Ready to attest (not yet signed)', String(model.answer.ready)],
    ['Not ready', String(model.answer.notReady)],
    ['No assessment or no summary', String(model.answer.noAssessment)],
    ['Issued', formatDateTime(model.issuedAt)],
    ['Requested by', model.requestedBy],
  ]);

  layout.section('Organisations × domains');
  if (model.members.length === 0 || model.domains.length === 0) {
    layout.paragraph('No member has published domain scores yet.', { color: COLOR.muted });
  } else {
    const nameWidth = 120;
    // Nine domains today; members on different bank versions may add a few more, and the row still fits the page.
    const cellWidth = Math.max(10, Math.floor((CONTENT_W - nameWidth) / model.domains.length));
    layout.table(
      [{ header: 'Organisation', width: nameWidth }, ...model.domains.map((d) => ({ header: d.domainId, width: cellWidth, align: 'center' as const, nowrap: true }))],
      model.members.map((m) => [m.name, ...m.cells.map(bandCell)]),
      { size: 6.5, summary: 'Each member organisation’s score and band (G green, A amber, R red) per domain' },
    );
    layout.paragraph(`Domains: ${model.domains.map((d) => `${d.domainId} ${d.title}`).join('; ')}. Cells: score and band (G green, A amber, R red).`, { size: 7, color: COLOR.muted });
  }

  layout.section('Shared critical gaps');
  if (model.sharedGaps.length === 0) layout.paragraph('No critical gap is reported by any member.', { color: COLOR.muted });
  else
    layout.table(
      [
        { header: 'Question', width: 70, nowrap: true },
        { header: 'Members', width: 55, align: 'right' },
        { header: 'Which', width: CONTENT_W - 125 },
      ],
      model.sharedGaps.map((g) => [g.questionId, String(g.organisations), g.names.join(', ')]),
      { size: 7.5, zebra: true, summary: 'Critical questions short of target, ranked by how many members share them' },
    );

  layout.section('Each member in one line');
  const rows: TableRow[] = model.members.map((m) => ({
    cells: [m.name, memberLine(m)],
    marker: m.status === 'not_ready' || m.status === 'no_assessment',
  }));
  layout.table(
    [
      { header: 'Organisation', width: 140 },
      { header: 'Status', width: CONTENT_W - 140 },
    ],
    rows,
    { size: 8 },
  );

  layout.section('Member reports this report summarises');
  layout.paragraph('Each member’s latest signed report, by the SHA-256 of its PDF; the manifest of this report names the same hashes, and each can be verified on its own.', {
    size: 8.5,
    color: COLOR.muted,
  });
  layout.table(
    [
      { header: 'Organisation', width: 120 },
      { header: 'Report', width: 70, nowrap: true },
      { header: 'PDF SHA-256', width: CONTENT_W - 190 },
    ],
    model.members.map((m) => (m.signedReport ? [m.name, m.signedReport.reportId.slice(0, 8), splitHash(m.signedReport.pdfSha256)] : [m.name, '–', 'No signed report yet'])),
    { size: 7.5 },
  );
}

/** Renders the group board report; rejects a model whose dates cannot be read or whose matrix is ragged. */
export function renderGroupReport(model: GroupReportModel): Promise<Buffer> {
  const issued = timeOf(model.issuedAt);
  if (Number.isNaN(issued)) return Promise.reject(new GroupReportModelError('issuedAt must be an ISO 8601 date-time.'));
  if (model.members.some((m) => m.cells.length !== model.domains.length)) {
    return Promise.reject(new GroupReportModelError('Every member needs one matrix cell per domain.'));
  }
  const info: PdfInfo = {
    Title: `Group board report — ${model.group.name}`,
    Author: 'Hand on Heart',
    Subject: `Group report ${model.reportId} of group ${model.group.id}`,
    Keywords: `CSAM, group report, board report, ${model.reportId}`,
    Creator: 'Hand on Heart group report renderer',
    Producer: 'Hand on Heart (pdfkit)',
    CreationDate: new Date(issued),
    ModDate: new Date(issued),
    ModelSha256: groupReportModelDigest(model),
  };
  return renderPdf(info, true, (layout) => {
    render(layout, model);
    layout.finish();
    decorate(layout, model);
  });
}
