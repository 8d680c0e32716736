import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { getDocumentProxy } from 'unpdf';

import { verifyPageUrl } from '@hoh/contracts';

import { FONT_BOLD, FONT_REGULAR, parsedFonts } from './fonts.js';
import { Layout } from './layout.js';
import type { ReportModel } from './model.js';
import { qrModules } from './qr.js';
import { renderReport } from './render-report.js';
import { buildSampleReportModel, buildStressReportModel } from './testing/report-model.builder.js';

// Issue 25: the board pack read back the way a board member and an auditor meet it: page text in
// order (poppler's pdftotext, per page), every drawn line as pdf.js sees it, and the page pixels.

const squash = (s: string): string => s.replace(/\s+/g, '');

function poppler(): boolean {
  const probe = spawnSync('pdftotext', ['-v']);
  if (!probe.error) return true;
  if (process.env['CI'] === 'true') throw new Error('poppler-utils is not installed; CI must install it (.ci/run).');
  console.warn('SKIPPED: poppler-utils (pdftotext, pdfinfo, pdftoppm) is not installed.');
  return false;
}

/** Text of each page as poppler's pdftotext reads it (a tool that did not write the file). */
function popplerPages(pdf: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'hoh-pack-'));
  try {
    const file = join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    const all = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    return all.stdout.split('\f').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every line drawn, page by page, as pdf.js reports its text items (one item per drawn line). */
async function drawnLines(pdf: Buffer): Promise<string[][]> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const pages: string[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    pages.push(content.items.flatMap((item) => ('str' in item && item.str.trim() ? [item.str] : [])));
  }
  return pages;
}

const signedModel = buildSampleReportModel();
const draftModel = buildSampleReportModel({ signed: false });
const offlineModel: ReportModel = { ...draftModel, integrity: { ...draftModel.integrity, publicUrl: null } };
let signedPdf: Buffer;
let draftPdf: Buffer;
let offlinePdf: Buffer;
let stressPdf: Buffer;

beforeAll(async () => {
  [signedPdf, draftPdf, offlinePdf, stressPdf] = await Promise.all([
    renderReport(signedModel),
    renderReport(draftModel),
    renderReport(offlineModel),
    renderReport(buildStressReportModel()),
  ]);
});

