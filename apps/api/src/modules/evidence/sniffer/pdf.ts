import { constants as zlibConstants, inflateSync } from 'node:zlib';

import { identifySignature } from '../file-signatures.js';
import { accept, fromSignature, type SniffLimits, mb, refuse, type SniffRefused, type SniffResult } from './common.js';
import { textCarriesMedia } from './text.js';

/**
 * PDF. The whole file is read as PDF syntax: a header, then only objects (`n g obj … endobj`, with
 * their streams), cross-reference sections (`xref` tables; xref streams are objects), trailers and
 * `startxref`, separated by whitespace and short comments, with nothing but whitespace after the
 * final `%%EOF`. Any other byte is refused, so a picture cannot ride along before, between or after
 * the document's own structure (incremental updates included). Inside that structure, pictures are
 * allowed only as declared image XObjects and counted against the allowance; a stream that is not
 * declared a picture but starts like one is counted too, and one that starts like film, sound, an
 * archive or a program is refused. Compressed stream data is never searched for signatures: chance
 * byte patterns in compressed data are not pictures.
 */

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

/** A comment longer than this is not a note; it is a place to hide bytes. */
const MAX_COMMENT_BYTES = 256;
/** All comments outside stream data together (headers, producer notes, `%%EOF` markers). */
const MAX_COMMENT_TOTAL = 4 * 1024;
/** Strings at least this long (decoded) are checked for a picture or program signature. */
const STRING_SIGNATURE_MIN = 64;

const RESAVE = 'save it again from the program that made it, or with "Print to PDF"';

class PdfStructureError extends Error {
  constructor(readonly refusal: SniffRefused) {
    super(refusal.reason);
  }
}
const fail = (refusal: SniffRefused): never => {
  throw new PdfStructureError(refusal);
};

const isWhite = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelimiter = (c: number) =>
  c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const isNumberChar = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
const INTEGER = /^\d+$/;
// The only bare words PDF syntax has outside content streams.
const KEYWORDS = new Set(['true', 'false', 'null', 'R', 'obj', 'endobj', 'stream', 'endstream', 'xref', 'trailer', 'startxref']);
/** The keywords that are values (or parts of a reference), allowed inside objects and trailers. */
const VALUE_WORDS = new Set(['true', 'false', 'null', 'R']);

type TokenKind = 'word' | 'name' | 'string' | 'dictOpen' | 'dictClose' | 'other' | 'eof';
interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
  /** A number (the only words besides keywords). */
  numeric?: true;
}

export interface PdfStream {
  /** The object's text from its number up to the `stream` keyword. */
  dict: string;
  dataStart: number;
  dataEnd: number;
}

/** What the bytes at `at` look like, for the refusal message (never the content itself). */
function looksLike(bytes: Buffer, at: number): string {
  // The stray bytes may begin a little earlier: NULs and spaces (an MP4's size field) read as
  // PDF whitespace, so the lexer stops a few bytes into them.
  for (let from = Math.max(0, at - 16); from <= at; from += 1) {
    const sig = identifySignature(bytes.subarray(from, from + 64), false);
    if (sig) return ` (it starts like a ${sig.label})`;
  }
  return '';
}

/** Reads PDF syntax from `s` (latin1 of `bytes`), refusing any byte that is not part of it. */
class PdfLexer {
  commentBytes = 0;
  /** End of the last `%%EOF` comment, -1 before the first. */
  lastEofEnd = -1;

  constructor(
    readonly bytes: Buffer,
    readonly s: string,
    /** What stray data here is, for the refusal message (the file's top level, or an inflated object stream). */
    readonly where: string,
  ) {}

  stray(at: number): never {
    return fail(refuse('damaged', `The PDF has data ${this.where} (at byte ${at})${looksLike(this.bytes, at)}; ${RESAVE}`));
  }

