import { createHash } from 'node:crypto';

import { canonicalJson } from '@hoh/question-bank';

import { isDraft, verifyLink } from './derive.js';
import { FONT_BOLD } from './fonts.js';
import { formatDate, timeOf } from './format.js';
import { COLOR, CONTENT_W, type Layout, MARGIN_X, PAGE_H, PAGE_W, type TextStyle } from './layout.js';
import type { ReportModel } from './model.js';
import { type PdfInfo, renderPdf } from './pdf-document.js';
import { renderAccountability, renderEvidenceRegister, renderIntegrity, renderMethod, renderQuestionnaire } from './sections/back.js';
import { renderConcerns, renderCriticalControls, renderExceptions, renderExposure, renderRemediation, renderTrend } from './sections/body.js';
import { renderBoardSummary, renderHeatmap } from './sections/front.js';
import { renderDrills } from './sections/drills.js';
import { renderPeers } from './sections/peers.js';

export class ReportModelError extends Error {
  override name = 'ReportModelError';
}

/** SHA-256 of the model's canonical JSON (RFC 8785), so it does not depend on property order. */
export function reportModelDigest(model: ReportModel): string {
  return createHash('sha256').update(canonicalJson(model)).digest('hex');
}

function validate(model: ReportModel): Date {
  const issued = timeOf(model.issuedAt);
  if (Number.isNaN(issued)) throw new ReportModelError(`issuedAt must be an ISO 8601 date-time, got "${model.issuedAt}".`);
  if (model.assessment.status === 'signed' && model.accountability.signOff === null) {
    throw new ReportModelError('A signed assessment needs accountability.signOff (statement, signer, role, time).');
  }
  if (!/^[0-9a-f]{64}$/.test(model.integrity.resultsSha256)) {
    throw new ReportModelError('integrity.resultsSha256 must be 64 lowercase hex characters.');
  }
  return new Date(issued);
}

const PAGE_NUMBER_STYLE: TextStyle = { size: 7.5, bold: true, color: COLOR.ink };
const MARKING_SIZES = [7, 6.5, 6];
const MARKING_SMALLEST: TextStyle = { size: 6, color: COLOR.muted };

/** Lines filled character by character, for a marking whose words do not wrap into three lines. */
function fillByCharacter(layout: Layout, text: string, width: number, style: TextStyle): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (layout.widthOf(rest.slice(0, mid), style) <= width - 0.5) lo = mid;
      else hi = mid - 1;
    }
    lines.push(rest.slice(0, lo).trimEnd());
    rest = rest.slice(lo).trimStart();
  }
  return lines;
}

/**
 * The confidentiality marking as it fits the footer, whole: on up to two full-width lines at the
 * largest of 7, 6.5 and 6 pt, else on three at 6 pt, broken inside words if need be (the API's
 * marking with the longest organisation name, 200 characters of the widest letter, still fits).
 * It was one line cut with an ellipsis after about 80 characters ("Contains no evidence cont…"),
 * and a cut marking says nothing. Only a text longer than three such lines is still shortened.
 */
function footerMarking(layout: Layout, text: string): { lines: string[]; style: TextStyle } {
  const oneLine = text.replaceAll('\n', ' ');
  for (const size of MARKING_SIZES) {
    const style = { size, color: COLOR.muted };
    const lines = layout.wrap(oneLine, CONTENT_W, style);
    if (lines.length <= 2) return { lines, style };
  }
  const style = MARKING_SMALLEST;
  const words = layout.wrap(oneLine, CONTENT_W, style);
  if (words.length <= 3) return { lines: words, style };
  const characters = fillByCharacter(layout, oneLine, CONTENT_W, style);
  if (characters.length <= 3) return { lines: characters, style };
  return { lines: layout.fitLines(oneLine, CONTENT_W, 3 * layout.lineHeight(style), style), style };
}

/**
 * The footer's verify line: the full address of the human verify page when the product's public
 * address was set, else how to verify offline. Never a relative path, never the POST route.
 */
function verifyLine(model: ReportModel): string {
  const link = verifyLink(model);
  if (link) return `Verify: ${link}`;
  return 'Verify offline: the SHA-256 of this file must equal pdfSha256 in the signed manifest; check the signature with the issuer’s Ed25519 public key (Appendix G).';
}

