import { constants as zlibConstants, inflateRawSync, inflateSync } from 'node:zlib';

import { type FileSignature, identifySignature, isPdf, isZip } from './file-signatures.js';

/**
 * Decides from the bytes alone (never the file name or the client's Content-Type) whether an upload
 * may be stored as evidence. An allow-list: PDF, OOXML (docx/xlsx/pptx), ODF (odt/ods/odp), CSV and
 * plain UTF-8 text; everything else is refused. Pure functions, no IO; docs/SECURITY.md states the policy.
 */

export type RefusalCategory =
  | 'empty'
  | 'image'
  | 'video'
  | 'audio'
  | 'archive'
  | 'executable'
  | 'unsupported_document'
  | 'active_content'
  | 'embedded_object'
  | 'embedded_media'
  | 'encrypted'
  | 'archive_bomb'
  | 'damaged'
  | 'unknown';

export type AcceptedFormat = 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'odt' | 'ods' | 'odp' | 'csv' | 'text';

export interface SniffAccepted {
  ok: true;
  format: AcceptedFormat;
  mediaType: string;
  extension: string;
  /** Bytes of pictures found inside the document (counted against the allowance). */
  embeddedImageBytes: number;
}
export interface SniffRefused {
  ok: false;
  category: RefusalCategory;
  /** What was found, for the user and the audit log; never any of the content. */
  reason: string;
}
export type SniffResult = SniffAccepted | SniffRefused;

