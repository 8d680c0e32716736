import { deflateSync } from 'node:zlib';

import { buildDocx, buildPdf, buildZip, fakeMedia } from '../../../test/factories/evidence-files.factory.js';
import { sniffEvidence } from './content-sniffer.js';

/**
 * Issue 20, rule by rule: every byte of a PDF or office ZIP belongs to the document's structure,
 * and text is refused wherever it holds markup the rules name. The polyglot suite
 * (evidence-polyglots.spec.ts) sweeps formats and offsets; these pin each rule and its allowance.
 */

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const pdfText = () => buildPdf().toString('latin1');
/** The hand-made PDF with `body` as one more object before its xref (offsets are not needed here). */
const withObject = (body: string | Buffer) => {
  const s = pdfText();
  const at = s.indexOf('xref');
  return Buffer.concat([
    latin1(s.slice(0, at)),
    latin1('9 0 obj\n'),
    typeof body === 'string' ? latin1(body) : body,
    latin1('\nendobj\n'),
    latin1(s.slice(at)),
  ]);
};

describe('PDF: nothing but the document', () => {
  it.each([
    ['a newline', '\n'],
    ['CRLF', '\r\n'],
    ['spaces, tabs and form feeds', ' \t\f\r\n  '],
    ['NUL padding (PDF whitespace)', '\0\0\0\0'],
  ])('accepts %s after the final %%%%EOF', (_label, tail) => {
    const pdf = latin1(pdfText().replace(/%%EOF\n$/, `%%EOF${tail}`));
    expect(sniffEvidence(pdf, 'a.pdf')).toMatchObject({ ok: true });
  });

  it.each([
    ['a comment', '% note\n'],
    ['one letter', 'x'],
    ['a whole object', '9 0 obj\n<< >>\nendobj\n'],
  ])('refuses %s after the final %%%%EOF', (_label, tail) => {
    expect(sniffEvidence(Buffer.concat([buildPdf(), latin1(tail)]), 'a.pdf')).toMatchObject({ ok: false, category: 'damaged' });
  });

  it('refuses bytes between objects, between the xref table and the trailer, and before startxref', () => {
    const s = pdfText();
    for (const [label, at] of [
      ['between objects', s.indexOf('2 0 obj')],
      ['between xref and trailer', s.indexOf('trailer')],
      ['before startxref', s.indexOf('startxref')],
    ] as const) {
      const pdf = Buffer.concat([latin1(s.slice(0, at)), latin1('garbage '), latin1(s.slice(at))]);
      expect({ label, verdict: sniffEvidence(pdf, 'a.pdf') }).toMatchObject({
        label,
        verdict: { ok: false, reason: expect.stringMatching(/not part of its objects/) },
      });
    }
  });

  it('allows short comments (the binary marker after the header), refuses long ones and media in one', () => {
    const s = pdfText();
    expect(sniffEvidence(latin1(s.replace('%PDF-1.7\n', `%PDF-1.7\n% written by hand\n`)), 'a.pdf')).toMatchObject({ ok: true });
    expect(sniffEvidence(latin1(s.replace('%PDF-1.7\n', `%PDF-1.7\n%${'a'.repeat(300)}\n`)), 'a.pdf')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/comment longer/),
    });
    const jpegComment = Buffer.concat([
      latin1('%PDF-1.7\n%'),
      fakeMedia.jpeg(200).filter((b) => b !== 0x0a && b !== 0x0d),
      latin1(s.slice(9)),
    ]);
    expect(sniffEvidence(jpegComment, 'a.pdf')).toMatchObject({ ok: false });
    const base64Comment = latin1(s.replace('%PDF-1.7\n', `%PDF-1.7\n% data:image/png;base64,iVBORw0KGgo\n`));
    expect(sniffEvidence(base64Comment, 'a.pdf')).toMatchObject({ ok: false, category: 'embedded_media' });
  });

  it('refuses a stream whose data runs past its /Length (bytes readers skip), direct or indirect', () => {
    const data = 'BT /F1 12 Tf (Policy) Tj ET';
    expect(sniffEvidence(withObject(`<< /Length ${data.length} >>\nstream\n${data}\nendstream`), 'a.pdf')).toMatchObject({ ok: true });
    expect(sniffEvidence(withObject(`<< /Length 4 >>\nstream\n${data}\nendstream`), 'a.pdf')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/Length/),
    });
    const indirect = (n: number) => {
      const s = withObject(`<< /Length 10 0 R >>\nstream\n${data}\nendstream`).toString('latin1');
      const at = s.indexOf('xref');
      return latin1(`${s.slice(0, at)}10 0 obj\n${n}\nendobj\n${s.slice(at)}`);
    };
    expect(sniffEvidence(indirect(data.length), 'a.pdf')).toMatchObject({ ok: true });
    expect(sniffEvidence(indirect(4), 'a.pdf')).toMatchObject({ ok: false, reason: expect.stringMatching(/Length/) });
  });

  it('refuses bare bytes inside an object, an object without endobj, and a picture held in a string', () => {
    expect(sniffEvidence(withObject(Buffer.concat([latin1('<< /A 1 >> '), fakeMedia.gif()])), 'a.pdf')).toMatchObject({ ok: false });
    expect(sniffEvidence(latin1(pdfText().replace('endobj\n2 0 obj', '\n2 0 obj')), 'a.pdf')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/never closed/),
    });
    const png = fakeMedia.png(200);
    expect(sniffEvidence(withObject(`<< /Data <${png.toString('hex')}> >>`), 'a.pdf')).toMatchObject({
      ok: false,
      category: 'embedded_media',
    });
    // Identifiers are short random strings and must stay fine.
    expect(sniffEvidence(withObject(`<< /ID [<ffd8ff0a1f9d60ea0011223344556677> <ff0a>] >>`), 'a.pdf')).toMatchObject({ ok: true });
  });

  it('refuses bytes that are not PDF syntax inside a compressed object stream', () => {
    const inner = deflateSync(Buffer.concat([latin1('5 0 << /A 1 >> '), fakeMedia.jpeg(300)]));
    const objStm = Buffer.concat([
      latin1(`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${inner.length} >>\nstream\n`),
      inner,
      latin1('\nendstream'),
    ]);
    expect(sniffEvidence(withObject(objStm), 'a.pdf')).toMatchObject({ ok: false, reason: expect.stringMatching(/object stream/) });
  });
});

