// pdf.render.*: wall time of renderReport() for the realistic board pack (60 questions in 9
// domains, 40 actions, 3 earlier assessments) from the built dist, and its ratio to a same-run
// pdfkit baseline that writes the same number of pages of plain text with the same embedded font
// (DejaVu Sans, regular + bold, subset). The baseline's text is the model's own strings (questions,
// actions, evidence ids and hashes), so both sides shape the same words; only layout differs.
// Rounds interleave report and baseline, per README.md "Benchmarks"; a loaded machine is inconclusive.
// pdf.render.tagged: the tagged report (the default since issue 25: structure tree, marked content,
// artifacts) against the same model rendered untagged in the same rounds, so tagging's cost is seen.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { renderReport } from '@hoh/report-pdf';
import { buildSampleReportModel } from '@hoh/report-pdf/testing';

import { busyBefore, busyNote, verdict } from './http-lib.mjs';

const TARGET_P50_MS = 250;
const TARGET_P95_MS = 400;
const TARGET_RATIO = 3;
/** Tagging may cost at most half again an untagged render (a structure element per table cell). */
const TARGET_TAGGED_RATIO = 1.5;
const WARMUP = 8;
const RUNS = 40;

const require = createRequire(import.meta.url);
const regular = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
const bold = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));

function pageCount(pdf) {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

function baselineText(model) {
  const parts = [model.organisation.name, model.organisation.scope, ...model.summary.narrative, ...model.summary.boardDecisions];
  for (const q of model.questions) {
    parts.push(`${q.questionId} ${q.text}`);
    for (const r of q.references) parts.push(`${r.regime} ${r.id} ${r.title}`);
    for (const e of q.evidence) parts.push(`${e.id} ${e.kind} ${e.status} ${e.sha256 ?? e.externalRef ?? ''}`);
  }
  for (const a of model.actions) parts.push(`${a.id} ${a.title} ${a.owner ?? ''} ${a.dueDate ?? ''}`);
  return parts;
}

/** Plain pdfkit: flowing text, bold headings every few paragraphs, until `pages` pages exist. */
function renderBaseline(paragraphs, pages) {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, bufferPages: true, info: { CreationDate: new Date(0) } });
    doc.registerFont('R', regular);
    doc.registerFont('B', bold);
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    let i = 0;
    // Paragraphs are at most a few lines, so one started above the last 150 pt never adds a page.
    while (doc.bufferedPageRange().count < pages || doc.y < doc.page.height - 150) {
      if (i % 12 === 0) doc.font('B').fontSize(11).text(`Section ${i / 12 + 1}`);
      doc.font('R').fontSize(8.5).text(paragraphs[i % paragraphs.length], { width: 495 });
      i++;
    }
    const range = doc.bufferedPageRange();
    for (let p = range.start; p < range.start + range.count; p++) {
      doc.switchToPage(p);
      doc.page.margins.bottom = 0;
      doc.font('R').fontSize(7.5).text(`Page ${p + 1} of ${range.count}`, 50, doc.page.height - 40, { lineBreak: false });
    }
    doc.end();
  });
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
};

async function time(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function run(ctx) {
  const model = buildSampleReportModel();
  const first = await renderReport(model);
  const pages = pageCount(first);
  const paragraphs = baselineText(model);
  const basePdf = await renderBaseline(paragraphs, pages);
  ctx.log(`report: ${pages} pages, ${(first.length / 1024).toFixed(0)} KiB; baseline: ${pageCount(basePdf)} pages`);

  for (let i = 0; i < WARMUP; i++) {
    await renderReport(model);
    await renderReport(model, { tagged: false });
    await renderBaseline(paragraphs, pages);
  }
  const report = [];
  const untagged = [];
  const baseline = [];
  const busy = await busyBefore(ctx);
  for (let i = 0; i < RUNS; i++) {
    report.push(await time(() => renderReport(model)));
    untagged.push(await time(() => renderReport(model, { tagged: false })));
    baseline.push(await time(() => renderBaseline(paragraphs, pages)));
  }
  const p50 = quantile(report, 0.5);
  const p95 = quantile(report, 0.95);
  const base50 = quantile(baseline, 0.5);
  const ratio = p50 / base50;
  const untagged50 = quantile(untagged, 0.5);
  const taggedRatio = p50 / untagged50;
  const note = `${pages} pages, 60 questions / 40 actions / 3 earlier assessments; ${RUNS} interleaved runs after ${WARMUP} warm-up${busy ? `; ${busyNote()}` : ''}`;
  ctx.log(`report p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; untagged p50 ${untagged50.toFixed(1)} ms (tagged/untagged ${taggedRatio.toFixed(2)}); baseline p50 ${base50.toFixed(1)} ms; ratio ${ratio.toFixed(2)}`);
  return [
    { id: 'pdf.render.p50', value: p50, unit: 'ms', target: `<= ${TARGET_P50_MS}`, pass: verdict(p50 <= TARGET_P50_MS, busy), note },
    { id: 'pdf.render.p95', value: p95, unit: 'ms', target: `<= ${TARGET_P95_MS}`, pass: verdict(p95 <= TARGET_P95_MS, busy) },
    {
      id: 'pdf.render.ratio',
      value: p50,
      unit: 'ms',
      baseline: base50,
      ratio,
      target: `<= ${TARGET_RATIO}`,
      pass: verdict(ratio <= TARGET_RATIO, busy),
      note: `baseline: plain pdfkit text of the model's strings, same page count, DejaVu Sans regular + bold embedded`,
    },
    {
      id: 'pdf.render.tagged',
      value: p50,
      unit: 'ms',
      baseline: untagged50,
      ratio: taggedRatio,
      target: `<= ${TARGET_TAGGED_RATIO}`,
      pass: verdict(taggedRatio <= TARGET_TAGGED_RATIO, busy),
      note: 'baseline: the same model rendered untagged (renderReport(model, { tagged: false })) in the same rounds',
    },
  ];
}