export interface SniffLimits {
  /** Total size of all pictures inside one document (logos, screenshots). */
  embeddedImageBytes: number;
  /** Entries in an office document's ZIP container. */
  maxZipEntries: number;
  /** Sum of the declared uncompressed sizes of an office document's entries. */
  maxUncompressedBytes: number;
  /** Uncompressed ÷ compressed size, checked for entries over 1 MiB. */
  maxCompressionRatio: number;
  /** Output budget for inflating a PDF's object streams (dictionaries only, never pictures). */
  maxPdfObjectStreamBytes: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_SNIFF_LIMITS: SniffLimits = {
  embeddedImageBytes: 5 * MiB,
  maxZipEntries: 5000,
  maxUncompressedBytes: 200 * MiB,
  maxCompressionRatio: 100,
  maxPdfObjectStreamBytes: 64 * MiB,
};

export const FORMATS: Record<AcceptedFormat, { mediaType: string; extension: string }> = {
  pdf: { mediaType: 'application/pdf', extension: 'pdf' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  pptx: { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx' },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', extension: 'odt' },
  ods: { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods' },
  odp: { mediaType: 'application/vnd.oasis.opendocument.presentation', extension: 'odp' },
  csv: { mediaType: 'text/csv', extension: 'csv' },
  text: { mediaType: 'text/plain', extension: 'txt' },
};

const accept = (format: AcceptedFormat, embeddedImageBytes = 0): SniffAccepted => ({ ok: true, format, ...FORMATS[format], embeddedImageBytes });
const refuse = (category: RefusalCategory, reason: string): SniffRefused => ({ ok: false, category, reason });

const fromSignature = (sig: FileSignature, where = ''): SniffRefused => {
  const prefix = where ? `${where} is ` : 'This is ';
  switch (sig.category) {
    case 'image':
    case 'video':
    case 'audio':
      return refuse(where ? 'embedded_media' : sig.category, `${prefix}a ${sig.label}`);
    case 'archive':
      return refuse('archive', `${prefix}a ${sig.label}`);
    case 'executable':
      return refuse('executable', `${prefix}a ${sig.label}`);
    case 'document':
      return refuse(where ? 'embedded_object' : 'unsupported_document', `${prefix}a ${sig.label}`);
  }
};

const mb = (n: number) => `${(n / MiB).toFixed(n < MiB ? 2 : 1)} MB`;

export function sniffEvidence(bytes: Buffer, fileName: string | undefined, limits: SniffLimits = DEFAULT_SNIFF_LIMITS): SniffResult {
  if (bytes.length === 0) return refuse('empty', 'The file is empty');
  if (isPdf(bytes)) return inspectPdf(bytes, limits);
  if (isZip(bytes)) return inspectZip(bytes, limits);
  const strong = identifySignature(bytes, false);
  if (strong) return fromSignature(strong);
  const text = decodeText(bytes);
  if (text !== null) return inspectText(text, fileName);
  const weak = identifySignature(bytes, true);
  if (weak) return fromSignature(weak);
  return refuse('unknown', 'This is not a format we accept (a binary file we do not recognise)');
}

// ---------------------------------------------------------------------------------------------
// Text and CSV

const UTF8 = new TextDecoder('utf-8', { fatal: true });
// C0 controls other than tab, line feed, vertical tab, form feed and carriage return mean binary.
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return true;
  }
  return false;
}

/** The text, or null when the bytes are not valid UTF-8 or carry control characters (binary). */
export function decodeText(bytes: Buffer): string | null {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return null;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return hasControlCharacters(text) ? null : text;
}

// Text that is really a picture, a program or a container in disguise.
const TEXT_SIGNATURES: readonly { test: RegExp; category: RefusalCategory; label: string }[] = [
  { test: /^#!/, category: 'executable', label: 'script (#!)' },
  { test: /^\{\\rtf/, category: 'unsupported_document', label: 'RTF document (RTF can embed pictures and objects; save it as PDF or .docx)' },
  { test: /^%!PS/, category: 'unsupported_document', label: 'PostScript file (it can draw pictures; save it as PDF)' },
  { test: /^!<arch>\n/, category: 'archive', label: 'ar archive' },
  { test: /^\/\* XPM \*\//, category: 'image', label: 'XPM image' },
  { test: /^P[1-7]\s+(#.*\s+)*\d+\s+\d+/, category: 'image', label: 'PNM image' },
  { test: /^#!AMR/, category: 'audio', label: 'AMR audio' },
];
const DATA_URI = /data:(image|video|audio)\/[a-z0-9.+-]{1,40}[;,]/i;
// Long runs of the base64 alphabet: decode their start and look for media or program signatures.
const BASE64_RUN = /[A-Za-z0-9+/]{64,}/g;

function inspectText(text: string, fileName: string | undefined): SniffResult {
  const head = text.trimStart();
  for (const sig of TEXT_SIGNATURES) if (sig.test.test(head)) return refuse(sig.category, `This is a ${sig.label}`);
  if (head.startsWith('<') && /<svg[\s>/]/i.test(text)) return refuse('image', 'This is an SVG image');
  if (DATA_URI.test(text)) return refuse('embedded_media', 'The text carries an embedded picture, video or sound (a data: URI)');
  let runs = 0;
  for (const match of text.matchAll(BASE64_RUN)) {
    if ((runs += 1) > 2000) break;
    const sig = identifySignature(Buffer.from(match[0].slice(0, 64), 'base64'));
    if (sig && sig.category !== 'document' && !sig.weak) return fromSignature(sig, 'Base64 text inside the file');
  }
  return accept(/\.csv$/i.test(fileName ?? '') ? 'csv' : 'text');
}

// ---------------------------------------------------------------------------------------------
// PDF

// Anything that runs, launches, attaches files or plays media inside a PDF.
const PDF_REFUSED_NAMES: ReadonlyMap<string, string> = new Map([
  ['JavaScript', 'JavaScript'],
  ['JS', 'JavaScript'],
  ['Launch', 'a launch action'],
  ['EmbeddedFile', 'an embedded file'],
  ['EmbeddedFiles', 'embedded files'],
  ['FileAttachment', 'a file attachment'],
  ['GoToE', 'a link into an embedded file'],
  ['RichMedia', 'rich media (video or Flash)'],
  ['Movie', 'a movie'],
  ['Sound', 'a sound'],
  ['Rendition', 'a media rendition'],
  ['XFA', 'an XFA form (it can run scripts; print or flatten it to PDF first)'],
]);

const PDF_NAME = /\/([^\s/<>[\](){}%]*)/g;
const decodeName = (raw: string) => raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** PDF text with every name's #xx escapes decoded, so `/J#61vaScript` reads as `/JavaScript`. */
const normaliseNames = (s: string) => s.replace(PDF_NAME, (_, raw: string) => `/${decodeName(raw)}`);

function refusedPdfName(s: string): string | undefined {
  for (const match of s.matchAll(PDF_NAME)) {
    const what = PDF_REFUSED_NAMES.get(decodeName(match[1] ?? ''));
    if (what) return what;
  }
  return undefined;
}

interface PdfStream {
  dict: string;
  dataStart: number;
  dataEnd: number;
}

/** Streams by their `stream`/`endstream` keywords; the dictionary is the text since its `obj`. */
function pdfStreams(s: string): PdfStream[] {
  const streams: PdfStream[] = [];
  const keyword = /stream(\r\n|\n|\r)/g;
  let match: RegExpExecArray | null;
  while ((match = keyword.exec(s)) !== null) {
    // `endstream` also ends in "stream"; a real stream keyword follows the dictionary's `>>`.
    if (s.slice(match.index - 3, match.index) === 'end') continue;
    if (!/>>\s*$/.test(s.slice(Math.max(0, match.index - 16), match.index))) continue;
    const dataStart = match.index + match[0].length;
    const end = s.indexOf('endstream', dataStart);
    const dataEnd = end === -1 ? s.length : end;
    const objAt = s.lastIndexOf('obj', match.index);
    streams.push({ dict: s.slice(objAt === -1 ? Math.max(0, match.index - 4096) : objAt, match.index), dataStart, dataEnd });
    keyword.lastIndex = dataEnd;
  }
  return streams;
}

function inspectPdf(bytes: Buffer, limits: SniffLimits): SniffResult {
  const s = bytes.toString('latin1');
  const streams = pdfStreams(s);
  // Names are read outside stream data only: compressed bytes would give random false matches.
  let skeleton = '';
  let cursor = 0;
  for (const st of streams) {
    skeleton += s.slice(cursor, st.dataStart) + ' ';
    cursor = st.dataEnd;
  }
  skeleton += s.slice(cursor);
  const names = new Set([...skeleton.matchAll(PDF_NAME)].map((m) => decodeName(m[1] ?? '')));
  if (names.has('Encrypt')) return refuse('encrypted', 'The PDF is encrypted or password-protected, so it cannot be checked; remove the protection and upload it again');
  const bad = refusedPdfName(skeleton);
  if (bad) return refuse('active_content', `The PDF contains ${bad}`);

  // Data after the final %%EOF is invisible to readers and could smuggle anything along.
  const eof = s.lastIndexOf('%%EOF');
  if (eof === -1) return refuse('damaged', 'The PDF is incomplete (no %%EOF marker)');
  if (s.length - eof > 4096) return refuse('damaged', 'The PDF has unexplained data appended after its end');

  let images = 0;
  let objectStreamBudget = limits.maxPdfObjectStreamBytes;
  for (const st of streams) {
    const dict = normaliseNames(st.dict);
    const data = bytes.subarray(st.dataStart, st.dataEnd);
    if (/\/Type\s*\/ObjStm\b/.test(dict)) {
      // Object streams hold compressed dictionaries, where an action could hide; pictures cannot.
      if (!/\/Filter\s*(\[\s*)?\/FlateDecode\s*\]?\s*(\/|>>)/.test(dict) && /\/Filter/.test(dict)) {
        return refuse('damaged', 'The PDF uses an object-stream encoding we cannot check; save it again with "Print to PDF"');
      }
      let inflated: Buffer;
      try {
        inflated = /\/Filter/.test(dict) ? inflateSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, objectStreamBudget) }) : data;
      } catch {
        return refuse('damaged', 'The PDF has an object stream that cannot be read or is suspiciously large');
      }
      objectStreamBudget -= inflated.length;
      const hidden = refusedPdfName(inflated.toString('latin1'));
      if (hidden) return refuse('active_content', `The PDF contains ${hidden}`);
      continue;
    }
    const declared = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    const size = Math.max(data.length, declared ? Number(declared[1]) : 0);
    if (/\/Subtype\s*\/Image\b/.test(dict)) {
      images += size;
      continue;
    }
    // A stream that is not declared a picture but starts like one (or like film, sound, archive).
    const sig = identifySignature(data.subarray(0, 64), false);
    if (sig?.category === 'image') images += size;
    else if (sig && sig.category !== 'document') return fromSignature(sig, 'Something inside the PDF');
  }
  if (images > limits.embeddedImageBytes) {
    return refuse('embedded_media', `The PDF's pictures total ${mb(images)}, over the ${mb(limits.embeddedImageBytes)} allowed per document`);
  }
  return accept('pdf', images);
}

// ---------------------------------------------------------------------------------------------
// ZIP containers (OOXML and ODF)

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  dataStart: number;
}

type ZipListing = { ok: true; entries: ZipEntry[] } | SniffRefused;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Reads the central directory without inflating anything, and refuses what could be a bomb or a
 * trick: too many entries, too much uncompressed data, extreme ratios, declared sizes that cannot be
 * true, overlapping entries, ZIP64, multi-disk, encryption, unusual compression, hidden data.
 */
export function readZipDirectory(bytes: Buffer, limits: SniffLimits): ZipListing {
  const searchFrom = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= searchFrom; i -= 1) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) return refuse('damaged', 'The file looks like a ZIP-based document but its directory is missing');
  const disk = bytes.readUInt16LE(eocd + 4);
  const cdDisk = bytes.readUInt16LE(eocd + 6);
  const onDisk = bytes.readUInt16LE(eocd + 8);
  const total = bytes.readUInt16LE(eocd + 10);
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  const commentLength = bytes.readUInt16LE(eocd + 20);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== total) return refuse('archive', 'This is a multi-part ZIP archive');
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return refuse('archive_bomb', 'The document uses ZIP64, which evidence never needs');
  if (total > limits.maxZipEntries) return refuse('archive_bomb', `The document has ${total} parts, more than the ${limits.maxZipEntries} allowed`);
  if (cdOffset + cdSize > eocd) return refuse('damaged', 'The ZIP directory points outside the file');
  if (eocd + 22 + commentLength < bytes.length - 1024) return refuse('damaged', 'The file has unexplained data after the end of the ZIP');