describe('answer first', () => {
  it('fits the realistic assessment’s main body, before the first appendix, in at most 6 pages', () => {
    if (!poppler()) return;
    for (const pdf of [signedPdf, draftPdf]) {
      const pages = popplerPages(pdf);
      const firstAppendix = pages.findIndex((text) => /Appendix A — Regulatory exposure map/.test(text));
      expect(firstAppendix).toBeGreaterThan(0);
      expect(firstAppendix).toBeLessThanOrEqual(6);
    }
  });

  it('opens page 1 with the attestation status in words, before any number or hash', () => {
    if (!poppler()) return;
    const [signedFirst = '', draftFirst = ''] = [popplerPages(signedPdf)[0], popplerPages(draftPdf)[0]];
    expect(signedFirst).toContain('Qualified attestation: 3 exceptions');
    expect(draftFirst).toContain('Not ready to attest: not signed');
    // The exceptions behind it, by kind in words.
    expect(draftFirst).toContain('1 × Critical control below level 3');
    expect(draftFirst).toContain('1 × Claim without counting evidence');
    expect(signedFirst.indexOf('Qualified attestation')).toBeLessThan(signedFirst.indexOf('/ 100'));
    // No hash in the page's content (the footer's verify address carries one, as on every page).
    expect(signedFirst.split('CONFIDENTIAL')[0]).not.toContain(signedModel.integrity.resultsSha256);
  });

  it("prints each question's references as they stand for the organisation: what applies, voluntary ones marked, the rest collapsed with their state", () => {
    if (!poppler()) return;
    const appendix = squash(popplerPages(signedPdf).join('\n').split('Appendix B')[1] ?? '');
    const cited = (state: string) => signedModel.questions.some((q) => q.references.some((r) => r.state === state));
    // pdftotext lays the table's columns side by side, so each mark is looked for on its own.
    if (cited('voluntary')) expect(appendix).toContain('(voluntary)');
    if (cited('elsewhere')) expect(appendix).toContain(squash('(another jurisdiction)'));
    if (cited('condition_not_met')) expect(appendix).toContain(squash('(condition not met)'));
    expect(appendix).toContain(squash('Not applying to you:'));
    // Applying measures are never collapsed: an applying reference is printed on its own.
    expect(appendix).not.toMatch(/Notapplyingtoyou:[^\n]*\(appliestoyou\)/);
  });

  it('says in words what a new question bank changed for the organisation when the previous assessment used an older one', async () => {
    if (!poppler()) return;
    const last = signedModel.trend.at(-1)!;
    const model: ReportModel = {
      ...signedModel,
      trend: [...signedModel.trend.slice(0, -1), { ...last, bankVersion: '2025.1' }],
      comparison: null,
      bankChanges: [
        { from: '2025.1', to: signedModel.bank.version, newApplying: ['HASH-07'], nowApplying: [], noLongerApplying: ['RA-03', 'ENT-02'], criticalityChanged: ['GOV-01'], referencesCorrected: ['GOV-02', 'GOV-04'], retired: [] },
      ],
    };
    const text = squash(popplerPages(await renderReport(model)).join('\n'));
    expect(text).toContain(squash('What the new question bank changed for you'));
    expect(text).toContain(
      squash(`Question bank 2025.1 → ${signedModel.bank.version}: 1 new question applies to you (HASH-07); criticality changed on GOV-01; 2 questions no longer apply (RA-03, ENT-02); references corrected on 2 questions.`),
    );
    // The same bank: no such section.
    expect(squash(popplerPages(signedPdf).join('\n'))).not.toContain(squash('What the new question bank changed for you'));
  });

  it('says "Unqualified attestation" for a signature without exceptions, and "First" for a first assessment', async () => {
    if (!poppler()) return;
    const model: ReportModel = {
      ...signedModel,
      attestation: { status: 'unqualified', exceptions: [] },
      accountability: { ...signedModel.accountability, signOff: signedModel.accountability.signOff && { ...signedModel.accountability.signOff, acknowledgedExceptions: [] } },
      previous: null,
      trend: [],
      comparison: null,
    };
    const pages = popplerPages(await renderReport(model));
    expect(pages[0]).toContain('Unqualified attestation');
    expect(pages[0]).toContain('attested without exceptions on 29 Jun 2026');
    expect(pages[0]).toMatch(/TREND[\s\S]*First/);
    expect(pages.join('\n')).toContain('The accountable individual signed without exceptions');
  });

  it('names the top risks on page 1 with their action numbers, owners and due dates', () => {
    if (!poppler()) return;
    const first = popplerPages(signedPdf)[0] ?? '';
    const risks = signedModel.actions.filter((a) => ['open', 'in_progress', 'blocked'].includes(a.status));
    const shown = risks.filter((a) => first.includes(a.number));
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const a of shown) if (a.owner) expect(first).toContain(a.owner);
  });

  it('prints the heatmap on one page, every domain with its score and band in words', () => {
    if (!poppler()) return;
    const page = popplerPages(signedPdf).find((p) => p.includes('Domain heatmap')) ?? '';
    for (const d of signedModel.domains) {
      expect(page).toContain(d.domainId);
      if (d.score !== null && d.band) expect(page).toMatch(new RegExp(`${Math.round(d.score)} ${d.band[0]?.toUpperCase()}${d.band.slice(1)}`));
    }
  });
});

