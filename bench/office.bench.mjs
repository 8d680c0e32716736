// docx.render.* and xlsx.render.*: wall time of renderBoardPackDocx() and renderRegistersXlsx() for the
// realistic board pack (60 questions in 9 domains, 40 actions, 3 earlier assessments) from the built
// dist, issue 25's targets (p50 <= 500 ms each). Rounds interleave the two, per README.md
// "Benchmarks"; a loaded machine is inconclusive, not a failure.
import { renderBoardPackDocx, renderRegistersXlsx } from '@hoh/report-pdf';
import { buildSampleReportModel } from '@hoh/report-pdf/testing';

import { busyBefore, busyNote, verdict } from './http-lib.mjs';

const TARGET_P50_MS = 500;
const WARMUP = 5;
const RUNS = 25;

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
  const source = { reportId: model.reportId, pdfSha256: 'ab'.repeat(32), issuedAt: model.issuedAt };
  const [docx, xlsx] = await Promise.all([renderBoardPackDocx(model, source), renderRegistersXlsx(model, source)]);
  ctx.log(`docx ${(docx.length / 1024).toFixed(0)} KiB, xlsx ${(xlsx.length / 1024).toFixed(0)} KiB`);
  for (let i = 0; i < WARMUP; i++) {
    await renderBoardPackDocx(model, source);
    await renderRegistersXlsx(model, source);
  }
  const docxMs = [];
  const xlsxMs = [];
  const busy = await busyBefore(ctx);
  for (let i = 0; i < RUNS; i++) {
    docxMs.push(await time(() => renderBoardPackDocx(model, source)));
    xlsxMs.push(await time(() => renderRegistersXlsx(model, source)));
  }
  const note = `60 questions / 40 actions / 3 earlier assessments; ${RUNS} interleaved runs after ${WARMUP} warm-up${busy ? `; ${busyNote()}` : ''}`;
  const entries = [];
  for (const [id, xs, bytes] of [
    ['docx', docxMs, docx.length],
    ['xlsx', xlsxMs, xlsx.length],
  ]) {
    const p50 = quantile(xs, 0.5);
    const p95 = quantile(xs, 0.95);
    ctx.log(`${id} p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
    entries.push(
      {
        id: `${id}.render.p50`,
        value: p50,
        unit: 'ms',
        target: `<= ${TARGET_P50_MS}`,
        pass: verdict(p50 <= TARGET_P50_MS, busy),
        note: `${(bytes / 1024).toFixed(0)} KiB; ${note}`,
      },
      { id: `${id}.render.p95`, value: p95, unit: 'ms' },
    );
  }
  return entries;
}
