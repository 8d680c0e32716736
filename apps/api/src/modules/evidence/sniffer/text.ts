import { identifySignature } from '../file-signatures.js';
import { accept, fromSignature, type RefusalCategory, refuse, type SniffRefused, type SniffResult } from './common.js';

/**
 * Plain UTF-8 text and CSV. Text is refused wherever it holds a picture, a program or a container
 * in disguise: the rules below look at the whole text, not only its first line, because a reader,
 * a browser or a carving tool finds markup and payloads wherever they sit.
 */

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

interface TextRule {
  test: RegExp;
  category: RefusalCategory;
  label: string;
}

// What makes the whole file something else; these only mean that at the very start of the file.
const FILE_START_RULES: readonly TextRule[] = [
  { test: /^#!/, category: 'executable', label: 'script (#!)' },
  { test: /^!<arch>\n/, category: 'archive', label: 'ar archive' },
  { test: /^P[1-7]\s+(?:#[^\r\n]*[\r\n]\s*){0,16}\d+\s+\d+/, category: 'image', label: 'PNM image' },
  { test: /^#!AMR/, category: 'audio', label: 'AMR audio' },
];

// Markup and embedded formats that draw or carry a picture wherever they appear in the text.
const ANYWHERE_RULES: readonly TextRule[] = [
  // `<svg`, also namespaced (`<svg:svg`), in any case: SVG is a picture and can carry script.
  { test: /<(?:[A-Za-z_][\w.-]*:)?svg[\s>/:]/i, category: 'image', label: 'an SVG image' },
  {
    test: /\{\\rtf/,
    category: 'unsupported_document',
    label: 'an RTF document (RTF can embed pictures and objects; save it as PDF or .docx)',
  },
  { test: /^%!PS/m, category: 'unsupported_document', label: 'a PostScript file (it can draw pictures; save it as PDF)' },
  { test: /\/\*\s*XPM\s*\*\//, category: 'image', label: 'an XPM image' },
  // An ASCII PNM picture (P1–P3 header, width, height, then its pixel values) on any line.
  { test: /^P[1-3][ \t\r\n]+(?:#[^\r\n]*[\r\n]\s*){0,16}\d+[ \t]+\d+(?:\s+\d+){8}/m, category: 'image', label: 'a PNM image' },
];

const DATA_URI = /data:(image|video|audio)\/[a-z0-9.+-]{1,40}[;,]/i;
// Long runs of the base64 alphabet: decode their start and look for media or program signatures.
const BASE64_RUN = /[A-Za-z0-9+/]{64,}/g;
// Hex dumps (one run, or consecutive lines of 32+ hex digits): 128+ digits, more than any hash
// (SHA-512 is 128), so a hash list never trips the two-byte signatures by chance. A match takes at
// most eight lines and longer dumps are joined by hand: a regex repeating over thousands of lines
// exhausts V8's stack.
const HEX_LINE = /[0-9A-Fa-f]{32,}(?:\r?\n[0-9A-Fa-f]{32,}){0,7}/g;
const HEX_DUMP_DIGITS = 128;
const MAX_RUNS = 2000;

export function inspectText(text: string, fileName: string | undefined): SniffResult {
  const head = text.trimStart();
  for (const rule of FILE_START_RULES) if (rule.test.test(head)) return refuse(rule.category, `This is a ${rule.label}`);
  return textCarriesMedia(text) ?? accept(/\.csv$/i.test(fileName ?? '') ? 'csv' : 'text');
}

/**
 * Why `text` (a whole file, or a comment inside a PDF or ZIP) carries a picture, film, sound,
 * program or archive in disguise, or null when it does not.
 */
export function textCarriesMedia(text: string): SniffRefused | null {
  for (const rule of ANYWHERE_RULES) {
    if (rule.test.test(text)) return refuse(rule.category, `The text contains ${rule.label}`);
  }
  if (DATA_URI.test(text)) return refuse('embedded_media', 'The text carries an embedded picture, video or sound (a data: URI)');
  let runs = 0;
  for (const match of text.matchAll(BASE64_RUN)) {
    if ((runs += 1) > MAX_RUNS) break;
    const sig = identifySignature(Buffer.from(match[0].slice(0, 64), 'base64'));
    if (sig && sig.category !== 'document' && !sig.weak) return fromSignature(sig, 'Base64 text inside the file');
  }
  let dumps = 0;
  let digits = '';
  let previousEnd = -1;
  for (const match of text.matchAll(HEX_LINE)) {
    // A run continues a dump when only a line break separates them; otherwise a new dump starts.
    const gap = match.index - previousEnd;
    const lineBreak =
      previousEnd >= 0 &&
      ((gap === 1 && text.charCodeAt(previousEnd) === 0x0a) ||
        (gap === 2 && text.charCodeAt(previousEnd) === 0x0d && text.charCodeAt(previousEnd + 1) === 0x0a));
    if (!lineBreak) {
      if ((dumps += 1) > MAX_RUNS) break;
      digits = '';
    }
    previousEnd = match.index + match[0].length;
    if (digits.length >= HEX_DUMP_DIGITS) continue;
    digits += match[0].replace(/\r?\n/g, '').slice(0, HEX_DUMP_DIGITS - digits.length);
    if (digits.length < HEX_DUMP_DIGITS) continue;
    const sig = identifySignature(Buffer.from(digits, 'hex'));
    if (sig && sig.category !== 'document' && !sig.weak) return fromSignature(sig, 'Hexadecimal text inside the file');
  }
  return null;
}