describe('readable tables', () => {
  it('never wraps an identifier: every action number, question id, measure id and evidence id is whole on one drawn line', async () => {
    // Real evidence ids are UUIDs, the widest identifier the register prints.
    let n = 0;
    const uuids: ReportModel = {
      ...signedModel,
      questions: signedModel.questions.map((q) => ({ ...q, evidence: q.evidence.map((e) => ({ ...e, id: `8f14e45f-ceea-4e7a-9c3b-${String(++n).padStart(12, '0')}` })) })),
    };
    const uuidPdf = await renderReport(uuids);
    for (const [model, pdf] of [
      [signedModel, () => signedPdf],
      [buildStressReportModel(), () => stressPdf],
      [uuids, () => uuidPdf],
    ] as const) {
      const lines = (await drawnLines(pdf())).flat().map((line) => line.replaceAll('\u00a0', ' ').trimEnd());
      const whole = (id: string): boolean => lines.some((line) => line.includes(id));
      // A cut identifier ends one drawn line and starts the next (a cell's lines are drawn in order).
      const joined = lines.join('\n');
      const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const cut = (id: string): boolean =>
        Array.from({ length: id.length - 1 }, (_, k) => k + 1).some((k) =>
          new RegExp(`(^|[\\s,(])${esc(id.slice(0, k))}\\n${esc(id.slice(k))}(?=$|[\\s,.;)])`, 'm').test(joined),
        );
      const ids = [
        ...model.actions.map((a) => a.number),
        ...model.questions.map((q) => q.questionId),
        ...model.exposure.map((e) => e.id),
        ...model.questions.flatMap((q) => q.evidence.map((e) => e.id)),
      ];
      expect(ids.filter((id) => !whole(id))).toEqual([]);
      expect(ids.filter((id) => cut(id))).toEqual([]);
    }
  });

  it('prints exception kinds in words, never as codes', async () => {
    const all = (await drawnLines(draftPdf)).flat().join('\n');
    for (const code of ['critical_below_target', 'unsupported_claim', 'overdue_action', 'unreviewed_answer']) expect(all).not.toContain(code);
    expect(all).toContain('Claim without counting evidence');
  });

  /** A bare tagged layout with the report's fonts, for drawing one table; resolves with the PDF bytes. */
  function tableDocument(draw: (layout: Layout) => void): Promise<Buffer> {
    const doc = new PDFDocument({ autoFirstPage: false, bufferPages: true, compress: false });
    const fonts = parsedFonts();
    doc.registerFont(FONT_REGULAR, fonts.regular as Buffer);
    doc.registerFont(FONT_BOLD, fonts.bold as Buffer);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
    const layout = new Layout(doc, true);
    layout.addPage();
    draw(layout);
    layout.finish();
    doc.end();
    return done;
  }

  it('never splits a table row across pages: a row that does not fit moves whole, under a repeated header', async () => {
    // Rows of 1 to 9 lines, so page ends fall inside rows unless the table moves them.
    const rows = Array.from({ length: 90 }, (_, i) => [`R${i}`, Array.from({ length: 1 + (i % 9) }, (_, k) => `row${i}-line${k}`).join('\n')]);
    const pdf = await tableDocument((layout) =>
      layout.table(
        [
          { header: 'Row', width: 60 },
          { header: 'Lines', width: 200 },
        ],
        rows,
        { caption: 'Rows' },
      ),
    );
    const pages = await drawnLines(pdf);
    expect(pages.length).toBeGreaterThan(3);
    rows.forEach(([id], i) => {
      const on = pages.flatMap((lines, p) => (lines.some((l) => l.trim() === id || l.startsWith(`row${i}-`)) ? [p] : []));
      expect({ row: id, pages: new Set(on).size }).toEqual({ row: id, pages: 1 });
    });
    // Every page after the first repeats the header and the caption.
    pages.slice(1).forEach((lines) => {
      expect(lines.some((l) => l.includes('Rows (continued)'))).toBe(true);
      expect(lines.some((l) => l.trim() === 'Lines')).toBe(true);
    });
  });

  it('continues a row taller than a whole page on the next page, in order, instead of cutting it', async () => {
    const tall = Array.from({ length: 150 }, (_, k) => `tall-line-${k}`).join('\n');
    const pdf = await tableDocument((layout) =>
      layout.table(
        [
          { header: 'Id', width: 60 },
          { header: 'Text', width: 200 },
        ],
        [['A-001', 'short'], ['A-002', tall], ['A-003', 'after']],
      ),
    );
    const pages = await drawnLines(pdf);
    const lines = pages.flat().filter((l) => l.startsWith('tall-line-'));
    expect(lines.map((l) => l.trim())).toEqual(Array.from({ length: 150 }, (_, k) => `tall-line-${k}`));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.flat().some((l) => l.trim() === 'after')).toBe(true);
  });
});

