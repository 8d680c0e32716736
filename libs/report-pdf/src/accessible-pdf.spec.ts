import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ReportModel } from './model.js';
import { renderReport } from './render-report.js';
import { buildSampleReportModel } from './testing/report-model.builder.js';

// Issue 25 item 4: the board pack is a tagged PDF. The structure is read back by tools that did not
// write it: poppler's pdfinfo (Tagged, -struct, -struct-text) and qpdf's JSON view of the objects.

function tools(): boolean {
  const missing = ['pdfinfo', 'qpdf'].filter((tool) => spawnSync(tool, ['--version']).error);
  if (missing.length === 0) return true;
  if (process.env['CI'] === 'true') throw new Error(`${missing.join(' and ')} not installed; CI must install poppler-utils and qpdf (.ci/run).`);
  console.warn(`SKIPPED: ${missing.join(' and ')} not installed, so the structure was not read back.`);
  return false;
}

function run(tool: string, args: string[], pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'hoh-tagged-'));
  try {
    const file = join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    const result = spawnSync(tool, [...args, file], { encoding: 'utf8', maxBuffer: 256 << 20 });
    if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type PdfValue = string | number | boolean | null | PdfValue[] | { [key: string]: PdfValue };

/** Every object's value from qpdf --json (version 2), keyed "obj:N 0 R". */
function objects(pdf: Buffer): Map<string, PdfValue> {
  const json = JSON.parse(run('qpdf', ['--json', '--json-key=qpdf'], pdf)) as { qpdf: [unknown, Record<string, { value?: PdfValue }>] };
  return new Map(Object.entries(json.qpdf[1]).map(([key, entry]) => [key, entry.value ?? null]));
}

const dict = (v: PdfValue | undefined): Record<string, PdfValue> => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
/** A string value as qpdf writes it ("u:text", "5 0 R"); '' for anything else. */
const str = (v: PdfValue | undefined): string => (typeof v === 'string' ? v : '');

const model = buildSampleReportModel();
let tagged: Buffer;

beforeAll(async () => {
  tagged = await renderReport(model);
});

describe('the board pack is a tagged PDF', () => {
  it('says Tagged: yes to pdfinfo, and an untagged render (for the bench) says no', async () => {
    if (!tools()) return;
    expect(run('pdfinfo', [], tagged)).toMatch(/^Tagged:\s+yes$/m);
    expect(run('pdfinfo', [], await renderReport(model, { tagged: false }))).toMatch(/^Tagged:\s+no$/m);
  });

  it('has a structure tree with headings, tables with header cells, lists and figures, as poppler reads it', () => {
    if (!tools()) return;
    const struct = run('pdfinfo', ['-struct'], tagged);
    const count = (type: string): number => (struct.match(new RegExp(`^\\s*${type}\\b`, 'gm')) ?? []).length;
    expect(struct.split('\n')[0]).toBe('Document');
    // One H1 per section: the organisation on page 1, the five main-body sections, the seven appendices.
    expect(count('H1')).toBe(13);
    expect(count('H2')).toBeGreaterThanOrEqual(4);
    expect(count('Table')).toBeGreaterThanOrEqual(10);
    expect(count('TR')).toBeGreaterThan(100);
    expect(count('TH')).toBeGreaterThan(30);
    expect(count('TD')).toBeGreaterThan(500);
    expect(struct).toMatch(/TH:\s*\n\s*\/Scope \/Column/);
    expect(count('L')).toBeGreaterThanOrEqual(4);
    expect(count('LI')).toBeGreaterThanOrEqual(10);
    expect(count('Lbl')).toBe(count('LI'));
    expect(count('LBody')).toBe(count('LI'));
    // The domain chart, the trend chart and the QR code.
    expect(count('Figure')).toBe(3);
  });

  it('reads the content in order and leaves page furniture (header, footer, page numbers, watermark) out of the structure', async () => {
    if (!tools()) return;
    const text = run('pdfinfo', ['-struct-text'], tagged).replace(/\s+/g, ' ');
    const order = ['Qualified attestation: 3 exceptions', 'Decisions asked of the board', 'Domain heatmap', 'Appendix A', 'Appendix G'];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).not.toContain('Page 1 of');
    expect(text).not.toContain(model.confidentiality);
    const draft = run('pdfinfo', ['-struct-text'], await renderReport(buildSampleReportModel({ signed: false })));
    // The watermark is drawn alone on every page; the structure never holds it as text of its own.
    expect(draft).not.toMatch(/"DRAFT ?"/);
    expect(draft).toContain('Not ready to attest: not signed');
  });

  it('gives every figure alternative text with its values, and sets the language, title and marked flag (qpdf)', () => {
    if (!tools()) return;
    const all = objects(tagged);
    const values = [...all.values()].map(dict);
    const figures = values.filter((v) => v['/S'] === '/Figure');
    expect(figures).toHaveLength(3);
    const alts = figures.map((f) => str(f['/Alt']));
    expect(alts[0]).toMatch(/^u:Bar chart of domain scores/);
    for (const d of model.domains) expect(alts[0]).toContain(d.domainId);
    expect(alts[1]).toMatch(/^u:Line chart of the overall score/);
    expect(alts[2]).toContain(`u:QR code opening https://handonheart.example/verify?report=${model.reportId}`);
    const catalog = values.find((v) => v['/Type'] === '/Catalog') ?? {};
    expect(catalog['/Lang']).toBe('u:en-GB');
    const markInfo = dict(all.get(`obj:${str(catalog['/MarkInfo'])}`));
    expect(markInfo['/Marked']).toBe(true);
    expect(dict(all.get(`obj:${str(catalog['/ViewerPreferences'])}`))['/DisplayDocTitle']).toBe(true);
  });

  it('keeps the same bytes for the same model with tagging on', async () => {
    const again: ReportModel = buildSampleReportModel();
    expect((await renderReport(again)).equals(tagged)).toBe(true);
  });
});
