import { constants as zlibConstants, inflateRawSync } from 'node:zlib';

import { identifySignature } from '../file-signatures.js';
import {
  type AcceptedFormat,
  accept,
  fromSignature,
  MiB,
  mb,
  refuse,
  type SniffLimits,
  type SniffRefused,
  type SniffResult,
} from './common.js';
import { decodeText, textCarriesMedia } from './text.js';

/**
 * ZIP containers (OOXML and ODF). Every byte of the file is accounted for: local entries laid end
 * to end from byte 0 (each followed by its data descriptor when it has one), then the central
 * directory, then the end-of-central-directory record, which ends the file. The only free text is
 * a short archive or entry comment. So nothing can sit before the first entry, between entries,
 * after the directory or after the end, and every part is checked by what it holds: pictures only
 * in parts named as pictures, counted against the allowance.
 */

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
const DESCRIPTOR = 0x08074b50;

/** Archive comment plus entry comments: a short printable note, never a place for data. */
export const ZIP_COMMENT_ALLOWANCE = 256;
/** Extra fields (timestamps, Unix ids, NTFS times, alignment) per header. */
export const ZIP_EXTRA_ALLOWANCE = 256;

/** Why a ZIP comment is not an allowed short note, or null when it is one. */
function commentProblem(b: Buffer, what: string): SniffRefused | null {
  if (b.length === 0) return null;
  const text = decodeText(b);
  if (text === null) return refuse('damaged', `${what} is not plain text; save the document again without it`);
  return textCarriesMedia(text);
}

// Extra-field ids writers use: ZIP64, NTFS times, Unix (three kinds), extended timestamp, Info-ZIP
// Unicode comment and path, Android alignment padding, the JAR marker.
const KNOWN_EXTRA_IDS = new Set([0x0001, 0x000a, 0x000d, 0x5455, 0x5855, 0x7855, 0x7875, 0x6375, 0x7075, 0xd935, 0xcafe]);

/**
 * Extra fields must be well-formed (id, size, data) records of known kinds that exactly fill their
 * space, none of them holding a picture, film, archive or program.
 */
function extraFieldsWellFormed(b: Buffer): boolean {
  let p = 0;
  while (p + 4 <= b.length) {
    const size = b.readUInt16LE(p + 2);
    if (!KNOWN_EXTRA_IDS.has(b.readUInt16LE(p)) || p + 4 + size > b.length) return false;
    if (identifySignature(b.subarray(p + 4, p + 4 + size), false)) return false;
    p += 4 + size;
  }
  return p === b.length;
}

/**
 * Reads the central directory without inflating anything, and refuses what could be a bomb or a
 * trick: too many entries, too much uncompressed data, extreme ratios, declared sizes that cannot be
 * true, overlapping entries, ZIP64, multi-disk, encryption, unusual compression, and any byte that
 * belongs to no entry, directory record or the end record.
 */
