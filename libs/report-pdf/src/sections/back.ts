import {
  evidenceRegister,
  exceptionKindLabel,
  figuresSourceNote,
  integrityFacts,
  isDraft,
  METHOD_LEAD,
  methodBullets,
  referenceLines,
  REVIEW_TRIGGERS,
  verificationSteps,
  verifyLink,
} from '../derive.js';
import { formatDate, formatDateTime, idText, ITEM_STATUS_LABEL, levelText, splitHash } from '../format.js';
import { COLOR, CONTENT_BOTTOM, CONTENT_TOP, CONTENT_W, type Layout, MARGIN_X, type TableRow } from '../layout.js';
import type { ReportEvidence, ReportModel, ReportQuestion } from '../model.js';
import { drawQr } from '../qr.js';

// Appendices: the questionnaire, the evidence register, accountability and sign-off, method and
// limitations, and last the integrity block with the hashes and how to verify the report.

export function renderAccountability(layout: Layout, model: ReportModel): void {
  layout.section('Appendix E — Accountability and sign-off', { newPage: true });
  const acc = model.accountability;
  layout.keyValues(
    [
      ['Accountable individual (Ofcom ICU A2)', `${acc.accountableIndividual}, ${acc.accountableRole}`],
      ['Reviewers', acc.reviewers.join(', ') || 'None recorded'],
      ['Independent verification', acc.verifiedBy ? `Recorded by ${acc.verifiedBy} (auditor)` : 'Not recorded'],
      ['Next review due', formatDate(acc.nextReviewDue)],
      ['Earlier review triggers', REVIEW_TRIGGERS],
    ],
    170,
    { size: 9 },
  );

  layout.subheading('Attestation', 120);
  const signOff = acc.signOff;
  const pad = 12;
  const inner = CONTENT_W - 2 * pad;
  if (signOff === null || isDraft(model)) {
    const text =
      'Not signed. The accountable individual has not signed an attestation for this assessment, so this report is a DRAFT ' +
      'and carries a watermark on every page. Its figures may change before sign-off.';
    const h = layout.measure(text, inner, { size: 10, bold: true }) + 2 * pad;
    layout.ensure(h);
    layout.box(MARGIN_X, layout.y, CONTENT_W, h, '#fdecea', COLOR.alert);
    layout.textAt(text, MARGIN_X + pad, layout.y + pad, inner, { size: 10, bold: true });
    layout.y += h + 10;
  } else {
    // The statement is printed whole: it is what was signed. Only a statement longer than a page is cut.
    const maxH = CONTENT_BOTTOM - CONTENT_TOP - 80;
    const statement = layout.fitText(`“${signOff.statement}”`, inner, maxH, { size: 10, lineGap: 2 });
    const signature = `Signed by ${signOff.signerName}, ${signOff.signerRole}, on ${formatDateTime(signOff.signedAt)}.`;
    const h =
      layout.measure(statement, inner, { size: 10, lineGap: 2 }) + 10 + layout.measure(signature, inner, { size: 9.5, bold: true }) + 2 * pad;
    layout.ensure(h);
    const top = layout.y;
    layout.box(MARGIN_X, top, CONTENT_W, h, COLOR.faint, COLOR.brand);
    layout.box(MARGIN_X, top, 4, h, COLOR.brand);
    let y = top + pad;
    y += layout.textAt(statement, MARGIN_X + pad, y, inner, { size: 10, lineGap: 2 }) + 10;
    layout.textAt(signature, MARGIN_X + pad, y, inner, { size: 9.5, bold: true });
    layout.y = top + h + 10;
    layout.table(
      [
        { header: 'Kind', width: 150 },
        { header: 'Acknowledged at sign-off', width: CONTENT_W - 150 },
      ],
      signOff.acknowledgedExceptions.map((e) => [{ text: exceptionKindLabel(e.kind), bold: true }, e.message]),
      { caption: `Exceptions acknowledged by the signer (${signOff.acknowledgedExceptions.length})`, size: 7.5 },
    );
  }

  if (model.summary.boardDecisions.length > 0) {
    layout.subheading('Decisions asked of the board', 40);
    layout.bullets(model.summary.boardDecisions, { size: 9 }, 'number');
  }
}

