import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

import { buildZip } from './evidence-files.factory.js';

/**
 * Polyglots: a real document (PDF or office ZIP) that stays a working document while it carries a
 * picture, film, sound, archive or program somewhere outside the document's own structure. Each
 * builder keeps every offset right (xref tables, startxref, ZIP directory offsets), so a reader
 * still opens the host document and a carving tool still finds the payload: the attack is real.
 * Written independently of the sniffer (it never imports it). Payload bytes are a format's header
 * and structure around seeded random filler: nothing here is a picture of anything.
 */

/** A small deterministic generator (mulberry32), so every case is reproducible from its seed. */
export function seededBytes(seed: number, size: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

const u32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const pad = (head: Buffer, size: number, seed: number, tail: Buffer = Buffer.alloc(0)) =>
  Buffer.concat([head, seededBytes(seed, Math.max(0, size - head.length - tail.length)), tail]);
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const latin1 = (s: string) => Buffer.from(s, 'latin1');

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([latin1(type), data]);
  return Buffer.concat([u32be(data.length), body, u32be(crc32(body))]);
}

export interface Payload {
  /** The label `file-signatures.ts` gives this format. */
  label: string;
  /** What `file-type` 21 reports for it (`ext`), when file-type knows the format. */
  fileType?: string;
  build: (size: number, seed: number) => Buffer;
}