export function readZipDirectory(bytes: Buffer, limits: SniffLimits): ZipListing {
  // The end record must end the file (its comment included); look for one anywhere in the last
  // 64 KiB only to say what is wrong.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - ZIP_COMMENT_ALLOWANCE); i -= 1) {
    if (bytes.readUInt32LE(i) === EOCD && i + 22 + bytes.readUInt16LE(i + 20) === bytes.length) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) {
    for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i -= 1) {
      if (bytes.readUInt32LE(i) !== EOCD) continue;
      const end = i + 22 + bytes.readUInt16LE(i + 20);
      if (end === bytes.length)
        return refuse(
          'damaged',
          `The ZIP archive comment is longer than the ${ZIP_COMMENT_ALLOWANCE} bytes allowed; save the document again without it`,
        );
      if (end < bytes.length)
        return refuse(
          'damaged',
          `The file has data after the end of the ZIP (${bytes.length - end} bytes)${looksLike(bytes, end)}; save the document again`,
        );
    }
    return refuse('damaged', 'The file looks like a ZIP-based document but its directory is missing');
  }
  const disk = bytes.readUInt16LE(eocd + 4);
  const cdDisk = bytes.readUInt16LE(eocd + 6);
  const onDisk = bytes.readUInt16LE(eocd + 8);
  const total = bytes.readUInt16LE(eocd + 10);
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  const commentLength = bytes.readUInt16LE(eocd + 20);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== total) return refuse('archive', 'This is a multi-part ZIP archive');
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    return refuse('archive_bomb', 'The document uses ZIP64, which evidence never needs');
  if (total > limits.maxZipEntries)
    return refuse('archive_bomb', `The document has ${total} parts, more than the ${limits.maxZipEntries} allowed`);
  if (cdOffset + cdSize > eocd) return refuse('damaged', 'The ZIP directory points outside the file');
  if (cdOffset + cdSize < eocd)
    return refuse(
      'damaged',
      `The ZIP holds data between its directory and its end record${looksLike(bytes, cdOffset + cdSize)}; save the document again`,
    );
  let comments = commentLength;
  const archiveComment = commentProblem(bytes.subarray(eocd + 22), 'The ZIP archive comment');
  if (archiveComment) return archiveComment;

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = cdOffset;
  let totalUncompressed = 0;
  const descriptorEnds = new Map<ZipEntry, number>();
  for (let i = 0; i < total; i += 1) {
    if (p + 46 > cdOffset + cdSize || bytes.readUInt32LE(p) !== CENTRAL) return refuse('damaged', 'The ZIP directory is damaged');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    const crc = bytes.readUInt32LE(p + 16);
    const compressedSize = bytes.readUInt32LE(p + 20);
    const uncompressedSize = bytes.readUInt32LE(p + 24);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLen = bytes.readUInt16LE(p + 32);
    const localHeaderOffset = bytes.readUInt32LE(p + 42);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: UTF-8 names; otherwise CP437, close enough to latin1 for the checks made here.
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    const extra = bytes.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    const entryComment = bytes.subarray(p + 46 + nameLength + extraLength, p + 46 + nameLength + extraLength + commentLen);
    p += 46 + nameLength + extraLength + commentLen;
    if (p > cdOffset + cdSize) return refuse('damaged', 'The ZIP directory is damaged');
    if (extraLength > ZIP_EXTRA_ALLOWANCE || !extraFieldsWellFormed(extra))
      return refuse('damaged', `The ZIP entry ${name} carries ${extraLength} bytes of extra data; save the document again`);
    comments += commentLen;
    if (comments > ZIP_COMMENT_ALLOWANCE)
      return refuse(
        'damaged',
        `The ZIP's comments are longer than the ${ZIP_COMMENT_ALLOWANCE} bytes allowed; save the document again without them`,
      );
    const entryProblem = commentProblem(entryComment, `The comment on ZIP entry ${name}`);
    if (entryProblem) return entryProblem;
    // Two parts with one name are read differently by different programs.
    if (names.has(name)) return refuse('damaged', `The document is damaged: two parts are both named ${name}`);
    names.add(name);

    if (flags & 0x1 || flags & 0x40)
      return refuse('encrypted', `The document is encrypted or password-protected (${name}); remove the protection and upload it again`);
    if (method !== 0 && method !== 8) return refuse('archive', `The document uses an unusual compression method (${method}) in ${name}`);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff)
      return refuse('archive_bomb', 'The document uses ZIP64, which evidence never needs');
    if (method === 0 && compressedSize !== uncompressedSize) return refuse('damaged', `The declared sizes of ${name} do not match`);
    // Deflate never grows data by more than a few bytes per 16 KiB block; a larger "compressed"
    // size means the declared uncompressed size is a lie (to slip past the picture allowance).
    if (method === 8 && compressedSize > uncompressedSize + Math.ceil(uncompressedSize / 1000) + 64)
      return refuse('damaged', `The declared sizes of ${name} cannot be true`);
    if (uncompressedSize > MiB && uncompressedSize / Math.max(1, compressedSize) > limits.maxCompressionRatio) {
      return refuse('archive_bomb', `${name} expands more than ${limits.maxCompressionRatio}× (a possible ZIP bomb)`);
    }
    totalUncompressed += uncompressedSize;
    if (totalUncompressed > limits.maxUncompressedBytes)
      return refuse('archive_bomb', `The document unpacks to more than ${mb(limits.maxUncompressedBytes)}`);

    if (localHeaderOffset + 30 > cdOffset || bytes.readUInt32LE(localHeaderOffset) !== LOCAL)
      return refuse('damaged', `The ZIP entry ${name} is damaged`);
    const localFlags = bytes.readUInt16LE(localHeaderOffset + 6);
    const localMethod = bytes.readUInt16LE(localHeaderOffset + 8);
    const localNameLength = bytes.readUInt16LE(localHeaderOffset + 26);
    const localExtraLength = bytes.readUInt16LE(localHeaderOffset + 28);
    if (!bytes.subarray(localHeaderOffset + 30, localHeaderOffset + 30 + localNameLength).equals(nameBytes)) {
      return refuse('damaged', `The ZIP entry ${name} has two different names`);
    }
    const localExtra = bytes.subarray(
      localHeaderOffset + 30 + localNameLength,
      localHeaderOffset + 30 + localNameLength + localExtraLength,
    );
    if (localExtraLength > ZIP_EXTRA_ALLOWANCE || !extraFieldsWellFormed(localExtra))
      return refuse('damaged', `The ZIP entry ${name} carries ${localExtraLength} bytes of extra data; save the document again`);
    // The local header must describe the same data as the directory, or readers disagree on it.
    const local = [
      bytes.readUInt32LE(localHeaderOffset + 14),
      bytes.readUInt32LE(localHeaderOffset + 18),
      bytes.readUInt32LE(localHeaderOffset + 22),
    ];
    const deferred = (localFlags & 0x8) !== 0;
    const central = [crc, compressedSize, uncompressedSize];
    // With a data descriptor, writers leave each local field zero or fill it in; either is fine.
    const agrees = local.every((v, i) => v === central[i] || (deferred && v === 0));
    if (localMethod !== method || (localFlags & 0x8) !== (flags & 0x8) || !agrees) {
      return refuse('damaged', `The ZIP entry ${name} has a local header that does not match the directory`);
    }
    const dataStart = localHeaderOffset + 30 + localNameLength + localExtraLength;
    if (dataStart + compressedSize > cdOffset) return refuse('damaged', `The ZIP entry ${name} runs past the directory`);
    const entry: ZipEntry = { name, flags, method, compressedSize, uncompressedSize, localHeaderOffset, dataStart };
    let end = dataStart + compressedSize;
    if (deferred) {
      // Bit 3: a data descriptor (CRC, sizes; optionally signed) follows the data, and must say
      // what the directory says.
      // Streaming writers may use the ZIP64 form (8-byte sizes) even for small entries.
      const signed = end + 16 <= cdOffset && bytes.readUInt32LE(end) === DESCRIPTOR;
      const at = signed ? end + 4 : end;
      const matches32 =
        at + 12 <= cdOffset &&
        bytes.readUInt32LE(at) === crc &&
        bytes.readUInt32LE(at + 4) === compressedSize &&
        bytes.readUInt32LE(at + 8) === uncompressedSize;
      const matches64 =
        at + 20 <= cdOffset &&
        bytes.readUInt32LE(at) === crc &&
        bytes.readBigUInt64LE(at + 4) === BigInt(compressedSize) &&
        bytes.readBigUInt64LE(at + 12) === BigInt(uncompressedSize);
      // Prefer the 32-bit reading when the next record starts right after it (both can match when
      // the sizes' high words happen to be followed by zeros).
      const next32 = at + 12 === cdOffset || (at + 16 <= cdOffset && bytes.readUInt32LE(at + 12) === LOCAL);
      if (matches32 && (next32 || !matches64)) end = at + 12;
      else if (matches64) end = at + 20;
      else return refuse('damaged', `The ZIP entry ${name} has a damaged data descriptor`);
    }
    descriptorEnds.set(entry, end);
    entries.push(entry);
  }
  if (p !== cdOffset + cdSize) return refuse('damaged', 'The ZIP directory holds data that belongs to no entry');

  // Entries laid end to end from byte 0 up to the directory: overlaps are how the densest ZIP bombs
  // work, and a gap is where a payload would hide.
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let expected = 0;
  for (const e of byOffset) {
    if (e.localHeaderOffset < expected) return refuse('archive_bomb', 'The ZIP entries overlap (a possible ZIP bomb)');
    if (e.localHeaderOffset > expected) return gap(bytes, expected, e.localHeaderOffset);
    expected = descriptorEnds.get(e) ?? 0;
  }
  if (expected !== cdOffset) return gap(bytes, expected, cdOffset);
  return { ok: true, entries };
}