export function renderMethod(layout: Layout, model: ReportModel): void {
  layout.section('Appendix F — Method and limitations', { newPage: true });
  layout.paragraph(METHOD_LEAD, { size: 9.5, bold: true }, 8);
  layout.bullets(methodBullets(model), { size: 8.5 });
  const sources = figuresSourceNote(model);
  if (sources) layout.paragraph(sources, { size: 7.5, color: COLOR.muted });
}

function answerCell(q: ReportQuestion): string {
  const lines: string[] = [];
  if (q.included && q.claimed !== null) {
    lines.push(`Claimed ${levelText(q.claimed)} → ${levelText(q.effectiveLevel)} (target L${q.target})`);
  } else {
    lines.push(`${ITEM_STATUS_LABEL[q.status]}${q.included ? ` → ${levelText(q.effectiveLevel ?? 0)} (target L${q.target})` : ''}`);
  }
  if (q.capReason !== 'none') lines.push(`Cap: ${q.capReason.replaceAll('_', ' ')}`);
  const meta = [`w${q.weight}`, q.scale === 'legal_duty' ? 'legal duty' : 'maturity'];
  if (q.critical) meta.push('critical');
  meta.push(q.reviewedByOther ? 'reviewed' : 'not reviewed');
  lines.push(meta.join(' · '));
  if (q.answeredBy) lines.push(`${q.answeredBy}, ${formatDate(q.answeredAt)}`);
  return lines.join('\n');
}

/** The register's short number for each piece of evidence ("E7"), so the questionnaire can cite it without its long id. */
function evidenceNumbers(model: ReportModel): Map<string, string> {
  return new Map(evidenceRegister(model).map((r, i) => [r.evidence.id, `E${i + 1}`]));
}

function evidenceSummary(evidence: ReportEvidence[], numbers: Map<string, string>): string {
  if (evidence.length === 0) return 'None linked';
  const counting = evidence.filter((e) => e.counts).length;
  return `${evidence.map((e) => numbers.get(e.id) ?? idText(e.id)).join(', ')}\n${counting} of ${evidence.length} counting`;
}

export function renderQuestionnaire(layout: Layout, model: ReportModel): void {
  layout.section('Appendix B — Questionnaire', { newPage: true });
  layout.paragraph(
    'Every question in the bank, in bank order, with the answer, its references and the evidence linked to it by its number in the ' +
      'evidence register (Appendix C), where each piece is listed once with its id and hash. Levels: claimed → effective after evidence caps.',
    { size: 8.5, color: COLOR.muted },
  );
  const numbers = evidenceNumbers(model);
  for (const domain of model.domains) {
    const questions = model.questions.filter((q) => q.domainId === domain.domainId);
    if (questions.length === 0) continue;
    const rows: TableRow[] = questions.map((q) => ({
      cells: [
        { text: `${idText(q.questionId)} ${q.text}${q.comment ? `\nComment: ${q.comment}` : ''}` },
        answerCell(q),
        referenceLines(q).join('\n') || '—',
        { text: evidenceSummary(q.evidence, numbers), size: 7 },
      ],
    }));
    layout.table(
      [
        { header: 'Question', width: 190 },
        { header: 'Answer', width: 105 },
        { header: 'References', width: 95 },
        { header: 'Evidence', width: CONTENT_W - 390 },
      ],
      rows,
      { caption: `${domain.domainId} · ${domain.title}`, size: 7 },
    );
  }
  const orphans = model.questions.filter((q) => !model.domains.some((d) => d.domainId === q.domainId));
  if (orphans.length > 0) {
    layout.paragraph(`Questions in no listed domain: ${orphans.map((q) => q.questionId).join(', ')}.`, { size: 8 });
  }
}