  skipBlank(p: number): number {
    const { s } = this;
    for (;;) {
      while (p < s.length && isWhite(s.charCodeAt(p))) p += 1;
      if (s.charCodeAt(p) !== 0x25) return p;
      let end = p;
      while (end < s.length && s.charCodeAt(end) !== 0x0a && s.charCodeAt(end) !== 0x0d) end += 1;
      this.comment(p, end);
      p = end;
    }
  }

  private comment(start: number, end: number): void {
    const body = this.s.slice(start, end);
    if (body.startsWith('%%EOF')) {
      if (!/^%%EOF[ \t\0\f]*$/.test(body))
        fail(refuse('damaged', `The PDF has data appended after its end (%%EOF)${looksLike(this.bytes, start + 5)}; ${RESAVE}`));
      this.lastEofEnd = end;
      return;
    }
    this.commentBytes += end - start;
    if (end - start > MAX_COMMENT_BYTES || this.commentBytes > MAX_COMMENT_TOTAL) {
      fail(
        refuse(
          'damaged',
          `The PDF has a comment longer than ${MAX_COMMENT_BYTES} bytes, or too many comments (at byte ${start}); ${RESAVE}`,
        ),
      );
    }
    // Weak signatures ("BM", "8BPS", 0xFFEx…) count only in a binary comment longer than the
    // header's four-byte marker (pdfkit writes %\xFF\xFF\xFF\xFF, which reads as MPEG audio).
    const binary = body.length > 5 && /[^\t\x20-\x7e]/.test(body);
    const sig = identifySignature(Buffer.from(body.slice(1, 65), 'latin1'), binary);
    if (sig && sig.category !== 'document') fail(fromSignature(sig, `A comment inside the PDF (at byte ${start})`));
    const carried = textCarriesMedia(body);
    if (carried) fail(carried);
  }

  next(p: number): Token {
    const { s } = this;
    const start = this.skipBlank(p);
    if (start >= s.length) return { kind: 'eof', start, end: start, text: '' };
    const c = s.charCodeAt(start);
    if (c === 0x28) return this.literalString(start);
    if (c === 0x3c) {
      if (s.charCodeAt(start + 1) === 0x3c) return { kind: 'dictOpen', start, end: start + 2, text: '<<' };
      return this.hexString(start);
    }
    if (c === 0x3e) {
      if (s.charCodeAt(start + 1) === 0x3e) return { kind: 'dictClose', start, end: start + 2, text: '>>' };
      return this.stray(start);
    }
    if (c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) return { kind: 'other', start, end: start + 1, text: s[start]! };
    if (c === 0x29) return this.stray(start);
    let end = start + 1;
    let numeric = isNumberChar(c);
    while (end < s.length) {
      const d = s.charCodeAt(end);
      if (isWhite(d) || isDelimiter(d)) break;
      numeric &&= isNumberChar(d);
      end += 1;
    }
    if (c === 0x2f) return { kind: 'name', start, end, text: '' };
    // A bare word is a number or one of PDF's keywords; anything else is bytes that are not PDF.
    // Numbers are by far the most common word, so they are told by their characters first.
    if (numeric) {
      const text = s.slice(start, end);
      if (NUMBER.test(text)) return { kind: 'word', start, end, text, numeric: true };
      return this.stray(start);
    }
    const text = end - start <= 9 ? s.slice(start, end) : '';
    if (!KEYWORDS.has(text)) return this.stray(start);
    return { kind: 'word', start, end, text };
  }

  private literalString(start: number): Token {
    const { s } = this;
    let depth = 1;
    let i = start + 1;
    while (i < s.length && depth > 0) {
      const c = s.charCodeAt(i);
      if (c === 0x5c) i += 1;
      else if (c === 0x28) depth += 1;
      else if (c === 0x29) depth -= 1;
      i += 1;
    }
    if (depth > 0) return fail(refuse('damaged', `The PDF has a string that never ends (at byte ${start}); ${RESAVE}`));
    if (i - start - 2 >= STRING_SIGNATURE_MIN) this.checkStringHead(decodeLiteralHead(s, start + 1, i - 1), start);
    return { kind: 'string', start, end: i, text: '' };
  }

