import { randomBytes } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';

import PDFDocument from 'pdfkit';

/**
 * Builds evidence files byte by byte: a tiny ZIP writer (stored or deflated entries) for office
 * documents, hand-made PDFs for the active-content cases, and media/archive/program headers. Nothing
 * here is a real picture: "images" are a valid signature followed by random bytes.
 */

export interface ZipInput {
  name: string;
  data: Buffer | string;
  /** Default deflate; stored entries keep bytes visible, as ODF's mimetype must be. */
  store?: boolean;
  /** Sizes and CRC in a data descriptor after the data (flag bit 3), as streaming writers do. */
  descriptor?: 'signed' | 'unsigned';
  /** Extra-field bytes for both the local header and the directory record. */
  extra?: Buffer;
  /** A directory entry comment. */
  comment?: Buffer | string;
}

export function buildZip(entries: ZipInput[], options: { comment?: Buffer | string } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const bytesOf = (b: Buffer | string | undefined) =>
    b === undefined ? Buffer.alloc(0) : typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  for (const entry of entries) {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const data = entry.store ? raw : deflateRawSync(raw);
    const name = Buffer.from(entry.name, 'utf8');
    const extra = bytesOf(entry.extra);
    const comment = bytesOf(entry.comment);
    const crc = crc32(raw);
    const flags = 0x800 | (entry.descriptor ? 0x8 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(entry.store ? 0 : 8, 8);
    if (!entry.descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(raw.length, 22);
    }
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(entry.store ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt16LE(comment.length, 32);
    central.writeUInt32LE(offset, 42);
    const descriptor = Buffer.alloc(entry.descriptor === 'signed' ? 16 : entry.descriptor ? 12 : 0);
    if (entry.descriptor) {
      const at = entry.descriptor === 'signed' ? 4 : 0;
      if (at) descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, at);
      descriptor.writeUInt32LE(data.length, at + 4);
      descriptor.writeUInt32LE(raw.length, at + 8);
    }
    locals.push(local, name, extra, data, descriptor);
    centrals.push(central, name, extra, comment);
    offset += local.length + name.length + extra.length + data.length + descriptor.length;
  }
  const cd = Buffer.concat(centrals);
  const archiveComment = bytesOf(options.comment);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(archiveComment.length, 20);
  return Buffer.concat([...locals, cd, eocd, archiveComment]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const DOCUMENT = (text: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`;

/** A minimal valid Word document, plus any extra parts (and an archive comment). */
export function buildDocx(
  extra: ZipInput[] = [],
  text = 'Hash-matching policy v3: every upload is checked against the IWF hash list.',
  comment?: Buffer | string,
): Buffer {
  return buildZip(
    [
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'word/document.xml', data: DOCUMENT(text) },
      ...extra,
    ],
    { comment },
  );
}

export function buildOdt(): Buffer {
  return buildZip([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
    {
      name: 'META-INF/manifest.xml',
      data: '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
    },
    {
      name: 'content.xml',
      data: '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
    },
  ]);
}

/** Signature + random tail: sniffs as the format without being a picture of anything. */
export const fakeMedia = {
  png: (size = 256) =>
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.from('IHDR'),
      randomBytes(Math.max(0, size - 16)),
    ]),
  jpeg: (size = 256) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0'), randomBytes(size - 11)]),
  gif: () => Buffer.concat([Buffer.from('GIF89a'), randomBytes(64)]),
  webp: () => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x40, 0, 0, 0]), Buffer.from('WEBPVP8 '), randomBytes(64)]),
  heic: () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), randomBytes(64)]),
  mp4: (size = 256) => Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), randomBytes(size - 12)]),
  mov: () => Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from('ftypqt  '), randomBytes(64)]),
  webm: () => Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), randomBytes(64)]),
  mp3: () => Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0x21]), randomBytes(64)]),
  wav: () => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x40, 0, 0, 0]), Buffer.from('WAVEfmt '), randomBytes(64)]),
  gzip: () => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]), randomBytes(64)]),
  elf: () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(8), randomBytes(64)]),
  pe: () => Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0, 3, 0, 0, 0, 4, 0]), randomBytes(64)]),
};

export function buildPlainZip(): Buffer {
  return buildZip([
    { name: 'notes.txt', data: 'just some notes' },
    { name: 'photo.png', data: fakeMedia.png(), store: true },
  ]);
}

/** A hand-made PDF with a catalog, one page and whatever extra catalog entries/objects are given. */
export function buildPdf(options: { catalogExtra?: string; extraObjects?: string[]; imageBytes?: number } = {}): Buffer {
  const objects: (string | Buffer)[] = [
    `<< /Type /Catalog /Pages 2 0 R ${options.catalogExtra ?? ''} >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    ...(options.extraObjects ?? []),
  ];
  if (options.imageBytes) {
    const data = fakeMedia.jpeg(options.imageBytes);
    objects.push(
      Buffer.concat([
        Buffer.from(`<< /Type /XObject /Subtype /Image /Width 100 /Height 100 /Filter /DCTDecode /Length ${data.length} >>\nstream\n`),
        data,
        Buffer.from('\nendstream'),
      ]),
    );
  }
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

/** A real PDF as pdfkit writes it (compressed content streams, an info dictionary, fonts). */
export function buildRealPdf(text = 'Hand on Heart: hash-matching policy, approved by the board.'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ info: { Title: 'Policy' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(14).text(text);
    doc.end();
  });
}
