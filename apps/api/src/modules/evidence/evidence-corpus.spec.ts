import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import fc from 'fast-check';
import PDFDocument from 'pdfkit';

import { CORPUS_DIR, CORPUS_PDFS, CORPUS_ZIPS, readCorpus } from '../../../test/factories/evidence-polyglot.factory.js';
import { sniffEvidence } from './content-sniffer.js';

/**
 * Real documents the structural rules must keep accepting (issue 20): what LibreOffice, qpdf (linearized, object and
 * xref streams), an incremental-update editor and pdfkit write. The files and how each was made:
 * apps/api/test/fixtures/evidence-corpus/README.md.
 */

const EXPECTED: Record<string, { format: string; pictures: boolean }> = {
  'lo-writer-logo.pdf': { format: 'pdf', pictures: true },
  'lo-writer-plain.pdf': { format: 'pdf', pictures: false },
  'lo-calc.pdf': { format: 'pdf', pictures: false },
  'lo-impress-logo.pdf': { format: 'pdf', pictures: true },
  'qpdf-linearized.pdf': { format: 'pdf', pictures: true },
  'qpdf-object-streams.pdf': { format: 'pdf', pictures: true },
  'qpdf-linearized-object-streams.pdf': { format: 'pdf', pictures: false },
  'incremental-xref-table.pdf': { format: 'pdf', pictures: false },
  'incremental-xref-stream.pdf': { format: 'pdf', pictures: true },
  'poppler-cairo.pdf': { format: 'pdf', pictures: true },
  'poppler-unite.pdf': { format: 'pdf', pictures: true },
  'ghostscript.pdf': { format: 'pdf', pictures: false }, // Ghostscript inlines so small a picture in the page
  'qpdf-qdf.pdf': { format: 'pdf', pictures: true },
  'qpdf-uncompressed.pdf': { format: 'pdf', pictures: false },
  'lo-writer-logo.docx': { format: 'docx', pictures: true },
  'lo-writer-logo.odt': { format: 'odt', pictures: true },
  'lo-calc.xlsx': { format: 'xlsx', pictures: false },
  'lo-calc.ods': { format: 'ods', pictures: true }, // LibreOffice's thumbnail
  'lo-impress-logo.pptx': { format: 'pptx', pictures: true },
  'lo-impress-logo.odp': { format: 'odp', pictures: true },
};

function pdfkit(draw: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}

// The report renderer's own font: a TrueType subset embedded in every page that uses it.
const dejavu = readFileSync(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));

describe('evidence corpus: real documents are accepted', () => {
  it('lists every corpus file here, and the polyglot suite uses most of them as hosts', () => {
    const files = readdirSync(CORPUS_DIR).filter((f) => /\.(pdf|docx|xlsx|pptx|odt|ods|odp)$/.test(f));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
    expect([...CORPUS_PDFS, ...CORPUS_ZIPS].every((f) => f in EXPECTED)).toBe(true);
  });

  it.each(Object.entries(EXPECTED))('accepts %s as %o', (file, expected) => {
    const verdict = sniffEvidence(readCorpus(file), file);
    expect(verdict).toMatchObject({ ok: true, format: expected.format });
    if (verdict.ok) expect(verdict.embeddedImageBytes > 0).toBe(expected.pictures);
  });

  it('accepts pdfkit PDFs: compressed or not, several pages, with the logo as an image, with metadata', async () => {
    const logo = readCorpus('logo.png');
    const variants = await Promise.all([
      pdfkit((d) => d.text('Hash-matching policy')),
      pdfkit((d) => d.text('Uncompressed streams'), { compress: false }),
      pdfkit((d) => {
        d.image(logo, 50, 50, { width: 24 });
        d.text('Logo and text', 100, 50);
        d.addPage().text('Page two');
      }),
      pdfkit((d) => d.text('With metadata'), {
        info: { Title: 'Policy (v3)', Author: 'Trust & Safety', Keywords: 'csam, hashing' },
        pdfVersion: '1.7',
      }),
    ]);
    for (const pdf of variants) expect(sniffEvidence(pdf, 'a.pdf')).toMatchObject({ ok: true, format: 'pdf' });
    expect(sniffEvidence(variants[2], 'a.pdf')).toMatchObject({ embeddedImageBytes: expect.any(Number) });
  });

  it('accepts pdfkit PDFs of any text, in the built-in font or an embedded DejaVu subset (fast-check, seed 2020)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 0, maxLength: 300 }),
        fc.boolean(),
        fc.boolean(),
        async (text, compress, embedFont) => {
          const pdf = await pdfkit(
            (d) => {
              if (embedFont) d.font(dejavu);
              d.text(embedFont ? text : text.replace(/[^\x20-\x7e\n]/g, '?'));
            },
            { compress, info: { Title: text.slice(0, 60) } },
          );
          return sniffEvidence(pdf, 'a.pdf').ok;
        },
      ),
      { seed: 2020, numRuns: process.env.DEEP === '1' ? 400 : 30 },
    );
  });
});