  private hexString(start: number): Token {
    const { s } = this;
    const close = s.indexOf('>', start + 1);
    if (close === -1) return fail(refuse('damaged', `The PDF has a string that never ends (at byte ${start}); ${RESAVE}`));
    const digits = s.slice(start + 1, close).replace(/[\0\t\n\f\r ]+/g, '');
    if (!/^[0-9A-Fa-f]*$/.test(digits)) return this.stray(start);
    if (digits.length >= STRING_SIGNATURE_MIN * 2) this.checkStringHead(Buffer.from(digits.slice(0, 128), 'hex'), start);
    return { kind: 'string', start, end: close + 1, text: '' };
  }

  /** A string is text or an identifier, never the place for a picture, film or program. */
  private checkStringHead(head: Buffer, at: number): void {
    const sig = identifySignature(head, false);
    if (sig && sig.category !== 'document') fail(fromSignature(sig, `A string inside the PDF (at byte ${at})`));
  }
}

/** The first decoded bytes of a literal string (escapes resolved), enough for a signature check. */
function decodeLiteralHead(s: string, from: number, to: number): Buffer {
  const out: number[] = [];
  const escapes: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, f: 0x0c, '(': 0x28, ')': 0x29, '\\': 0x5c };
  for (let i = from; i < to && out.length < 64; i += 1) {
    const c = s[i]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const next = s[i + 1] ?? '';
    const octal = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
    if (octal) {
      out.push(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length;
    } else if (next in escapes) {
      out.push(escapes[next]!);
      i += 1;
    } else if (next === '\r' || next === '\n') {
      i += next === '\r' && s[i + 2] === '\n' ? 2 : 1;
    } else i += 0;
  }
  return Buffer.from(out);
}

const XREF_SUBSECTION = /(\d+)[ \t]+(\d+)[ \t]*(?:\r\n|\n|\r)/y;
const XREF_ENTRY = /\d{10}[ \t]+\d{5}[ \t]+[nf][\0\t\n\f\r ]{1,4}/y;

interface PendingLength {
  ref: string;
  dataStart: number;
  endstreamAt: number;
  objStart: number;
}