describe('verify anywhere', () => {
  const link = verifyPageUrl('https://handonheart.example', signedModel.reportId, signedModel.integrity.resultsSha256);

  it('prints the full verify-page address in every footer and never the POST route', async () => {
    const pages = await drawnLines(signedPdf);
    pages.forEach((lines, i) => expect({ page: i + 1, has: lines.some((l) => l.includes(`Verify: ${link}`)) }).toEqual({ page: i + 1, has: true }));
    expect(pages.flat().join('\n')).not.toContain('/api/v1/reports/verify');
  });

  it('without a public address says how to verify offline, with no relative path anywhere', async () => {
    const pages = await drawnLines(offlinePdf);
    const all = pages.flat().join('\n');
    expect(all).not.toMatch(/\/api\/v1\/reports|\/verify\?/);
    pages.forEach((lines) => expect(lines.some((l) => l.startsWith('Verify offline: the SHA-256 of this file must equal pdfSha256'))).toBe(true));
    expect(squash(all)).toContain(squash('compare it with pdfSha256 in the manifest'));
    expect(squash(all)).toContain('Ed25519');
  });

  it('draws a QR code of exactly the verify-page address (the page pixels match the encoder’s modules)', () => {
    if (!poppler()) return;
    const modules = qrModules(link);
    const n = modules.length;
    const dir = mkdtempSync(join(tmpdir(), 'hoh-qr-'));
    try {
      const file = join(dir, 'r.pdf');
      writeFileSync(file, signedPdf);
      const pages = popplerPages(signedPdf).length;
      // 4 px per pt: the code (112 pt wide with its quiet zone) spans ~450 px.
      spawnSync('pdftoppm', ['-f', String(pages), '-l', String(pages), '-r', '288', '-gray', file, join(dir, 'p')]);
      const pgm = spawnSync('sh', ['-c', `cat ${dir}/p-*.pgm`], { maxBuffer: 256 << 20 }).stdout as Buffer;
      const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40));
      expect(header).not.toBeNull();
      const width = Number(header?.[1]);
      const offset = header?.[0].length ?? 0;
      const dark = (x: number, y: number): boolean => (pgm[offset + y * width + x] ?? 255) < 128;
      // The code sits at the left margin (50 pt); find its top finder pattern's first dark row there.
      const unit = (112 / (n + 8)) * 4;
      const left = Math.round(50 * 4 + 4 * unit);
      let top = 0;
      // The finder pattern's top edge: the first row dark for 7 modules from the code's left edge and light just after (text and rules never are).
      const solid = (y: number): boolean => {
        for (let x = left + 2; x < left + 7 * unit - 2; x++) if (!dark(x, y)) return false;
        // The separator right of the finder is always light; a rule across the page is not.
        return !dark(Math.round(left + 7.5 * unit), y);
      };
      for (let y = 0; y < pgm.length / width; y++) {
        if (solid(y)) {
          top = y;
          break;
        }
      }
      expect(top).toBeGreaterThan(0);
      const mismatches: string[] = [];
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          const x = Math.round(left + (c + 0.5) * unit);
          const y = Math.round(top + (r + 0.5) * unit);
          if (dark(x, y) !== modules[r]?.[c]) mismatches.push(`${r},${c}`);
        }
      }
      expect(mismatches).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
