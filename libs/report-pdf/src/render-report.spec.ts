import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { renderReport, ReportModelError } from './render-report.js';
import { buildSampleReportModel, buildStressReportModel } from './testing/report-model.builder.js';
import type { ReportModel } from './model.js';

// Every PDF is read back with pdf.js (unpdf), the way an auditor's tools would see it.

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

async function readBack(pdf: Buffer): Promise<{ pages: string[]; numPages: number }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text, totalPages } = await extractText(doc, { mergePages: false });
  return { pages: text, numPages: totalPages };
}

const squash = (s: string): string => s.replace(/\s+/g, '');

const signedModel = buildSampleReportModel();
const draftModel = buildSampleReportModel({ signed: false });
const stressModel = buildStressReportModel();
let signedPdf: Buffer;
let draftPdf: Buffer;
let stressPdf: Buffer;

beforeAll(async () => {
  [signedPdf, draftPdf, stressPdf] = await Promise.all([renderReport(signedModel), renderReport(draftModel), renderReport(stressModel)]);
});

describe('renderReport: content read back from the PDF', () => {
  it('prints every section of the board pack in order: the answer first, the integrity block last', async () => {
    const { pages } = await readBack(signedPdf);
    const all = pages.join('\n');
    const sections = [
      'Qualified attestation: 3 exceptions',
      'Decisions asked of the board',
      'Top risks the board should watch',
      'Why this matters',
      'Domain heatmap',
      'Exceptions acknowledged at sign-off',
      'Critical controls',
      'Areas of concern',
      'Trend against earlier assessments',
      'Appendix A — Regulatory exposure map',
      'Appendix B — Questionnaire',
      'Appendix C — Evidence register',
      'Appendix D — Remediation plan',
      'Appendix E — Accountability and sign-off',
      'Appendix F — Method and limitations',
      'Appendix G — Integrity and how to verify this report',
    ];
    let last = -1;
    for (const title of sections) {
      const at = all.indexOf(title);
      expect({ title, found: at >= 0 }).toEqual({ title, found: true });
      expect(at).toBeGreaterThan(last);
      last = at;
    }
  });

  it('puts the integrity facts and the full verify-page address in the last appendix, not on page 1', async () => {
    const { pages } = await readBack(signedPdf);
    const back = squash(pages.at(-1) ?? '');
    expect(back).toContain(squash(signedModel.organisation.name));
    expect(back).toContain(signedModel.reportId);
    expect(back).toContain(signedModel.integrity.resultsSha256);
    expect(back).toContain(squash(`https://handonheart.example/verify?report=${signedModel.reportId}&results=${signedModel.integrity.resultsSha256}`));
    expect(back).toContain('Regulationsnapshot');
    expect(back).toContain(`version${signedModel.bank.version}`);
    expect(squash(pages[0] ?? '')).not.toContain('Regulationsnapshot');
    expect(pages.join('\n')).not.toContain('/api/v1/reports/verify');
  });

  it('shows the attestation in words, band, rounded score, confidence, trend, decisions and the dated figures on page 1', async () => {
    const { pages } = await readBack(signedPdf);
    const summary = pages[0] ?? '';
    const band = { green: 'Green', amber: 'Amber', red: 'Red' }[signedModel.summary.band];
    expect(summary).toContain('Qualified attestation: 3 exceptions');
    expect(summary).toContain(band);
    expect(summary).toContain(`${Math.round(signedModel.summary.score)} / 100`);
    expect(summary).toContain('Self-attested');
    expect(summary).toMatch(/since FY2025/);
    expect(summary).toContain('Approve budget for video hash matching');
    for (const figure of signedModel.figures.slice(0, 3)) {
      expect(squash(summary)).toContain(squash(figure.statement));
      expect(squash(summary)).toContain(squash(`${figure.publisher}, ${figure.period}`));
    }
    expect(summary).not.toContain('National Strategic Assessment of Serious and Organised Crime 2020');
    expect(pages.join('\n')).not.toContain('8.3 million unique first-generation images');
  });

  it('lists every action by its number, never its UUID, and flags overdue ones', async () => {
    const { pages } = await readBack(signedPdf);
    const all = pages.join('\n');
    for (const action of signedModel.actions) {
      expect(all).toContain(action.number);
      expect(squash(all)).not.toContain(action.id);
    }
    expect(all).toContain('OVERDUE');
  });

  it('prints every answer, and every piece of evidence with its hash in the register, never anything else about the evidence', async () => {
    const { pages } = await readBack(signedPdf);
    const all = squash(pages.join(''));
    for (const q of signedModel.questions) expect(all).toContain(q.questionId);
    for (const e of signedModel.questions.flatMap((q) => q.evidence)) {
      expect(all).toContain(e.id);
      if (e.sha256) expect(all).toContain(e.sha256);
    }
  });

  it('prints the exact signed statement, signer, role and acknowledged exceptions', async () => {
    const { pages } = await readBack(signedPdf);
    const all = squash(pages.join(''));
    const signOff = signedModel.accountability.signOff;
    expect(signOff).not.toBeNull();
    expect(all).toContain(squash(signOff?.statement ?? 'missing'));
    expect(all).toContain(squash(`Signed by ${signOff?.signerName}, ${signOff?.signerRole}`));
    for (const e of signOff?.acknowledgedExceptions ?? []) {
      expect(all).toContain(squash(e.message));
      expect(all).not.toContain(squash(e.kind));
    }
    expect(all).toContain(squash('Critical control below level 3'));
  });

  it('says "Not signed" when the assessment is a draft', async () => {
    const { pages } = await readBack(draftPdf);
    expect(pages.join('\n')).toContain('Not signed');
  });

  it('prints names in any Latin script with the embedded font', async () => {
    const { pages } = await readBack(stressPdf);
    const all = pages.join('\n');
    expect(all).toContain('Zoë Ødegård-Łukasiewicz, Ţara');
    expect(all).toContain('Seán Ó Briain');
  });
});