function looksLike(bytes: Buffer, at: number): string {
  const sig = identifySignature(bytes.subarray(at, at + 64), false);
  return sig ? ` (it starts like a ${sig.label})` : '';
}

function gap(bytes: Buffer, from: number, to: number): SniffRefused {
  const where = from === 0 ? 'before its first part' : 'between its parts';
  return refuse(
    'damaged',
    `The ZIP holds ${to - from} bytes ${where} that belong to no entry${looksLike(bytes, from)}; save the document again`,
  );
}

/** Enough of an entry to see every signature, including tar's (at 257) and ISO 9660's (at 32 KiB). */
const HEAD_BYTES = 0x8010;
/** Each inflation of a peek produces at most this much, so a peek never allocates more. */
const PEEK_OUTPUT_CAP = 2 * HEAD_BYTES;

/** Inflate work left for one document's peeks (bytes of output), shared by all its entries. */
interface PeekBudget {
  left: number;
}

function inflatePrefix(bytes: Buffer, e: ZipEntry, length: number, budget: PeekBudget): Buffer | 'too_large' | null {
  try {
    const out = inflateRawSync(bytes.subarray(e.dataStart, e.dataStart + length), {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: PEEK_OUTPUT_CAP,
    });
    budget.left -= out.length;
    return out;
  } catch (err) {
    budget.left -= PEEK_OUTPUT_CAP;
    return (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : null;
  }
}

/**
 * The first HEAD_BYTES of an entry: raw when stored, else inflated from a growing prefix of its
 * compressed data. Every inflation is capped at PEEK_OUTPUT_CAP, and a document's peeks share a
 * budget, so a peek costs little whatever the entry claims; once the budget is spent, entries are
 * judged by their first 256 compressed bytes (at most ~264 KB inflated, still within the cap).
 */
function entryHead(bytes: Buffer, e: ZipEntry, budget: PeekBudget): Buffer | null {
  if (e.method === 0) return bytes.subarray(e.dataStart, e.dataStart + Math.min(e.compressedSize, HEAD_BYTES));
  if (e.uncompressedSize === 0) return Buffer.alloc(0);
  let good: Buffer = Buffer.alloc(0);
  let low = 0;
  for (let length = Math.min(256, e.compressedSize); ; length = Math.min(length * 2, e.compressedSize)) {
    const out = inflatePrefix(bytes, e, length, budget);
    if (out === null) return good.length > 0 ? good : null;
    if (out === 'too_large') {
      // Output grew past the cap within this prefix: find a prefix between the last good one and
      // this one whose output covers HEAD_BYTES without passing the cap.
      let high = length;
      while (high - low > 1 && good.length < HEAD_BYTES && budget.left > 0) {
        const mid = Math.floor((low + high) / 2);
        const probe = inflatePrefix(bytes, e, mid, budget);
        if (probe === 'too_large') high = mid;
        else if (probe === null) break;
        else {
          low = mid;
          good = probe;
        }
      }
      return good.subarray(0, HEAD_BYTES);
    }
    good = out;
    low = length;
    if (good.length >= HEAD_BYTES || length >= e.compressedSize || budget.left <= 0) return good.subarray(0, HEAD_BYTES);
  }
}

const ODF_TYPES: Record<string, AcceptedFormat> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};
const IMAGE_EXT = new Set([
  'png',
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'gif',
  'bmp',
  'dib',
  'tif',
  'tiff',
  'webp',
  'heic',
  'heif',
  'avif',
  'jxl',
  'jp2',
  'ico',
  'svg',
  'svgz',
  'emf',
  'wmf',
  'emz',
  'wmz',
  'psd',
  'pict',
  'pct',
  'wdp',
  'hdp',
  'jxr',
]);
const MEDIA_EXT = new Set([
  'mp4',
  'm4v',
  'mov',
  'qt',
  'avi',
  'wmv',
  'asf',
  'mkv',
  'webm',
  'flv',
  'mpg',
  'mpeg',
  'ts',
  'm2ts',
  '3gp',
  '3g2',
  'ogv',
  'mp3',
  'wav',
  'wma',
  'm4a',
  'aac',
  'ogg',
  'oga',
  'opus',
  'flac',
  'aif',
  'aiff',
  'mid',
  'midi',
  'amr',
  'swf',
]);
const ARCHIVE_EXT = new Set([
  'zip',
  'rar',
  '7z',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  'tar',
  'cab',
  'iso',
  'jar',
  'docx',
  'docm',
  'xlsx',
  'xlsm',
  'pptx',
  'pptm',
  'odt',
  'ods',
  'odp',
]);
const EXEC_EXT = new Set([
  'exe',
  'dll',
  'com',
  'scr',
  'msi',
  'bat',
  'cmd',
  'ps1',
  'vbs',
  'vbe',
  'js',
  'jse',
  'wsf',
  'wsh',
  'hta',
  'sh',
  'jar',
  'class',
  'app',
  'elf',
  'so',
  'dylib',
  'cpl',
  'ocx',
  'sys',
  'lnk',
  'pif',
]);
// ODF keeps the picture that stands in for an embedded chart or object here, without an extension.
const PICTURE_FOLDERS = ['ObjectReplacements/'];