export function renderEvidenceRegister(layout: Layout, model: ReportModel): void {
  layout.section('Appendix C — Evidence register', { newPage: true });
  const register = evidenceRegister(model);
  const counting = register.filter((r) => r.evidence.counts).length;
  layout.paragraph(
    `${register.length} pieces of evidence, ${counting} counting (accepted and unexpired at the scoring date), numbered in the order the questionnaire first cites them. Each is listed by id and, for an ` +
      'uploaded document, its SHA-256 hash; for an external reference, the id in the organisation’s own system. The report never holds evidence content.',
    { size: 8.5, color: COLOR.muted },
  );
  const rows: TableRow[] = register.map(({ evidence: e, questionIds }, i) => ({
    cells: [
      { text: `E${i + 1}`, bold: true, nowrap: true },
      { text: idText(e.id), nowrap: true },
      `${e.kind.replaceAll('_', ' ')}\n${e.status}${e.counts ? ', counts' : ', does not count'}`,
      `issued ${formatDate(e.issuedAt)}${e.expiresAt ? `\nexpires ${formatDate(e.expiresAt)}` : ''}`,
      { text: questionIds.map(idText).join('\n'), nowrap: true },
      e.sha256 ? { text: splitHash(e.sha256, 32), nowrap: true, size: 6.5 } : { text: `Ref: ${e.externalRef ?? '—'}`, size: 6.5 },
    ],
  }));
  layout.table(
    [
      { header: 'No.', width: 24 },
      { header: 'Evidence id', width: 152 },
      { header: 'Kind and status', width: 66 },
      { header: 'Dates', width: 66 },
      { header: 'Cited by', width: 42 },
      { header: 'SHA-256 or reference', width: CONTENT_W - 350 },
    ],
    rows,
    { size: 7 },
  );
}

/** The integrity facts and how to verify, last (issue 25): an auditor turns to the back for them. */
export function renderIntegrity(layout: Layout, model: ReportModel): void {
  layout.section('Appendix G — Integrity and how to verify this report', { newPage: true });
  layout.keyValues(integrityFacts(model), 118, { size: 8.5 });

  layout.subheading('How to verify this report', 150);
  const link = verifyLink(model);
  if (link) {
    const qrSize = 112;
    const textW = CONTENT_W - qrSize - 14;
    // The full address, broken only before its query parameters so each part stays whole.
    const parts = link.replace('?', '\n?').replaceAll('&', '\n&');
    const urlSize = layout.fitSize(parts, textW, { size: 8.5, bold: true }, 6);
    const urlStyle = { size: urlSize, bold: true };
    const intro = 'Scan the code or open this address, then give the page the PDF file:';
    const textH = layout.measure(intro, textW, { size: 8.5 }) + 4 + layout.measure(parts, textW, urlStyle);
    layout.ensure(Math.max(qrSize, textH) + 6);
    const top = layout.y;
    layout.figure(`QR code opening ${link}`, qrSize, () => drawQr(layout.doc, link, MARGIN_X, top, qrSize));
    layout.doc.link(MARGIN_X, top, qrSize, qrSize, link);
    const x = MARGIN_X + qrSize + 14;
    let y = top + 8;
    layout.within('P', () => {
      y += layout.textAt(intro, x, y, textW, { size: 8.5 }) + 4;
    });
    const urlH = layout.measure(parts, textW, urlStyle);
    layout.within('P', () => {
      layout.textAt(parts, x, y, textW, urlStyle);
    });
    layout.doc.link(x, y, textW, urlH, link);
    layout.y = top + Math.max(qrSize, y - top + urlH) + 8;
  }
  // With the address printed above, the steps start at the offline checks.
  layout.bullets(verificationSteps(model).slice(link ? 1 : 0), { size: 8.5 });
}