describe('renderReport: pages', () => {
  it.each([
    ['signed', () => signedPdf],
    ['draft', () => draftPdf],
    ['stress', () => stressPdf],
  ])('numbers every page of the %s report "Page X of Y"', async (_name, pdf) => {
    const { pages, numPages } = await readBack(pdf());
    expect(pages).toHaveLength(numPages);
    pages.forEach((text, i) => expect(text).toContain(`Page ${i + 1} of ${numPages}`));
  });

  it('keeps the realistic report to a board-pack length', async () => {
    const { numPages } = await readBack(signedPdf);
    expect(numPages).toBeGreaterThanOrEqual(12);
    expect(numPages).toBeLessThanOrEqual(26);
  });

  it('watermarks every page of a draft with DRAFT and no page of a signed report', async () => {
    const draft = await readBack(draftPdf);
    draft.pages.forEach((text) => expect(text).toMatch(/\bDRAFT\b/));
    const signed = await readBack(signedPdf);
    signed.pages.forEach((text) => expect(text).not.toMatch(/DRAFT/i));
  });

  it('paginates the 200-question, 200-action stress model with every action title present', async () => {
    const { pages, numPages } = await readBack(stressPdf);
    expect(numPages).toBeGreaterThan(30);
    const all = squash(pages.join(''));
    for (const action of stressModel.actions) expect(all).toContain(squash(action.title));
    for (const q of stressModel.questions) expect(all).toContain(q.questionId);
  });

  it('keeps every piece of text inside the page in the stress model', async () => {
    const doc = await getDocumentProxy(new Uint8Array(stressPdf));
    const outside: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
      const content = await page.getTextContent();
      for (const raw of content.items) {
        if (!('transform' in raw)) continue;
        const item = raw as TextItem;
        if (!item.str.trim()) continue;
        const [a = 1, b = 0, , , x = 0, y = 0] = item.transform;
        const rotated = Math.abs(b) > 1e-6;
        const right = rotated ? x : x + item.width * Math.sign(a || 1);
        // Text must also stay clear of the paper edge (printers clip the outer few millimetres).
        const inside = x >= x0 + 20 && right <= x1 - 20 && y >= y0 + 20 && y + item.height <= y1 - 20;
        if (!inside) outside.push(`page ${p}: "${item.str.slice(0, 40)}" at ${x.toFixed(1)},${y.toFixed(1)} w ${item.width.toFixed(1)}`);
      }
    }
    expect(outside).toEqual([]);
  });
});