/** Header, footer, page numbers and the DRAFT watermark, written once every page exists; all page furniture (artifacts). */
function decoratePages(layout: Layout, model: ReportModel): void {
  const doc = layout.doc;
  const range = doc.bufferedPageRange();
  const draft = isDraft(model);
  const headerLeft = `Hand on Heart · ${model.organisation.name}`;
  const headerRight = `Report ${model.reportId}`;
  // The same on every page, so measured once; the page number sits on the line below it.
  const marking = footerMarking(layout, model.confidentiality);
  // A third line of marking lifts the footer's rule into the room left below the content, so the
  // last line stays 20 pt clear of the paper's edge.
  const footerY = marking.lines.length > 2 ? PAGE_H - 64 : PAGE_H - 60;
  const subY = footerY + marking.lines.length * layout.lineHeight(marking.style);
  const sub = `Issued ${formatDate(model.issuedAt)} · ${draft ? 'DRAFT, not signed' : 'Signed'}`;
  const verify = verifyLine(model);
  const verifyStyle: TextStyle = { size: layout.fitSize(verify, CONTENT_W, { size: 6.5, color: COLOR.muted }, 5), color: COLOR.muted };
  const verifyY = subY + layout.lineHeight({ size: 6.5 });
  const link = verifyLink(model);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const pageNo = i - range.start + 1;
    layout.artifact(() => {
      const rightW = Math.min(200, layout.widthOf(headerRight, { size: 7.5 }) + 2);
      layout.lineAt(headerLeft, MARGIN_X, 40, CONTENT_W - rightW - 12, { size: 7.5, bold: true, color: COLOR.muted });
      layout.lineAt(headerRight, MARGIN_X + CONTENT_W - rightW, 40, rightW, { size: 7.5, color: COLOR.muted, align: 'right' });
      doc.moveTo(MARGIN_X, 52).lineTo(MARGIN_X + CONTENT_W, 52).lineWidth(0.5).strokeColor(COLOR.rule).stroke();

      doc.moveTo(MARGIN_X, footerY - 5).lineTo(MARGIN_X + CONTENT_W, footerY - 5).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      layout.drawLines(marking.lines, MARGIN_X, footerY, CONTENT_W, marking.style);
      const pageText = `Page ${pageNo} of ${range.count}`;
      const pageW = layout.widthOf(pageText, PAGE_NUMBER_STYLE) + 2;
      layout.lineAt(sub, MARGIN_X, subY, CONTENT_W - pageW - 12, { size: 6.5, color: COLOR.muted });
      layout.lineAt(pageText, MARGIN_X + CONTENT_W - pageW, subY - 0.5, pageW, { ...PAGE_NUMBER_STYLE, align: 'right' });
      layout.lineAt(verify, MARGIN_X, verifyY, CONTENT_W, verifyStyle);

      if (draft) {
        doc.save();
        doc.rotate(-45, { origin: [PAGE_W / 2, PAGE_H / 2] });
        doc.font(FONT_BOLD).fontSize(120).fillColor(COLOR.alert).fillOpacity(0.1);
        const w = doc.widthOfString('DRAFT');
        doc.text('DRAFT', PAGE_W / 2 - w / 2, PAGE_H / 2 - 60, { lineBreak: false });
        doc.restore();
      }
    }, 'Pagination');
    if (link) doc.link(MARGIN_X, verifyY, CONTENT_W, layout.lineHeight(verifyStyle), link);
  }
}

export interface RenderOptions {
  /**
   * Tagged PDF (issue 25): a structure tree for screen readers. On by default; off only to measure
   * what tagging costs (bench/pdf.bench.mjs).
   */
  tagged?: boolean;
}

/**
 * Renders the board pack. Deterministic: the same model gives the same bytes (dates come from
 * `issuedAt`, the trailer /ID is pdfkit's MD5 of the info dictionary, which carries a digest of
 * the model, and the font subset tags are derived from font ids, not random).
 */
export function renderReport(model: ReportModel, options: RenderOptions = {}): Promise<Buffer> {
  const tagged = options.tagged ?? true;
  let issued: Date;
  try {
    issued = validate(model);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const draft = isDraft(model);
  // Extra info keys are legal in PDF; they feed pdfkit's trailer /ID so different models never share one.
  const info: PdfInfo = {
    Title: `${draft ? 'DRAFT ' : ''}CSAM prevention self-assessment — ${model.organisation.name}`,
    Author: 'Hand on Heart',
    Subject: `Board report ${model.reportId} for assessment ${model.assessment.id}, ${model.assessment.periodStart} to ${model.assessment.periodEnd}`,
    Keywords: `CSAM, child protection, self-assessment, board report, ${model.reportId}, ${model.bank.frameworkId} ${model.bank.version}`,
    Creator: 'Hand on Heart report renderer',
    Producer: 'Hand on Heart (pdfkit)',
    CreationDate: issued,
    ModDate: issued,
    ResultsSha256: model.integrity.resultsSha256,
    ModelSha256: reportModelDigest(model),
  };
  return renderPdf(info, tagged, (layout) => {
    // The answer first, then the detail as appendices, and the integrity block last (issue 25).
    renderBoardSummary(layout, model);
    renderHeatmap(layout, model);
    renderExceptions(layout, model);
    renderCriticalControls(layout, model);
    renderConcerns(layout, model);
    renderTrend(layout, model);
    renderPeers(layout, model);
    renderDrills(layout, model);
    renderExposure(layout, model);
    renderQuestionnaire(layout, model);
    renderEvidenceRegister(layout, model);
    renderRemediation(layout, model);
    renderAccountability(layout, model);
    renderMethod(layout, model);
    renderIntegrity(layout, model);
    layout.finish();
    decoratePages(layout, model);
  });
}