  const entries: ZipEntry[] = [];
  let p = cdOffset;
  let totalUncompressed = 0;
  for (let i = 0; i < total; i += 1) {
    if (p + 46 > cdOffset + cdSize || bytes.readUInt32LE(p) !== CENTRAL) return refuse('damaged', 'The ZIP directory is damaged');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    const compressedSize = bytes.readUInt32LE(p + 20);
    const uncompressedSize = bytes.readUInt32LE(p + 24);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLen = bytes.readUInt16LE(p + 32);
    const localHeaderOffset = bytes.readUInt32LE(p + 42);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: UTF-8 names; otherwise CP437, close enough to latin1 for the checks made here.
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    p += 46 + nameLength + extraLength + commentLen;
    if (p > cdOffset + cdSize) return refuse('damaged', 'The ZIP directory is damaged');

    if (flags & 0x1 || flags & 0x40) return refuse('encrypted', `The document is encrypted or password-protected (${name}); remove the protection and upload it again`);
    if (method !== 0 && method !== 8) return refuse('archive', `The document uses an unusual compression method (${method}) in ${name}`);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) return refuse('archive_bomb', 'The document uses ZIP64, which evidence never needs');
    if (method === 0 && compressedSize !== uncompressedSize) return refuse('damaged', `The declared sizes of ${name} do not match`);
    // Deflate never grows data by more than a few bytes per 16 KiB block; a larger "compressed"
    // size means the declared uncompressed size is a lie (to slip past the picture allowance).
    if (method === 8 && compressedSize > uncompressedSize + Math.ceil(uncompressedSize / 1000) + 64) return refuse('damaged', `The declared sizes of ${name} cannot be true`);
    if (uncompressedSize > MiB && uncompressedSize / Math.max(1, compressedSize) > limits.maxCompressionRatio) {
      return refuse('archive_bomb', `${name} expands more than ${limits.maxCompressionRatio}× (a possible ZIP bomb)`);
    }
    totalUncompressed += uncompressedSize;
    if (totalUncompressed > limits.maxUncompressedBytes) return refuse('archive_bomb', `The document unpacks to more than ${mb(limits.maxUncompressedBytes)}`);