describe('office ZIP: every byte accounted for', () => {
  const docx = buildDocx();

  it('accepts entries with data descriptors, signed or not, and known extra fields', () => {
    const ut = Buffer.from([0x55, 0x54, 0x05, 0x00, 0x03, 0x10, 0x20, 0x30, 0x40]);
    const doc = buildDocx([
      { name: 'word/styles.xml', data: '<w:styles/>', descriptor: 'signed', extra: ut },
      { name: 'word/settings.xml', data: '<w:settings/>', descriptor: 'unsigned' },
    ]);
    expect(sniffEvidence(doc, 'a.docx')).toMatchObject({ ok: true, format: 'docx' });
  });

  it('refuses a data descriptor that disagrees with the directory', () => {
    const doc = buildDocx([{ name: 'word/styles.xml', data: '<w:styles/>', descriptor: 'signed' }]);
    const at = doc.indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08]));
    doc.writeUInt32LE(doc.readUInt32LE(at + 8) + 1, at + 8);
    expect(sniffEvidence(doc, 'a.docx')).toMatchObject({ ok: false, reason: expect.stringMatching(/data descriptor/) });
  });

  it('allows a short plain-text archive comment and nothing more', () => {
    expect(sniffEvidence(buildDocx([], undefined, 'Exported by the policy portal'), 'a.docx')).toMatchObject({ ok: true });
    expect(sniffEvidence(buildDocx([], undefined, 'x'.repeat(257)), 'a.docx')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/comment is longer/),
    });
    expect(sniffEvidence(buildDocx([], undefined, fakeMedia.gif()), 'a.docx')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not plain text/),
    });
    const b64 = `img ${fakeMedia.jpeg(120).toString('base64')}`;
    expect(sniffEvidence(buildDocx([], undefined, b64), 'a.docx')).toMatchObject({ ok: false, category: 'embedded_media' });
  });

  it('refuses one byte before the first entry, between entries, before the end record or after it', () => {
    const cd = docx.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const eocd = docx.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    // After the end record.
    expect(sniffEvidence(Buffer.concat([docx, Buffer.from([0x20])]), 'a.docx')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/after the end of the ZIP/),
    });
    // Between the directory and the end record.
    expect(sniffEvidence(Buffer.concat([docx.subarray(0, eocd), Buffer.from([0x20]), docx.subarray(eocd)]), 'a.docx')).toMatchObject({
      ok: false,
    });
    // Between the last entry and the directory, with the directory offset moved to match.
    const gap = Buffer.concat([docx.subarray(0, cd), Buffer.from([0x20]), docx.subarray(cd)]);
    gap.writeUInt32LE(cd + 1, eocd + 1 + 16);
    expect(sniffEvidence(gap, 'a.docx')).toMatchObject({ ok: false, reason: expect.stringMatching(/belong to no entry/) });
  });

  it('refuses two parts with one name, unknown extra fields and a local header that disagrees with the directory', () => {
    expect(sniffEvidence(buildDocx([{ name: 'word/document.xml', data: '<w:document/>' }]), 'a.docx')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/two parts are both named/),
    });
    const unknown = Buffer.from([0x34, 0x12, 0x02, 0x00, 0x00, 0x00]);
    expect(sniffEvidence(buildDocx([{ name: 'word/styles.xml', data: '<w:styles/>', extra: unknown }]), 'a.docx')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/extra data/),
    });
    const lying = Buffer.from(docx);
    lying.writeUInt32LE(lying.readUInt32LE(18) + 1, 18); // first local header's compressed size
    expect(sniffEvidence(lying, 'a.docx')).toMatchObject({ ok: false });
  });

  it('finds a tar or ISO image hidden as a part whose signature sits past its first bytes', () => {
    const tar = Buffer.alloc(1024);
    tar.write('photo.jpg', 0, 'latin1');
    tar.write('ustar\u000000', 257, 'latin1');
    expect(sniffEvidence(buildDocx([{ name: 'word/glossary.xml', data: tar }]), 'a.docx')).toMatchObject({
      ok: false,
      category: 'archive',
    });
    const iso = Buffer.alloc(0x8800);
    iso.write('CD001', 0x8001, 'latin1');
    expect(sniffEvidence(buildDocx([{ name: 'word/glossary.xml', data: iso }]), 'a.docx')).toMatchObject({
      ok: false,
      category: 'archive',
    });
    expect(sniffEvidence(buildDocx([{ name: 'word/glossary.xml', data: iso, store: true }]), 'a.docx')).toMatchObject({
      ok: false,
      category: 'archive',
    });
  });

  it('counts a picture only in a part named as a picture (or an ODF object replacement)', () => {
    const odt = buildZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
      { name: 'content.xml', data: '<office:document-content/>' },
      { name: 'ObjectReplacements/Object 1', data: fakeMedia.png(500), store: true },
    ]);
    expect(sniffEvidence(odt, 'a.odt')).toMatchObject({ ok: true, embeddedImageBytes: 500 });
    expect(sniffEvidence(buildDocx([{ name: 'word/media/image1.jpeg', data: fakeMedia.jpeg(500), store: true }]), 'a.docx')).toMatchObject({
      ok: true,
      embeddedImageBytes: 500,
    });
    expect(sniffEvidence(buildDocx([{ name: 'word/media/image1.bin', data: fakeMedia.jpeg(500) }]), 'a.docx')).toMatchObject({
      ok: false,
      category: 'embedded_media',
    });
  });
});