/** The file's streams, after checking that every byte belongs to the PDF's structure. */
function readStructure(bytes: Buffer, s: string): PdfStream[] {
  const lex = new PdfLexer(bytes, s, 'that is not part of its objects, cross-reference sections or trailers');
  const streams: PdfStream[] = [];
  const integerObjects = new Map<string, number>();
  const pending: PendingLength[] = [];

  // Data after the final %%EOF is invisible to readers and could smuggle anything along.
  const finalEof = s.lastIndexOf('%%EOF');
  if (finalEof === -1) fail(refuse('damaged', 'The PDF is incomplete (no %%EOF marker)'));
  let tail = finalEof + 5;
  while (tail < s.length && isWhite(s.charCodeAt(tail))) tail += 1;
  if (tail < s.length) fail(refuse('damaged', `The PDF has data appended after its end (%%EOF)${looksLike(bytes, tail)}; ${RESAVE}`));

  const endstreamAfter = (from: number): number => {
    let q = from;
    while (q < s.length && isWhite(s.charCodeAt(q))) q += 1;
    return s.startsWith('endstream', q) ? q : -1;
  };

  const readStream = (streamKeyword: Token, id: string, objStart: number): number => {
    let dataStart = streamKeyword.end;
    if (s.startsWith('\r\n', dataStart)) dataStart += 2;
    else if (s[dataStart] === '\n' || s[dataStart] === '\r') dataStart += 1;
    else fail(refuse('damaged', `The PDF's object ${id} has a damaged stream (at byte ${streamKeyword.start}); ${RESAVE}`));
    const dict = s.slice(objStart, streamKeyword.start);
    const length = /\/Length\s+(\d+)(?:\s+(\d+)\s+R)?/.exec(normaliseNames(dict));
    if (!length) return fail(refuse('damaged', `The PDF's object ${id} has a stream without a length; ${RESAVE}`));
    let endstreamAt: number;
    let dataEnd: number;
    if (length[2] === undefined) {
      dataEnd = dataStart + Number(length[1]);
      endstreamAt = dataEnd <= s.length ? endstreamAfter(dataEnd) : -1;
      // A stream longer than its /Length says hides bytes that readers skip.
      if (endstreamAt === -1)
        fail(refuse('damaged', `The PDF's object ${id} has a stream whose /Length does not match its data; ${RESAVE}`));
    } else {
      endstreamAt = s.indexOf('endstream', dataStart);
      if (endstreamAt === -1) return fail(refuse('damaged', `The PDF's object ${id} has a stream that never ends; ${RESAVE}`));
      dataEnd = endstreamAt;
      if (s[dataEnd - 1] === '\n') dataEnd -= 1;
      if (s[dataEnd - 1] === '\r') dataEnd -= 1;
      dataEnd = Math.max(dataStart, dataEnd);
      pending.push({ ref: `${length[1]} ${length[2]}`, dataStart, endstreamAt, objStart });
    }
    streams.push({ dict, dataStart, dataEnd });
    return endstreamAt + 'endstream'.length;
  };

  const readObject = (from: number, id: string, objStart: number): number => {
    let p = from;
    let tokens = 0;
    let firstInteger: number | undefined;
    for (;;) {
      const t = lex.next(p);
      if (t.kind === 'eof') return fail(refuse('damaged', `The PDF's object ${id} is never closed (no endobj); ${RESAVE}`));
      if (t.kind === 'word') {
        if (t.text === 'endobj') {
          if (tokens === 1 && firstInteger !== undefined) integerObjects.set(id, firstInteger);
          return t.end;
        }
        if (t.text === 'stream') {
          const after = readStream(t, id, objStart);
          const close = lex.next(after);
          if (close.kind !== 'word' || close.text !== 'endobj') return lex.stray(close.start);
          return close.end;
        }
        if (!t.numeric && !VALUE_WORDS.has(t.text)) {
          return fail(refuse('damaged', `The PDF's object ${id} is never closed (no endobj before byte ${t.start}); ${RESAVE}`));
        }
        if (tokens === 0 && INTEGER.test(t.text)) firstInteger = Number(t.text);
      }
      tokens += 1;
      p = t.end;
    }
  };

  const readDictionary = (from: number): number => {
    const open = lex.next(from);
    if (open.kind !== 'dictOpen') return lex.stray(open.start);
    let depth = 1;
    let p = open.end;
    while (depth > 0) {
      const t = lex.next(p);
      if (t.kind === 'eof') return fail(refuse('damaged', `The PDF's trailer is never closed; ${RESAVE}`));
      if (t.kind === 'dictOpen') depth += 1;
      else if (t.kind === 'dictClose') depth -= 1;
      else if (t.kind === 'word' && !t.numeric && !VALUE_WORDS.has(t.text)) return lex.stray(t.start);
      p = t.end;
    }
    return p;
  };

  const readXrefTable = (from: number): number => {
    let p = from;
    for (;;) {
      const q = lex.skipBlank(p);
      XREF_SUBSECTION.lastIndex = q;
      const head = XREF_SUBSECTION.exec(s);
      if (!head) return q;
      const count = Number(head[2]);
      if (count * 19 > s.length) fail(refuse('damaged', `The PDF's cross-reference table is damaged; ${RESAVE}`));
      let at = XREF_SUBSECTION.lastIndex;
      for (let i = 0; i < count; i += 1) {
        XREF_ENTRY.lastIndex = at;
        if (!XREF_ENTRY.test(s)) fail(refuse('damaged', `The PDF's cross-reference table is damaged (at byte ${at}); ${RESAVE}`));
        at = XREF_ENTRY.lastIndex;
      }
      p = at;
    }
  };

  let p = 0;
  for (;;) {
    const t = lex.next(p);
    if (t.kind === 'eof') break;
    if (t.kind !== 'word') lex.stray(t.start);
    if (INTEGER.test(t.text)) {
      const generation = lex.next(t.end);
      const keyword = lex.next(generation.end);
      if (generation.kind !== 'word' || !INTEGER.test(generation.text) || keyword.kind !== 'word' || keyword.text !== 'obj')
        lex.stray(t.start);
      p = readObject(keyword.end, `${t.text} ${generation.text}`, t.start);
    } else if (t.text === 'xref') {
      p = readXrefTable(t.end);
    } else if (t.text === 'trailer') {
      p = readDictionary(t.end);
    } else if (t.text === 'startxref') {
      const offset = lex.next(t.end);
      if (offset.kind !== 'word' || !INTEGER.test(offset.text)) lex.stray(offset.start);
      p = offset.end;
    } else {
      lex.stray(t.start);
    }
  }
  if (lex.lastEofEnd === -1) fail(refuse('damaged', 'The PDF is incomplete (no %%EOF marker)'));

  // Indirect /Length: the length object, when it is a plain integer object, must agree with where
  // `endstream` was found, or readers would stop early and skip the rest.
  for (const st of pending) {
    const declared = integerObjects.get(st.ref);
    if (declared === undefined) continue;
    if (endstreamAfter(st.dataStart + declared) !== st.endstreamAt) {
      fail(
        refuse(
          'damaged',
          `The PDF has a stream whose /Length (object ${st.ref}) does not match its data (at byte ${st.objStart}); ${RESAVE}`,
        ),
      );
    }
  }
  return streams;
}