    if (localHeaderOffset + 30 > cdOffset || bytes.readUInt32LE(localHeaderOffset) !== LOCAL) return refuse('damaged', `The ZIP entry ${name} is damaged`);
    const localNameLength = bytes.readUInt16LE(localHeaderOffset + 26);
    const localExtraLength = bytes.readUInt16LE(localHeaderOffset + 28);
    if (!bytes.subarray(localHeaderOffset + 30, localHeaderOffset + 30 + localNameLength).equals(nameBytes)) {
      return refuse('damaged', `The ZIP entry ${name} has two different names`);
    }
    const dataStart = localHeaderOffset + 30 + localNameLength + localExtraLength;
    if (dataStart + compressedSize > cdOffset) return refuse('damaged', `The ZIP entry ${name} runs past the directory`);
    entries.push({ name, flags, method, compressedSize, uncompressedSize, localHeaderOffset, dataStart });
  }

  // Overlapping entries are how the densest ZIP bombs work; unreferenced gaps can hide a payload.
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let covered = 0;
  let previousEnd = 0;
  for (const e of byOffset) {
    if (e.localHeaderOffset < previousEnd) return refuse('archive_bomb', 'The ZIP entries overlap (a possible ZIP bomb)');
    // Bit 3: a data descriptor (up to 16 bytes) follows the data.
    previousEnd = e.dataStart + e.compressedSize + (e.flags & 0x8 ? 16 : 0);
    covered += previousEnd - e.localHeaderOffset;
  }
  if (cdOffset - covered > 64 * 1024) return refuse('damaged', 'The ZIP holds data that belongs to no entry');
  return { ok: true, entries };
}

