import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

import { buildDocx, buildOdt, buildPdf, buildPlainZip, buildRealPdf, buildZip, fakeMedia, type ZipInput } from '../../../test/factories/evidence-files.factory.js';
import { DEFAULT_SNIFF_LIMITS, type RefusalCategory, sniffEvidence, type SniffLimits } from './content-sniffer.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const withTail = (head: Buffer | string, tail = 96) => Buffer.concat([typeof head === 'string' ? Buffer.from(head, 'latin1') : head, randomBytes(tail)]);
const limits = (patch: Partial<SniffLimits> = {}): SniffLimits => ({ ...DEFAULT_SNIFF_LIMITS, ...patch });

describe('content sniffer: refused by signature (file name is ignored)', () => {
  const tar = Buffer.alloc(1024);
  tar.write('policy.txt', 0);
  tar.write('ustar\u000000', 257, 'latin1');
  const ts = Buffer.alloc(400, 0xaa);
  ts[0] = 0x47;
  ts[188] = 0x47;
  const iso = Buffer.alloc(0x8010);
  iso.write('CD001', 0x8001, 'latin1');

  const table: [string, Buffer, RefusalCategory][] = [
    ['PNG', fakeMedia.png(), 'image'],
    ['JPEG', fakeMedia.jpeg(), 'image'],
    ['GIF', fakeMedia.gif(), 'image'],
    ['WebP', fakeMedia.webp(), 'image'],
    ['BMP', withTail(hex('424d 36000000 00000000 36000000 28000000')), 'image'],
    ['TIFF (little-endian)', withTail(hex('49492a00 08000000')), 'image'],
    ['TIFF (big-endian)', withTail(hex('4d4d002a 00000008')), 'image'],
    ['HEIC', fakeMedia.heic(), 'image'],
    ['AVIF', withTail(Buffer.concat([hex('0000001c'), Buffer.from('ftypavif')])), 'image'],
    ['ICO', withTail(hex('00000100 0100 1010')), 'image'],
    ['SVG', Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'), 'image'],
    ['PNM (ASCII)', Buffer.from('P3\n2 2\n255\n255 0 0 0 255 0 0 0 255 255 255 255\n'), 'image'],
    ['MP4', fakeMedia.mp4(), 'video'],
    ['QuickTime', fakeMedia.mov(), 'video'],
    ['WebM/MKV', fakeMedia.webm(), 'video'],
    ['AVI', withTail(Buffer.concat([Buffer.from('RIFF'), hex('40000000'), Buffer.from('AVI LIST')])), 'video'],
    ['MPEG-TS', ts, 'video'],
    ['MPEG-PS', withTail(hex('000001ba 44000400')), 'video'],
    ['FLV', withTail(Buffer.concat([Buffer.from('FLV'), hex('0105 00000009')])), 'video'],
    ['MP3 (ID3)', fakeMedia.mp3(), 'audio'],
    ['MP3 (frame sync)', withTail(hex('fffb9064 0000')), 'audio'],
    ['WAV', fakeMedia.wav(), 'audio'],
    ['OGG', withTail(Buffer.concat([Buffer.from('OggS'), hex('0002 0000')])), 'audio'],
    ['FLAC', withTail(Buffer.concat([Buffer.from('fLaC'), hex('00000022')])), 'audio'],
    ['M4A', withTail(Buffer.concat([hex('00000020'), Buffer.from('ftypM4A ')])), 'audio'],
    ['ZIP (not an office document)', buildPlainZip(), 'archive'],
    ['RAR', withTail(Buffer.concat([Buffer.from('Rar!'), hex('1a0700')])), 'archive'],
    ['7z', withTail(hex('377abcaf271c 0004')), 'archive'],
    ['gzip', fakeMedia.gzip(), 'archive'],
    ['bzip2', withTail(Buffer.concat([Buffer.from('BZh91AY&SY'), hex('00ff')])), 'archive'],
    ['xz', withTail(hex('fd377a585a00 0004')), 'archive'],
    ['zstd', withTail(hex('28b52ffd 0400')), 'archive'],
    ['tar (ustar at 257)', tar, 'archive'],
    ['ISO 9660', iso, 'archive'],
    ['ELF', fakeMedia.elf(), 'executable'],
    ['PE/MZ', fakeMedia.pe(), 'executable'],
    ['Mach-O', withTail(hex('cffaedfe 07000001')), 'executable'],
    ['shebang script', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'executable'],
    ['legacy OLE2 (.doc/.xls)', withTail(hex('d0cf11e0a1b11ae1 0000')), 'unsupported_document'],
    ['RTF', Buffer.from('{\\rtf1\\ansi {\\pict\\pngblip 89504e47}}'), 'unsupported_document'],
    ['empty file', Buffer.alloc(0), 'empty'],
    ['unknown binary', Buffer.concat([hex('00010203'), randomBytes(64)]), 'unknown'],
  ];

  it.each(table.map(([label, bytes, category]) => [label, category, bytes] as const))('%s is refused as %s', (_label, category, bytes) => {
    const result = sniffEvidence(bytes, 'report.pdf');
    expect(result).toMatchObject({ ok: false, category });
  });
});

describe('content sniffer: accepted documents', () => {
  it('accepts a real PDF (pdfkit) as application/pdf', async () => {
    expect(sniffEvidence(await buildRealPdf(), 'x.png')).toMatchObject({ ok: true, format: 'pdf', mediaType: 'application/pdf' });
  });

  it('accepts a minimal docx and ODF text document', () => {
    expect(sniffEvidence(buildDocx(), 'policy.pdf')).toMatchObject({ ok: true, format: 'docx', extension: 'docx' });
    expect(sniffEvidence(buildOdt(), undefined)).toMatchObject({ ok: true, format: 'odt' });
  });

  it('tells xlsx and pptx apart by their part folders', () => {
    const ct = { name: '[Content_Types].xml', data: '<Types/>' };
    expect(sniffEvidence(buildZip([ct, { name: 'xl/workbook.xml', data: '<workbook/>' }]), 'a')).toMatchObject({ ok: true, format: 'xlsx' });
    expect(sniffEvidence(buildZip([ct, { name: 'ppt/presentation.xml', data: '<p/>' }]), 'a')).toMatchObject({ ok: true, format: 'pptx' });
  });

  it('accepts UTF-8 text and CSV (CSV by name, since CSV is text), with or without a BOM', () => {
    expect(sniffEvidence(Buffer.from('Incident KPIs\nreports;median hours\n12;3.5\n'), 'kpi.txt')).toMatchObject({ ok: true, format: 'text', mediaType: 'text/plain' });
    expect(sniffEvidence(Buffer.from('\ufeffmonth,reports\n2026-01,12\n'), 'kpi.CSV')).toMatchObject({ ok: true, format: 'csv', mediaType: 'text/csv' });
    expect(sniffEvidence(Buffer.from('BMX policy: text that starts with a weak signature\n'), 'a.txt')).toMatchObject({ ok: true });
    expect(sniffEvidence(Buffer.from('Zürich — 東京 policy ✓\n'), 'a.txt')).toMatchObject({ ok: true });
  });

  it('refuses text with NUL bytes, invalid UTF-8, or media hidden as base64 / data: URIs', () => {
    expect(sniffEvidence(Buffer.from('abc\u0000def'), 'a.txt')).toMatchObject({ ok: false });
    expect(sniffEvidence(hex('c328a0a1'), 'a.txt')).toMatchObject({ ok: false });
    expect(sniffEvidence(Buffer.from(`<img src="data:image/png;base64,iVBORw0KGgo=">`), 'a.txt')).toMatchObject({ ok: false, category: 'embedded_media' });
    const b64 = fakeMedia.jpeg(600).toString('base64');
    expect(sniffEvidence(Buffer.from(`photo=${b64}\n`), 'a.txt')).toMatchObject({ ok: false, category: 'embedded_media' });
    // SHA-256 hashes are long runs of the base64 alphabet too, and must stay fine.
    expect(sniffEvidence(Buffer.from('sha256\n' + randomBytes(32).toString('hex') + '\n'), 'hashes.csv')).toMatchObject({ ok: true });
  });
});

describe('content sniffer: inside office documents', () => {
  it('refuses nested archives, video, audio, programs, macros and embedded objects', () => {
    const cases: [ZipInput[], RefusalCategory][] = [
      [[{ name: 'word/media/inner.bin', data: buildPlainZip() }], 'archive'],
      [[{ name: 'word/other/inner.dat', data: buildZip([{ name: 'a.txt', data: 'x' }]) }], 'archive'],
      [[{ name: 'word/media/clip.mp4', data: fakeMedia.mp4() }], 'embedded_media'],
      [[{ name: 'word/media/clip.bin', data: fakeMedia.mp4() }], 'embedded_media'],
      [[{ name: 'word/media/voice.dat', data: fakeMedia.wav() }], 'embedded_media'],
      [[{ name: 'word/media/tool.dat', data: fakeMedia.pe() }], 'executable'],
      [[{ name: 'word/run.exe', data: 'x' }], 'executable'],
      [[{ name: 'word/vbaProject.bin', data: randomBytes(64) }], 'active_content'],
      [[{ name: 'word/embeddings/oleObject1.bin', data: randomBytes(64) }], 'embedded_object'],
    ];
    for (const [extra, category] of cases) {
      const result = sniffEvidence(buildDocx(extra), 'x.docx');
      expect({ name: extra[0]?.name, result }).toMatchObject({ name: extra[0]?.name, result: { ok: false, category } });
    }
  });

  it('allows pictures up to the allowance in total, and refuses beyond it', () => {
    const small = buildDocx([{ name: 'word/media/logo.png', data: fakeMedia.png(2000), store: true }]);
    expect(sniffEvidence(small, 'x', limits({ embeddedImageBytes: 4096 }))).toMatchObject({ ok: true, embeddedImageBytes: 2000 });
    const big = buildDocx([
      { name: 'word/media/image1.png', data: fakeMedia.png(3000) },
      { name: 'word/media/image2.jpeg', data: fakeMedia.jpeg(3000) },
    ]);
    expect(sniffEvidence(big, 'x', limits({ embeddedImageBytes: 4096 }))).toMatchObject({ ok: false, category: 'embedded_media', reason: expect.stringMatching(/pictures total/) });
  });

  it('refuses a picture in a part not named as a picture, however small (issue 20: it used to be counted and kept)', () => {
    const renamed = buildDocx([{ name: 'word/document2.xml', data: fakeMedia.jpeg(300) }]);
    expect(sniffEvidence(renamed, 'x')).toMatchObject({ ok: false, category: 'embedded_media', reason: expect.stringMatching(/JPEG image hidden under a name that is not a picture/) });
  });

  it('refuses encrypted entries, bombs by ratio, too many entries, lying sizes and overlapping entries', () => {
    const doc = buildDocx();
    const encrypted = Buffer.from(doc);
    const cd = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted.writeUInt16LE(encrypted.readUInt16LE(cd + 8) | 1, cd + 8);
    expect(sniffEvidence(encrypted, 'x')).toMatchObject({ ok: false, category: 'encrypted' });

    const bomb = buildDocx([{ name: 'word/bomb.xml', data: Buffer.alloc(5 * 1024 * 1024, 0x41) }]);
    expect(sniffEvidence(bomb, 'x')).toMatchObject({ ok: false, category: 'archive_bomb' });

    const many = buildZip([{ name: '[Content_Types].xml', data: '<T/>' }, ...Array.from({ length: 20 }, (_, i) => ({ name: `word/p${i}.xml`, data: '<p/>' }))]);
    expect(sniffEvidence(many, 'x', limits({ maxZipEntries: 10 }))).toMatchObject({ ok: false, category: 'archive_bomb' });

    // A 3 KB picture whose directory entry claims 10 bytes uncompressed.
    const liar = buildDocx([{ name: 'word/media/image1.png', data: fakeMedia.png(3000) }]);
    const at = liar.lastIndexOf(Buffer.from('word/media/image1.png')) - 46;
    liar.writeUInt32LE(10, at + 24);
    expect(sniffEvidence(liar, 'x')).toMatchObject({ ok: false, category: 'damaged' });

    const overlap = buildDocx([{ name: 'word/a.xml', data: '<a/>' }]);
    const last = overlap.lastIndexOf(Buffer.from('word/a.xml')) - 46;
    overlap.writeUInt32LE(0, last + 42);
    expect(sniffEvidence(overlap, 'x').ok).toBe(false);
  });

  it('refuses ODF drawings and macros', () => {
    const odg = buildZip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.graphics', store: true }, { name: 'content.xml', data: '<c/>' }]);
    expect(sniffEvidence(odg, 'x')).toMatchObject({ ok: false, category: 'image' });
    const macro = buildZip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true }, { name: 'Basic/Standard/Module1.xml', data: '<m/>' }]);
    expect(sniffEvidence(macro, 'x')).toMatchObject({ ok: false, category: 'active_content' });
  });
});