/** Checks that an inflated object stream holds PDF syntax only (numbers, then objects' values). */
function checkObjectStreamSyntax(inflated: Buffer): void {
  const s = inflated.toString('latin1');
  const lex = new PdfLexer(inflated, s, 'inside a compressed object stream that is not PDF syntax');
  let p = 0;
  for (;;) {
    const t = lex.next(p);
    if (t.kind === 'eof') return;
    if (t.kind === 'word' && !t.numeric && !VALUE_WORDS.has(t.text)) lex.stray(t.start);
    p = t.end;
  }
}

export function inspectPdf(bytes: Buffer, limits: SniffLimits): SniffResult {
  const s = bytes.toString('latin1');
  let streams: PdfStream[];
  try {
    streams = readStructure(bytes, s);
  } catch (e) {
    if (e instanceof PdfStructureError) return e.refusal;
    throw e;
  }
  // Names are read outside stream data only: compressed bytes would give random false matches.
  let skeleton = '';
  let cursor = 0;
  for (const st of streams) {
    skeleton += s.slice(cursor, st.dataStart) + ' ';
    cursor = st.dataEnd;
  }
  skeleton += s.slice(cursor);
  const names = new Set([...skeleton.matchAll(PDF_NAME)].map((m) => decodeName(m[1] ?? '')));
  if (names.has('Encrypt'))
    return refuse(
      'encrypted',
      'The PDF is encrypted or password-protected, so it cannot be checked; remove the protection and upload it again',
    );
  const bad = refusedPdfName(skeleton);
  if (bad) return refuse('active_content', `The PDF contains ${bad}`);

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
        inflated = /\/Filter/.test(dict)
          ? inflateSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, objectStreamBudget) })
          : data;
      } catch {
        return refuse('damaged', 'The PDF has an object stream that cannot be read or is suspiciously large');
      }
      objectStreamBudget -= inflated.length;
      const hidden = refusedPdfName(inflated.toString('latin1'));
      if (hidden) return refuse('active_content', `The PDF contains ${hidden}`);
      try {
        checkObjectStreamSyntax(inflated);
      } catch (e) {
        if (e instanceof PdfStructureError) return e.refusal;
        throw e;
      }
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
    return refuse(
      'embedded_media',
      `The PDF's pictures total ${mb(images)}, over the ${mb(limits.embeddedImageBytes)} allowed per document`,
    );
  }
  return accept('pdf', images);
}