function classifyContainer(bytes: Buffer, entries: ZipEntry[]): AcceptedFormat | SniffRefused {
  const first = entries[0];
  if (first?.name === 'mimetype') {
    if (first.method !== 0) return refuse('damaged', 'The OpenDocument file is damaged (compressed mimetype)');
    const type = bytes
      .subarray(first.dataStart, first.dataStart + Math.min(first.compressedSize, 200))
      .toString('latin1')
      .trim();
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

export function inspectZip(bytes: Buffer, limits: SniffLimits): SniffResult {
  const listing = readZipDirectory(bytes, limits);
  if (!listing.ok) return listing;
  const format = classifyContainer(bytes, listing.entries);
  if (typeof format !== 'string') return format;

  let pictures = 0;
  const budget: PeekBudget = { left: 64 * MiB };
  for (const e of listing.entries) {
    if (e.name.endsWith('/')) continue;
    const lower = e.name.toLowerCase();
    const base = lower.slice(lower.lastIndexOf('/') + 1);
    const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
    if (
      base === 'vbaproject.bin' ||
      base === 'vbadata.xml' ||
      lower.includes('/activex/') ||
      lower.startsWith('basic/') ||
      lower.startsWith('scripts/')
    ) {
      return refuse(
        'active_content',
        `The document contains macros or ActiveX controls (${e.name}); save it without macros (.docx, .xlsx, .pptx) or as PDF`,
      );
    }
    if (EXEC_EXT.has(ext)) return refuse('executable', `The document contains a program or script (${e.name})`);
    if (lower.includes('/embeddings/') || /(^|\/)oleobject\d*\.bin$/.test(lower)) {
      return refuse(
        'embedded_object',
        `The document contains an embedded object or file (${e.name}); remove it or save the document as PDF`,
      );
    }
    if (MEDIA_EXT.has(ext)) return refuse('embedded_media', `The document contains video or sound (${e.name})`);
    if (ARCHIVE_EXT.has(ext)) return refuse('archive', `The document contains another archive (${e.name})`);

    const head = entryHead(bytes, e, budget);
    if (head === null) return refuse('damaged', `The document part ${e.name} is damaged`);
    const sig = identifySignature(head, true);
    const size = Math.max(e.uncompressedSize, e.compressedSize);
    const namedPicture = IMAGE_EXT.has(ext) || PICTURE_FOLDERS.some((f) => e.name.startsWith(f));
    const textual = sig?.weak === true && decodeText(head.subarray(0, 64)) !== null;
    if (sig?.category === 'image' && !namedPicture && !textual) {
      // A picture only where the document declares one: a part named as a picture.
      return refuse('embedded_media', `The document part ${e.name} is a ${sig.label} hidden under a name that is not a picture's`);
    }
    if ((sig?.category === 'image' && !textual) || (!sig && namedPicture)) {
      pictures += size;
      continue;
    }
    if (sig && !textual) return fromSignature(sig, `The document part ${e.name}`);
  }
  if (pictures > limits.embeddedImageBytes) {
    return refuse(
      'embedded_media',
      `The document's pictures total ${mb(pictures)}, over the ${mb(limits.embeddedImageBytes)} allowed per document`,
    );
  }
  return accept(format, pictures);
}