/** One payload per picture, film, sound, archive and program signature the sniffer knows. */
export const PAYLOADS: readonly Payload[] = [
  {
    label: 'JPEG image',
    fileType: 'jpg',
    build: (n, s) => pad(Buffer.concat([hex('ffd8ffe0 0010'), latin1('JFIF\0'), hex('0101 0000 0100 0100')]), n, s, hex('ffd9')),
  },
  {
    label: 'PNG image',
    fileType: 'png',
    build: (n, s) => {
      const ihdr = Buffer.concat([u32be(16), u32be(16), hex('0802000000')]);
      const head = Buffer.concat([hex('89504e470d0a1a0a'), pngChunk('IHDR', ihdr)]);
      const idat = seededBytes(s, Math.max(1, n - head.length - 12 - 12));
      return Buffer.concat([head, pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
    },
  },
  {
    label: 'GIF image',
    fileType: 'gif',
    build: (n, s) => pad(Buffer.concat([latin1('GIF89a'), hex('1000 1000 f700 00')]), n, s, hex('3b')),
  },
  {
    label: 'WebP image',
    fileType: 'webp',
    build: (n, s) => pad(Buffer.concat([latin1('RIFF'), u32le(n - 8), latin1('WEBPVP8 '), u32le(n - 20)]), n, s),
  },
  {
    label: 'TIFF image',
    fileType: 'tif',
    build: (n, s) => pad(Buffer.concat([hex('49492a00 08000000'), hex('0100 0001 0300 0100 0000 1000 0000 00000000')]), n, s),
  },
  {
    label: 'HEIC/AVIF image',
    fileType: 'heic',
    build: (n, s) => pad(Buffer.concat([u32be(24), latin1('ftypheic'), u32be(0), latin1('mif1heic')]), n, s),
  },
  { label: 'ICO/CUR icon', fileType: 'ico', build: (n, s) => pad(hex('00000100 0100 1010 0000 0100 2000'), n, s) },
  {
    label: 'JPEG 2000 image',
    fileType: 'jp2',
    build: (n, s) => pad(Buffer.concat([hex('0000000c 6a502020 0d0a870a'), u32be(20), latin1('ftypjp2 '), u32be(0), latin1('jp2 ')]), n, s),
  },
  { label: 'JPEG XL image', fileType: 'jxl', build: (n, s) => pad(hex('ff0a fa7f'), n, s) },
  {
    label: 'Photoshop image',
    fileType: 'psd',
    build: (n, s) => pad(Buffer.concat([latin1('8BPS'), hex('0001 000000000000 0003 00000010 00000010 0008 0003')]), n, s),
  },
  { label: 'QOI image', build: (n, s) => pad(Buffer.concat([latin1('qoif'), u32be(16), u32be(16), hex('0300')]), n, s) },
  { label: 'OpenEXR image', build: (n, s) => pad(hex('762f3101 02000000'), n, s) },
  { label: 'DDS texture', build: (n, s) => pad(Buffer.concat([latin1('DDS '), u32le(124)]), n, s) },
  { label: 'IFF image', build: (n, s) => pad(Buffer.concat([latin1('FORM'), u32be(n - 8), latin1('ILBMBMHD')]), n, s) },
  { label: 'Windows metafile picture', build: (n, s) => pad(hex('d7cdc69a 0000'), n, s) },
  {
    label: 'BMP image',
    fileType: 'bmp',
    build: (n, s) => pad(Buffer.concat([latin1('BM'), u32le(n), hex('00000000 36000000 28000000 10000000 10000000 0100 1800')]), n, s),
  },
  {
    label: 'MP4/QuickTime video',
    fileType: 'mp4',
    build: (n, s) => pad(Buffer.concat([u32be(32), latin1('ftypisom'), u32be(512), latin1('isomiso2avc1mp41')]), n, s),
  },
  { label: 'QuickTime video', fileType: 'mov', build: (n, s) => pad(Buffer.concat([u32be(n), latin1('mdat')]), n, s) },
  {
    label: 'WebM/Matroska video',
    fileType: 'webm',
    build: (n, s) => pad(hex('1a45dfa3 9f4286810142f7810142f2810442f381084282847765626d'), n, s),
  },
  { label: 'AVI video', fileType: 'avi', build: (n, s) => pad(Buffer.concat([latin1('RIFF'), u32le(n - 8), latin1('AVI LIST')]), n, s) },
  { label: 'FLV video', fileType: 'flv', build: (n, s) => pad(Buffer.concat([latin1('FLV'), hex('01 05 00000009 00000000')]), n, s) },
  { label: 'ASF/WMV video', fileType: 'asf', build: (n, s) => pad(hex('3026b2758e66cf11a6d900aa0062ce6c'), n, s) },
  { label: 'MPEG program stream', fileType: 'mpg', build: (n, s) => pad(hex('000001ba 44000400 0401 0189c3f8'), n, s) },
  {
    label: 'MPEG transport stream',
    fileType: 'mts',
    build: (n, s) => {
      const b = pad(hex('47400010'), Math.max(n, 400), s);
      b[188] = 0x47;
      return b;
    },
  },
  { label: 'RealMedia video', fileType: 'rm', build: (n, s) => pad(Buffer.concat([latin1('.RMF'), hex('00000012 0000')]), n, s) },
  { label: 'RIFF media', build: (n, s) => pad(Buffer.concat([latin1('RIFF'), u32le(n - 8), latin1('CDXAfmt ')]), n, s) },
  {
    label: 'WAV audio',
    fileType: 'wav',
    build: (n, s) =>
      pad(
        Buffer.concat([
          latin1('RIFF'),
          u32le(n - 8),
          latin1('WAVEfmt '),
          u32le(16),
          hex('0100 0100 44ac0000 88580100 0200 1000'),
          latin1('data'),
        ]),
        n,
        s,
      ),
  },
  {
    label: 'M4A audio',
    fileType: 'm4a',
    build: (n, s) => pad(Buffer.concat([u32be(24), latin1('ftypM4A '), u32be(0), latin1('M4A mp42')]), n, s),
  },
  { label: 'AIFF audio', fileType: 'aif', build: (n, s) => pad(Buffer.concat([latin1('FORM'), u32be(n - 8), latin1('AIFFCOMM')]), n, s) },
  { label: 'FLAC audio', fileType: 'flac', build: (n, s) => pad(Buffer.concat([latin1('fLaC'), hex('00000022')]), n, s) },
  { label: 'Ogg media', build: (n, s) => pad(Buffer.concat([latin1('OggS'), hex('0002 0000000000000000')]), n, s) },
  { label: 'AU audio', build: (n, s) => pad(Buffer.concat([latin1('.snd'), hex('00000018 ffffffff 00000003 00001f40 00000001')]), n, s) },
  { label: 'CAF audio', build: (n, s) => pad(Buffer.concat([latin1('caff'), hex('0001 0000'), latin1('desc')]), n, s) },
  { label: "Monkey's Audio", fileType: 'ape', build: (n, s) => pad(Buffer.concat([latin1('MAC '), hex('960f')]), n, s) },
  { label: 'WavPack audio', fileType: 'wv', build: (n, s) => pad(Buffer.concat([latin1('wvpk'), u32le(n - 8)]), n, s) },
  { label: 'MPEG audio', fileType: 'mp3', build: (n, s) => pad(hex('fffb9064'), n, s) },
  {
    label: 'MIDI audio',
    fileType: 'mid',
    build: (n, s) => pad(Buffer.concat([latin1('MThd'), hex('00000006 0001 0001 0060'), latin1('MTrk')]), n, s),
  },
  {
    label: 'MP3 audio (ID3)',
    fileType: 'mp3',
    build: (n, s) => pad(Buffer.concat([latin1('ID3'), hex('0400 00 00000000'), hex('fffb9064')]), n, s),
  },
  {
    label: 'ZIP archive',
    fileType: 'zip',
    build: (n, s) => buildZip([{ name: 'photo.jpg', data: PAYLOADS[0]!.build(Math.max(64, n - 120), s), store: true }]),
  },
  { label: 'RAR archive', fileType: 'rar', build: (n, s) => pad(hex('526172211a0700 cf907300000d0000000000000000'), n, s) },
  { label: '7-Zip archive', fileType: '7z', build: (n, s) => pad(hex('377abcaf271c 0004'), n, s) },
  { label: 'gzip archive', fileType: 'gz', build: (n, s) => pad(hex('1f8b0800 00000000 0003'), n, s) },
  { label: 'xz archive', fileType: 'xz', build: (n, s) => pad(hex('fd377a585a00 0004'), n, s) },
  { label: 'Zstandard archive', fileType: 'zst', build: (n, s) => pad(hex('28b52ffd 0458'), n, s) },
  { label: 'LZ4 archive', fileType: 'lz4', build: (n, s) => pad(hex('04224d18 6440a7'), n, s) },
  { label: 'bzip2 archive', fileType: 'bz2', build: (n, s) => pad(latin1('BZh91AY&SY'), n, s) },
  { label: 'Unix compress archive', fileType: 'Z', build: (n, s) => pad(hex('1f9d90'), n, s) },
  {
    label: 'tar archive',
    fileType: 'tar',
    build: (n, s) => {
      const b = Buffer.concat([Buffer.alloc(512), seededBytes(s, Math.max(0, n - 512))]);
      b.write('photo.jpg', 0, 'latin1');
      b.write('ustar\u000000', 257, 'latin1');
      return b;
    },
  },
  { label: 'lzip archive', fileType: 'lz', build: (n, s) => pad(Buffer.concat([latin1('LZIP'), hex('01 0c')]), n, s) },
  { label: 'XAR archive', build: (n, s) => pad(Buffer.concat([latin1('xar!'), hex('001c 0001')]), n, s) },
  { label: 'ARJ archive', fileType: 'arj', build: (n, s) => pad(hex('60ea 2600 1e 06 01 10 00 02'), Math.max(n, 16), s) },
  { label: 'LHA archive', fileType: 'lzh', build: (n, s) => pad(Buffer.concat([hex('2400'), latin1('-lh5-')]), n, s) },
  {
    label: 'ISO disk image',
    build: (n, s) => {
      const b = Buffer.concat([Buffer.alloc(0x8006), seededBytes(s, Math.max(0, n - 0x8006))]);
      b[0x8000] = 1;
      b.write('CD001', 0x8001, 'latin1');
      return b;
    },
  },
  { label: 'Cabinet archive', fileType: 'cab', build: (n, s) => pad(Buffer.concat([latin1('MSCF'), u32le(0), u32le(n)]), n, s) },
  { label: 'ELF executable', fileType: 'elf', build: (n, s) => pad(hex('7f454c46 02010100 0000000000000000 0200 3e00'), n, s) },
  { label: 'Mach-O executable', fileType: 'macho', build: (n, s) => pad(hex('cffaedfe 07000001 03000000'), n, s) },
  { label: 'Mach-O universal binary or Java class', fileType: 'class', build: (n, s) => pad(hex('cafebabe 0000003d'), n, s) },
  { label: 'Android DEX', build: (n, s) => pad(Buffer.concat([latin1('dex\n035\0')]), n, s) },
  { label: 'Windows shortcut', fileType: 'lnk', build: (n, s) => pad(hex('4c000000 01140200 00000000 c0000000 00000046'), n, s) },
  {
    label: 'Windows executable (MZ/PE)',
    fileType: 'exe',
    build: (n, s) => pad(Buffer.concat([latin1('MZ'), hex('9000 0300 0000 0400')]), n, s),
  },
  { label: 'WebAssembly module', fileType: 'wasm', build: (n, s) => pad(hex('0061736d 01000000'), n, s) },
];

/** The six formats the issue names; the normal run covers these at every boundary. */
export const CORE_PAYLOADS = ['JPEG image', 'PNG image', 'GIF image', 'WebP image', 'ZIP archive', 'MP4/QuickTime video'];

export const payloadByLabel = (label: string): Payload => {
  const p = PAYLOADS.find((x) => x.label === label);
  if (!p) throw new Error(`no payload ${label}`);
  return p;
};

export interface Polyglot {
  /** Where the payload sits, in words (for test names). */
  position: string;
  bytes: Buffer;
  /** Byte offset of the payload in `bytes` (to carve it out again). */
  payloadOffset: number;
  /** False where readers that recompute offsets (unzip) no longer open the host. */
  hostReadable?: false;
}

// ---------------------------------------------------------------------------------------------
// PDF hosts

/**
 * /Root and /Size for an update: the last /Root and the largest /Size in any trailer or xref-stream
 * dictionary (both are plain text in every PDF, linearized and xref-stream ones included).
 */
export function pdfTrailer(pdf: Buffer): { root: string; size: number } {
  const s = pdf.toString('latin1');
  const roots = [...s.matchAll(/\/Root\s+(\d+\s+\d+\s+R)/g)];
  const sizes = [...s.matchAll(/\/Size\s+(\d+)/g)].map((m) => Number(m[1]));
  const root = roots[roots.length - 1]?.[1];
  if (!root || sizes.length === 0) throw new Error('no trailer found');
  return { root, size: Math.max(...sizes) };
}

const lastStartxref = (pdf: Buffer): number => {
  const all = [...pdf.toString('latin1').matchAll(/startxref\s+(\d+)/g)];
  const last = all[all.length - 1];
  if (!last) throw new Error('no startxref');
  return Number(last[1]);
};

/** Top-level object offsets of a PDF with one classic xref table (and no linearization). */
export function classicObjectOffsets(pdf: Buffer): number[] | null {
  const s = pdf.toString('latin1');
  if ((s.match(/startxref/g) ?? []).length !== 1 || s.includes('/Linearized') || s.includes('/XRefStm')) return null;
  const at = lastStartxref(pdf);
  if (!s.startsWith('xref', at)) return null;
  const offsets: number[] = [];
  for (const m of s.slice(at).matchAll(/(\d{10}) \d{5} n/g)) offsets.push(Number(m[1]));
  return offsets.sort((a, b) => a - b);
}

/** `payload` inserted at byte `at` of a single-section classic PDF, with its xref and startxref shifted. */
function insertIntoClassicPdf(pdf: Buffer, at: number, payload: Buffer): Buffer {
  const s = pdf.toString('latin1');
  const xrefAt = lastStartxref(pdf);
  const shift = (n: number) => (n >= at ? n + payload.length : n);
  const head = s.slice(0, xrefAt);
  const tail = s
    .slice(xrefAt)
    .replace(/(\d{10})( \d{5} n)/g, (_m, off: string, rest: string) => String(shift(Number(off))).padStart(10, '0') + rest)
    .replace(/startxref(\s+)(\d+)/, (_m, ws: string, n: string) => `startxref${ws}${shift(Number(n))}`);
  const fixed = Buffer.from(head + tail, 'latin1');
  return Buffer.concat([fixed.subarray(0, at), payload, fixed.subarray(at)]);
}

type UpdateSlot = 'between-updates' | 'between-update-objects' | 'before-update-xref' | 'between-trailer-and-startxref' | 'after-update';

/**
 * An incremental update appended as a PDF editor writes one (two new objects, an xref section for
 * them, a trailer with /Prev), with the payload at `slot`. Appending never moves earlier bytes, so
 * this works on any PDF: linearized, with object streams or xref streams.
 */
function appendUpdate(pdf: Buffer, payload: Buffer | null, slot: UpdateSlot): Polyglot {
  const { root, size } = pdfTrailer(pdf);
  const prev = lastStartxref(pdf);
  const parts: Buffer[] = [pdf];
  let length = pdf.length;
  let payloadOffset = -1;
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  const maybePayload = (here: UpdateSlot) => {
    if (payload && slot === here) {
      push(latin1('\n'));
      payloadOffset = length;
      push(payload);
    }
  };
  maybePayload('between-updates');
  push(latin1('\n'));
  const first = length;
  push(latin1(`${size} 0 obj\n<< /Title (Revised policy) /Producer (an editor) >>\nendobj\n`));
  maybePayload('between-update-objects');
  if (payload && slot === 'between-update-objects') push(latin1('\n'));
  const second = length;
  push(latin1(`${size + 1} 0 obj\n<< /Type /Metadata /Note (revision 2) >>\nendobj\n`));
  maybePayload('before-update-xref');
  if (payload && slot === 'before-update-xref') push(latin1('\n'));
  const xref = length;
  push(
    latin1(
      `xref\n0 1\n0000000000 65535 f \n${size} 2\n${String(first).padStart(10, '0')} 00000 n \n${String(second).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 2} /Root ${root} /Info ${size} 0 R /Prev ${prev} >>\n`,
    ),
  );
  maybePayload('between-trailer-and-startxref');
  if (payload && slot === 'between-trailer-and-startxref') push(latin1('\n'));
  push(latin1(`startxref\n${xref}\n%%EOF\n`));
  maybePayload('after-update');
  return { position: `incremental update: ${slot}`, bytes: Buffer.concat(parts), payloadOffset };
}

/** Every place outside a PDF's structure where `payload` can ride along, the PDF still readable. */
export function pdfPolyglots(pdf: Buffer, payload: Buffer): Polyglot[] {
  const out: Polyglot[] = [
    { position: 'before the %PDF header', bytes: Buffer.concat([payload, pdf]), payloadOffset: 0 },
    { position: 'appended after the final %%EOF', bytes: Buffer.concat([pdf, payload]), payloadOffset: pdf.length },
    {
      position: 'appended after %%EOF, then a second %%EOF',
      bytes: Buffer.concat([pdf, latin1('\n'), payload, latin1('\n%%EOF\n')]),
      payloadOffset: pdf.length + 1,
    },
    {
      position: 'on the %%EOF line',
      bytes: Buffer.concat([pdf.subarray(0, pdf.lastIndexOf('%%EOF') + 5), latin1(' '), payload, latin1('\n')]),
      payloadOffset: pdf.lastIndexOf('%%EOF') + 6,
    },
  ];
  for (const slot of [
    'between-updates',
    'between-update-objects',
    'before-update-xref',
    'between-trailer-and-startxref',
    'after-update',
  ] as const) {
    out.push(appendUpdate(pdf, payload, slot));
  }
  const offsets = classicObjectOffsets(pdf);
  if (offsets) {
    const xrefAt = lastStartxref(pdf);
    offsets.forEach((at, i) => {
      out.push({
        position: `between objects (before object #${i + 1} of ${offsets.length})`,
        bytes: insertIntoClassicPdf(pdf, at, Buffer.concat([payload, latin1('\n')])),
        payloadOffset: at,
      });
    });
    out.push({
      position: 'between the last object and the xref table',
      bytes: insertIntoClassicPdf(pdf, xrefAt, Buffer.concat([payload, latin1('\n')])),
      payloadOffset: xrefAt,
    });
    const first = offsets[0]!;
    out.push({
      position: 'in a comment after the header',
      bytes: insertIntoClassicPdf(pdf, first, Buffer.concat([latin1('%'), payload, latin1('\n')])),
      payloadOffset: first + 1,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ZIP hosts (OOXML and ODF)

interface ZipLayout {
  eocd: number;
  cdOffset: number;
  cdSize: number;
  /** Central records: where each sits and its local header's offset. */
  records: { at: number; local: number; nameLength: number; extraLength: number; commentLength: number }[];
}

export function zipLayout(zip: Buffer): ZipLayout {
  let eocd = -1;
  for (let i = zip.length - 22; i >= 0; i -= 1) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new Error('not a ZIP');
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const records: ZipLayout['records'] = [];
  for (let p = cdOffset; p < cdOffset + cdSize;) {
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    records.push({ at: p, local: zip.readUInt32LE(p + 42), nameLength, extraLength, commentLength });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { eocd, cdOffset, cdSize, records };
}

/** `payload` inserted at byte `at`, every directory offset past it shifted: the ZIP still opens. */
function insertIntoZip(zip: Buffer, at: number, payload: Buffer): Buffer {
  const { eocd, cdOffset, records } = zipLayout(zip);
  const fixed = Buffer.from(zip);
  for (const r of records) if (r.local >= at) fixed.writeUInt32LE(r.local + payload.length, r.at + 42);
  if (cdOffset >= at) fixed.writeUInt32LE(cdOffset + payload.length, eocd + 16);
  return Buffer.concat([fixed.subarray(0, at), payload, fixed.subarray(at)]);
}

/** Adds a stored entry named `name` before the directory. */
export function addZipEntry(zip: Buffer, name: string, data: Buffer): { bytes: Buffer; dataOffset: number } {
  const { eocd, cdOffset, cdSize, records } = zipLayout(zip);
  const nameBytes = Buffer.from(name, 'utf8');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(cdOffset, 42);
  const added = local.length + nameBytes.length + data.length;
  const end = Buffer.from(zip.subarray(eocd));
  end.writeUInt16LE(records.length + 1, 8);
  end.writeUInt16LE(records.length + 1, 10);
  end.writeUInt32LE(cdSize + central.length + nameBytes.length, 12);
  end.writeUInt32LE(cdOffset + added, 16);
  return {
    bytes: Buffer.concat([
      zip.subarray(0, cdOffset),
      local,
      nameBytes,
      data,
      zip.subarray(cdOffset, cdOffset + cdSize),
      central,
      nameBytes,
      end,
    ]),
    dataOffset: cdOffset + local.length + nameBytes.length,
  };
}

/** Every place outside an office document's parts where `payload` can ride along. */
export function zipPolyglots(zip: Buffer, payload: Buffer): Polyglot[] {
  const { eocd, cdOffset, cdSize, records } = zipLayout(zip);
  const locals = records.map((r) => r.local).sort((a, b) => a - b);
  const out: Polyglot[] = [{ position: 'before the first local header', bytes: insertIntoZip(zip, 0, payload), payloadOffset: 0 }];
  locals.slice(1).forEach((at, i) =>
    out.push({
      position: `between entries #${i + 1} and #${i + 2} of ${locals.length}`,
      bytes: insertIntoZip(zip, at, payload),
      payloadOffset: at,
    }),
  );
  out.push({
    position: 'between the last entry and the central directory',
    bytes: insertIntoZip(zip, cdOffset, payload),
    payloadOffset: cdOffset,
  });
  // unzip and most readers locate the directory from the end record's position, so they no longer
  // open this one; readers that trust the recorded offset (as a careless sniffer would) still do.
  out.push({
    position: 'between the central directory and its end record',
    bytes: insertIntoZip(zip, cdOffset + cdSize, payload),
    payloadOffset: cdOffset + cdSize,
    hostReadable: false,
  });
  const withComment = Buffer.from(zip.subarray(0, eocd + 22));
  withComment.writeUInt16LE(payload.length, eocd + 20);
  out.push({ position: 'in the archive comment', bytes: Buffer.concat([withComment, payload]), payloadOffset: eocd + 22 });
  out.push({ position: 'appended after the end record', bytes: Buffer.concat([zip, payload]), payloadOffset: zip.length });
  for (const name of ['customXml/item9.xml', 'docProps/custom-data.bin', 'settings-backup']) {
    const added = addZipEntry(zip, name, payload);
    out.push({ position: `as an extra entry named ${name}`, bytes: added.bytes, payloadOffset: added.dataOffset });
  }
  // In the first entry's local extra field (a well-formed record with a private id).
  if (payload.length <= 0xffff - 4) {
    const first = records.find((r) => r.local === 0) ?? records[0]!;
    const nameLength = zip.readUInt16LE(first.local + 26);
    const extraLength = zip.readUInt16LE(first.local + 28);
    const at = first.local + 30 + nameLength + extraLength;
    // Header id 0xCAFE (unassigned), then the data size, then the data.
    const record = Buffer.concat([Buffer.from([0xfe, 0xca, payload.length & 0xff, payload.length >> 8]), payload]);
    const bytes = insertIntoZip(zip, at, record);
    bytes.writeUInt16LE(extraLength + record.length, first.local + 28);
    out.push({ position: 'in a local extra field', bytes, payloadOffset: at + 4 });
    // In a central-directory entry comment.
    const r = records[0]!;
    const commentAt = r.at + 46 + r.nameLength + r.extraLength + r.commentLength;
    const withEntryComment = Buffer.concat([zip.subarray(0, commentAt), payload, zip.subarray(commentAt)]);
    withEntryComment.writeUInt16LE(r.commentLength + payload.length, r.at + 32);
    const newEocd = eocd + payload.length;
    withEntryComment.writeUInt32LE(cdSize + payload.length, newEocd + 12);
    out.push({ position: 'in an entry comment', bytes: withEntryComment, payloadOffset: commentAt });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The corpus and the outside tools

export const CORPUS_DIR = fileURLToPath(new URL('../fixtures/evidence-corpus/', import.meta.url));
export const readCorpus = (name: string): Buffer => readFileSync(join(CORPUS_DIR, name));
export const CORPUS_PDFS = [
  'lo-writer-logo.pdf',
  'lo-writer-plain.pdf',
  'lo-calc.pdf',
  'lo-impress-logo.pdf',
  'qpdf-linearized.pdf',
  'qpdf-object-streams.pdf',
  'qpdf-linearized-object-streams.pdf',
  'incremental-xref-table.pdf',
  'incremental-xref-stream.pdf',
];
export const CORPUS_ZIPS = [
  'lo-writer-logo.docx',
  'lo-writer-logo.odt',
  'lo-calc.xlsx',
  'lo-calc.ods',
  'lo-impress-logo.pptx',
  'lo-impress-logo.odp',
];