describe('content sniffer: PDF', () => {
  it('accepts a plain hand-made PDF', () => {
    expect(sniffEvidence(buildPdf(), 'a.pdf')).toMatchObject({ ok: true, format: 'pdf' });
  });

  it.each([
    ['/JavaScript', '/OpenAction << /S /JavaScript /JS (app.alert(1)) >>'],
    ['/JS alone', '/AA << /O << /JS 5 0 R >> >>'],
    ['/Launch', '/OpenAction << /S /Launch /F (cmd.exe) >>'],
    ['/EmbeddedFile', '/Names << /EmbeddedFiles << /Names [(a.png) 4 0 R] >> >>'],
    ['/RichMedia', '/X << /Subtype /RichMedia >>'],
    ['hex-escaped /J#61vaScript', '/OpenAction << /S /J#61vaScript /JS (x) >>'],
  ])('refuses a PDF with %s', (_label, catalogExtra) => {
    expect(sniffEvidence(buildPdf({ catalogExtra }), 'a.pdf')).toMatchObject({ ok: false, category: 'active_content' });
  });

  it('finds JavaScript hidden in a compressed object stream', () => {
    const inner = deflateSync(Buffer.from('5 0 << /S /JavaScript /JS (app.alert(1)) >>'));
    const objStm = Buffer.concat([Buffer.from(`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${inner.length} >>\nstream\n`), inner, Buffer.from('\nendstream')]);
    const pdf = buildPdf();
    const withObjStm = Buffer.concat([pdf.subarray(0, pdf.indexOf('xref')), Buffer.from('9 0 obj\n'), objStm, Buffer.from('\nendobj\n'), pdf.subarray(pdf.indexOf('xref'))]);
    expect(sniffEvidence(withObjStm, 'a.pdf')).toMatchObject({ ok: false, category: 'active_content' });
  });

  it('counts image XObjects against the allowance', () => {
    expect(sniffEvidence(buildPdf({ imageBytes: 2000 }), 'a.pdf', limits({ embeddedImageBytes: 4096 }))).toMatchObject({ ok: true, embeddedImageBytes: expect.any(Number) });
    expect(sniffEvidence(buildPdf({ imageBytes: 6000 }), 'a.pdf', limits({ embeddedImageBytes: 4096 }))).toMatchObject({ ok: false, category: 'embedded_media' });
  });

  it('refuses encrypted PDFs and PDFs with data appended after %%EOF', () => {
    const encrypted = Buffer.from(buildPdf().toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Encrypt 9 0 R'), 'latin1');
    expect(sniffEvidence(encrypted, 'a.pdf')).toMatchObject({ ok: false, category: 'encrypted' });
    expect(sniffEvidence(Buffer.concat([buildPdf(), fakeMedia.png(10_000)]), 'a.pdf')).toMatchObject({ ok: false, category: 'damaged' });
  });
});