/**
 * The first bytes of an entry: raw when stored, else at most 256 compressed bytes inflated. Deflate
 * expands at most ~1032×, so this peek is bounded (≤ 264 KB) whatever the entry claims to hold.
 */
function entryHead(bytes: Buffer, e: ZipEntry): Buffer | null {
  if (e.method === 0) return bytes.subarray(e.dataStart, e.dataStart + Math.min(e.compressedSize, 64));
  if (e.uncompressedSize === 0) return Buffer.alloc(0);
  const raw = bytes.subarray(e.dataStart, e.dataStart + Math.min(e.compressedSize, 256));
  try {
    return inflateRawSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 512 * 1024 }).subarray(0, 64);
  } catch {
    return null;
  }
}

const ODF_TYPES: Record<string, AcceptedFormat> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};
const IMAGE_EXT = new Set(['png', 'jpg', 'jpeg', 'jpe', 'jfif', 'gif', 'bmp', 'dib', 'tif', 'tiff', 'webp', 'heic', 'heif', 'avif', 'jxl', 'jp2', 'ico', 'svg', 'svgz', 'emf', 'wmf', 'emz', 'wmz', 'psd', 'pict', 'pct', 'wdp', 'hdp', 'jxr']);
const MEDIA_EXT = new Set(['mp4', 'm4v', 'mov', 'qt', 'avi', 'wmv', 'asf', 'mkv', 'webm', 'flv', 'mpg', 'mpeg', 'ts', 'm2ts', '3gp', '3g2', 'ogv', 'mp3', 'wav', 'wma', 'm4a', 'aac', 'ogg', 'oga', 'opus', 'flac', 'aif', 'aiff', 'mid', 'midi', 'amr', 'swf']);
const ARCHIVE_EXT = new Set(['zip', 'rar', '7z', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'tar', 'cab', 'iso', 'jar', 'docx', 'docm', 'xlsx', 'xlsm', 'pptx', 'pptm', 'odt', 'ods', 'odp']);
const EXEC_EXT = new Set(['exe', 'dll', 'com', 'scr', 'msi', 'bat', 'cmd', 'ps1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'hta', 'sh', 'jar', 'class', 'app', 'elf', 'so', 'dylib', 'cpl', 'ocx', 'sys', 'lnk', 'pif']);

function classifyContainer(bytes: Buffer, entries: ZipEntry[]): AcceptedFormat | SniffRefused {
  const first = entries[0];
  if (first?.name === 'mimetype') {
    if (first.method !== 0) return refuse('damaged', 'The OpenDocument file is damaged (compressed mimetype)');
    const type = bytes.subarray(first.dataStart, first.dataStart + Math.min(first.compressedSize, 200)).toString('latin1').trim();
    const format = ODF_TYPES[type];
    if (format) return format;
    if (/graphics|image/.test(type)) return refuse('image', 'This is an OpenDocument drawing or image');
    return refuse('unsupported_document', `This ZIP-based format (${type.slice(0, 80)}) is not accepted`);
  }
  const names = new Set(entries.map((e) => e.name));
  if (names.has('[Content_Types].xml')) {
    if (entries.some((e) => e.name.startsWith('word/'))) return 'docx';
    if (entries.some((e) => e.name.startsWith('xl/'))) return 'xlsx';
    if (entries.some((e) => e.name.startsWith('ppt/'))) return 'pptx';
    return refuse('unsupported_document', 'This Office Open XML package is not a Word, Excel or PowerPoint document');
  }
  return refuse('archive', 'This is a ZIP archive');
}

function inspectZip(bytes: Buffer, limits: SniffLimits): SniffResult {
  const listing = readZipDirectory(bytes, limits);
  if (!listing.ok) return listing;
  const format = classifyContainer(bytes, listing.entries);
  if (typeof format !== 'string') return format;

  let pictures = 0;
  for (const e of listing.entries) {
    if (e.name.endsWith('/')) continue;
    const lower = e.name.toLowerCase();
    const base = lower.slice(lower.lastIndexOf('/') + 1);
    const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
    if (base === 'vbaproject.bin' || base === 'vbadata.xml' || lower.includes('/activex/') || lower.startsWith('basic/') || lower.startsWith('scripts/')) {
      return refuse('active_content', `The document contains macros or ActiveX controls (${e.name}); save it without macros (.docx, .xlsx, .pptx) or as PDF`);
    }
    if (EXEC_EXT.has(ext)) return refuse('executable', `The document contains a program or script (${e.name})`);
    if (lower.includes('/embeddings/') || /(^|\/)oleobject\d*\.bin$/.test(lower)) {
      return refuse('embedded_object', `The document contains an embedded object or file (${e.name}); remove it or save the document as PDF`);
    }
    if (MEDIA_EXT.has(ext)) return refuse('embedded_media', `The document contains video or sound (${e.name})`);
    if (ARCHIVE_EXT.has(ext)) return refuse('archive', `The document contains another archive (${e.name})`);

    const head = entryHead(bytes, e);
    if (head === null) return refuse('damaged', `The document part ${e.name} is damaged`);
    const sig = identifySignature(head, true);
    const size = Math.max(e.uncompressedSize, e.compressedSize);
    if (sig?.category === 'image' || (!sig && IMAGE_EXT.has(ext))) {
      pictures += size;
      continue;
    }
    if (sig && !(sig.weak && decodeText(head) !== null)) return fromSignature(sig, `The document part ${e.name}`);
  }
  if (pictures > limits.embeddedImageBytes) {
    return refuse('embedded_media', `The document's pictures total ${mb(pictures)}, over the ${mb(limits.embeddedImageBytes)} allowed per document`);
  }
  return accept(format, pictures);
}