describe('renderReport: footer', () => {
  // The marking the API prints (report-model.gatherer.ts), with the organisation's name in it.
  const marking = (name: string): string => `Confidential: prepared for the board of ${name}. Contains no evidence content.`;

  /** Per page: the text drawn in the footer band (below the rule), and any of it too near the paper edge. */
  async function footers(pdf: Buffer): Promise<{ text: string[]; outside: string[] }> {
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    const text: string[] = [];
    const outside: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const [x0 = 0, y0 = 0, x1 = 0] = page.view;
      const parts: string[] = [];
      for (const raw of (await page.getTextContent()).items) {
        if (!('transform' in raw)) continue;
        const item = raw as TextItem;
        const [, b = 0, , , x = 0, y = 0] = item.transform;
        // The footer rule is at most 67 pt above the bottom edge; the DRAFT watermark is rotated.
        if (y > y0 + 66 || Math.abs(b) > 1e-6) continue;
        parts.push(item.str);
        if (x < x0 + 20 || x + item.width > x1 - 20 || y < y0 + 20) outside.push(`page ${p}: "${item.str.slice(0, 40)}" at ${x.toFixed(1)},${y.toFixed(1)}`);
      }
      text.push(parts.join(' '));
    }
    return { text, outside };
  }

  it.each([
    ['a typical name', 'Northwind Media Ltd'],
    ['a 200-character name', `Zoë Ødegård-Łukasiewicz, Ţara & Partners ${'International Holdings '.repeat(8)}`.slice(0, 200)],
    ['200 of the widest letter', 'W'.repeat(200)],
  ])('prints the whole confidentiality sentence in the footer of every page, inside the paper, for %s', async (_label, name) => {
    const sentence = marking(name);
    const pdf = await renderReport({ ...buildSampleReportModel({ organisationName: name }), confidentiality: sentence });
    const { text, outside } = await footers(pdf);
    expect(text.length).toBeGreaterThanOrEqual(12);
    text.forEach((footer, i) => {
      expect({ page: i + 1, whole: squash(footer).includes(squash(sentence)), numbered: footer.includes(`Page ${i + 1} of ${text.length}`) }).toEqual({
        page: i + 1,
        whole: true,
        numbered: true,
      });
      expect(footer).not.toContain('…');
    });
    expect(outside).toEqual([]);
  });
});

describe('renderReport: file integrity', () => {
  it('gives identical bytes for the same model', async () => {
    const again = await renderReport(buildSampleReportModel());
    expect(again.equals(signedPdf)).toBe(true);
  });

  it('gives a different document ID for a different model', async () => {
    const other = await renderReport({ ...signedModel, reportId: 'rpt-other' });
    const id = (pdf: Buffer): string | undefined => /\/ID \[<([0-9a-f]+)>/.exec(pdf.toString('latin1'))?.[1];
    expect(id(other)).toBeDefined();
    expect(id(other)).not.toEqual(id(signedPdf));
  });

  it('sets title, author, subject, keywords and dates from the model', async () => {
    const doc = await getDocumentProxy(new Uint8Array(signedPdf));
    const info = (await doc.getMetadata()).info as Record<string, unknown>;
    expect(info['Title']).toContain(signedModel.organisation.name);
    expect(info['Author']).toBe('Hand on Heart');
    expect(info['Subject']).toContain(signedModel.reportId);
    expect(info['Keywords']).toContain('CSAM');
    expect(info['CreationDate']).toBe('D:20260630120000Z');
    expect(info['ModDate']).toBe('D:20260630120000Z');
  });

  it('passes qpdf --check', () => {
    const probe = spawnSync('qpdf', ['--version']);
    if (probe.error) {
      if (process.env['CI'] === 'true') throw new Error('qpdf is not installed; CI must install it (.ci/run).');
      console.warn('SKIPPED: qpdf is not installed, so the structural check did not run.');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hoh-report-'));
    try {
      for (const [name, pdf] of [
        ['signed', signedPdf],
        ['draft', draftPdf],
        ['stress', stressPdf],
      ] as const) {
        const file = join(dir, `${name}.pdf`);
        writeFileSync(file, pdf);
        const result = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
        expect({ name, status: result.status, stderr: result.stderr }).toEqual({ name, status: 0, stderr: '' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a signed assessment without a sign-off', async () => {
    const broken: ReportModel = { ...signedModel, accountability: { ...signedModel.accountability, signOff: null } };
    await expect(renderReport(broken)).rejects.toThrow(ReportModelError);
  });
});
