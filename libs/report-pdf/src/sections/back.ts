import { isDraft } from '../derive.js';
import { formatDate, formatDateTime, ITEM_STATUS_LABEL, levelText, REGIME_LABEL, splitHash } from '../format.js';
import { COLOR, CONTENT_BOTTOM, CONTENT_TOP, CONTENT_W, type Layout, MARGIN_X, type TableRow } from '../layout.js';
import type { ReportEvidence, ReportModel, ReportQuestion } from '../model.js';

// Accountability and sign-off, method and limitations, and the appendix of every answer.

const REVIEW_TRIGGERS =
  'A significant change to the service (end-to-end encryption, livestreaming, generative AI, new discovery or ' +
  'monetisation features), a material incident, a new question-bank version or a change in the regulation snapshot.';

export function renderAccountability(layout: Layout, model: ReportModel): void {
  layout.section('Accountability and sign-off', { newPage: true });
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
        { header: 'Exception', width: 90 },
        { header: 'Kind', width: 110 },
        { header: 'Acknowledged at sign-off', width: CONTENT_W - 200 },
      ],
      signOff.acknowledgedExceptions.map((e) => [e.id, e.kind.replaceAll('_', ' '), e.message]),
      { caption: `Exceptions acknowledged by the signer (${signOff.acknowledgedExceptions.length})`, size: 7.5 },
    );
  }

  if (model.summary.boardDecisions.length > 0) {
    layout.subheading('Decisions asked of the board', 40);
    layout.bullets(model.summary.boardDecisions, { size: 9 });
  }
}

export function renderMethod(layout: Layout, model: ReportModel): void {
  layout.section('Method and limitations', { keepWith: 200 });
  layout.paragraph(
    'This is a self-assessment, not legal advice and not a certification. It records what the organisation says about its own ' +
      'controls, with the evidence it chose to link; Hand on Heart does not inspect systems or content.',
    { size: 9.5, bold: true },
    8,
  );
  layout.bullets(
    [
      'Scale: maturity questions are answered 0–4 (0 not in place, 1 ad hoc, 2 defined, 3 implemented with evidence, 4 managed with metrics evidence); legal-duty questions are yes = 4, partial = 2, no = 0.',
      'Evidence caps: only accepted, unexpired evidence counts (no expiry date means 12 months from issue). A claim of 3 or more without counting evidence is capped at 2; a maturity claim of 4 without metrics evidence is capped at 3.',
      'Scores: item ratio = effective level ÷ 4 (unknown and unanswered count 0); domain score = weight-averaged item ratios × 100 (weights 1–3); overall score = mean of domain scores over domains with an applicable item.',
      'Not applicable: an item leaves the score only when the profile rules it out or a reviewer approved the justification; an N/A awaiting approval counts as 0.',
      'Bands on the unrounded score: Green ≥ 75 (ready), Amber ≥ 50 (partially ready), Red < 50 (not ready). Any applicable critical item at level 1 or below forces Red; at level 2 it caps at Amber, for the overall result and its domain.',
      'Confidence: “Reviewed” needs ≥ 80% of answers reviewed by someone other than their author and ≥ 60% of level-3+ claims evidenced; “Independently verified” needs sign-off and an auditor’s recorded verification; otherwise “Self-attested”.',
      `Reproducibility: scored by engine version ${model.bank.engineVersion} against ${model.bank.frameworkId} ${model.bank.version} (regulation snapshot ${formatDate(model.bank.regulationSnapshotDate)}). The same inputs give the same result.`,
      'Limitations: answers and evidence are the organisation’s own; regulatory references reflect the snapshot date and may since have changed; measures marked † are not yet confirmed against the primary text.',
      'The product never holds abusive imagery: evidence is policy, process and configuration documents or references, listed in the appendix by id and SHA-256 hash only, never by content.',
    ],
    { size: 8.5 },
  );
  layout.paragraph('“Why this matters” figures: National Crime Agency, National Strategic Assessment of Serious and Organised Crime 2020.', {
    size: 8,
    color: COLOR.muted,
  });
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

function evidenceCell(evidence: ReportEvidence[]): string {
  if (evidence.length === 0) return 'No evidence linked';
  return evidence
    .map((e) => {
      const head = `▪ ${e.id} · ${e.kind.replaceAll('_', ' ')} · ${e.status}${e.counts ? '' : ' (does not count)'}`;
      const dates = `issued ${formatDate(e.issuedAt)}${e.expiresAt ? `, expires ${formatDate(e.expiresAt)}` : ''}`;
      const proof = e.sha256 ? `SHA-256\n${splitHash(e.sha256, 32)}` : `Ref: ${e.externalRef ?? '—'}`;
      return `${head}\n${dates}\n${proof}`;
    })
    .join('\n');
}

export function renderAppendix(layout: Layout, model: ReportModel): void {
  layout.section('Appendix A — Every answer', { newPage: true });
  layout.paragraph(
    'Every question in the bank, in bank order, with the answer, its references and the linked evidence by id and SHA-256 ' +
      'hash (never content). Levels: claimed → effective after evidence caps.',
    { size: 8.5, color: COLOR.muted },
  );
  for (const domain of model.domains) {
    const questions = model.questions.filter((q) => q.domainId === domain.domainId);
    if (questions.length === 0) continue;
    const rows: TableRow[] = questions.map((q) => ({
      cells: [
        { text: `${q.questionId} ${q.text}${q.comment ? `\nComment: ${q.comment}` : ''}` },
        answerCell(q),
        q.references.map((r) => `${REGIME_LABEL[r.regime].name} ${r.id}${r.verified ? '' : ' †'}`).join('\n') || '—',
        { text: evidenceCell(q.evidence), size: 6.5 },
      ],
    }));
    layout.table(
      [
        { header: 'Question', width: 150 },
        { header: 'Answer', width: 100 },
        { header: 'References', width: 88 },
        { header: 'Evidence (id · SHA-256)', width: CONTENT_W - 338 },
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