describe('text: markup the rules name is refused wherever it is', () => {
  it('reads a 200,000-line hex dump without running out of stack, and still finds a JPEG dumped after 5,000 hashes', () => {
    const lines = `${'0123456789abcdef'.repeat(2)}\n`.repeat(200_000);
    expect(sniffEvidence(Buffer.from(lines), 'dump.txt')).toMatchObject({ ok: true });
    const hashes = Array.from({ length: 5000 }, (_, i) => Buffer.alloc(32, i % 251).toString('hex')).join('\n');
    const jpeg = fakeMedia
      .jpeg(300)
      .toString('hex')
      .match(/.{1,64}/g)!
      .join('\n');
    expect(sniffEvidence(Buffer.from(`${hashes}\n\n${jpeg}\n`), 'hashes.csv')).toMatchObject({ ok: false, category: 'embedded_media' });
  });

  const runbook = 'Moderation runbook, revision 4\n1. Triage every report within an hour.\n2. Escalate to the duty lead.\n';

  it.each([
    ['a later line with <svg onload=…>', `${runbook}<svg onload="alert(1)"><circle r="9"/></svg>\n`],
    ['an upper-case <SVG> mid-line', `${runbook}see <SVG\nviewBox="0 0 1 1"></SVG>\n`],
    ['a namespaced <svg:svg>', `${runbook}<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>\n`],
    ['an RTF document after a heading', `${runbook}{\\rtf1\\ansi {\\pict\\pngblip 89504e47}}\n`],
    ['PostScript on a later line', `${runbook}%!PS-Adobe-3.0\n0 0 moveto\n`],
    ['an XPM image in C source', `${runbook}static char *logo[] = {\n/* XPM */\n"2 2 1 1",\n};\n`],
    ['an ASCII PNM picture on a later line', `${runbook}P3\n4 4 255\n${'255 0 0 '.repeat(16)}\n`],
    ['a data: URI on a later line', `${runbook}logo: data:image/png;base64,iVBORw0KGgo=\n`],
    [
      'a hex dump of a JPEG',
      `${runbook}${fakeMedia
        .jpeg(200)
        .toString('hex')
        .match(/.{1,64}/g)!
        .join('\n')}\n`,
    ],
  ])('refuses text with %s', (_label, text) => {
    expect(sniffEvidence(Buffer.from(text), 'notes.txt')).toMatchObject({ ok: false });
  });

  it.each([
    ['the word svg in prose', `${runbook}Logos are exported as SVG files (<svgfile> is a placeholder).\n`],
    ['a list of SHA-512 hashes', Array.from({ length: 50 }, (_, i) => `${i},${Buffer.alloc(64, i * 7 + 255).toString('hex')}`).join('\n')],
    ['a CSV of small numbers', Array.from({ length: 200 }, (_, i) => `P${i % 4},${i % 10},${i % 7},00,01`).join('\n')],
    ['HTML with a linked image', `${runbook}<p><img src="https://example.org/logo.png" alt="logo"></p>\n`],
  ])('accepts text with %s', (_label, text) => {
    expect(sniffEvidence(Buffer.from(text), 'notes.csv')).toMatchObject({ ok: true });
  });
});
