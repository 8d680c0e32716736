import { z } from 'zod';

/**
 * One rule for every string a person or client sends (issue 20). PostgreSQL's UTF8 text cannot hold
 * NUL and jsonb cannot hold an unpaired UTF-16 surrogate; before this rule both reached SQL and came
 * back as a 500 that told the user they were not at fault. Every request schema's string fields are
 * built from the helpers below, so the refusal is a 400 VALIDATION_FAILED naming the field and the
 * characters to remove, before anything is written.
 *
 * The policy, by kind of field:
 *
 * | character                                   | line (names, titles, ids) | multiline (comments, notes) | fileName | secret (passwords) |
 * |---------------------------------------------|---------------------------|-----------------------------|----------|--------------------|
 * | NUL U+0000                                  | refused                   | refused                     | refused  | refused when set, ignored at sign-in |
 * | unpaired surrogate U+D800–U+DFFF            | refused                   | refused                     | refused  | refused when set, ignored at sign-in |
 * | tab, line feed, carriage return             | refused inside (trimmed at the ends) | allowed          | refused  | allowed            |
 * | other C0 controls U+0001–U+001F, DEL U+007F, C1 controls U+0080–U+009F | refused | refused     | refused  | allowed            |
 * | line/paragraph separators U+2028, U+2029    | refused inside            | allowed                     | refused  | allowed            |
 * | bidi embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 | refused | allowed (prose in right-to-left scripts uses them) | refused | allowed |
 * | path separators `/` `\`, a name that is only `.` or `..` | —            | —                           | refused  | —                  |
 *
 * Bidi controls are refused where a short label is read at a glance: an override can make
 * "invoice\u202Efdp.exe" display as "invoiceexe.pdf". The implicit marks U+200E, U+200F and U+061C
 * stay allowed everywhere: they change no character order and right-to-left names need them.
 *
 * Every text field except a secret is trimmed and NFC-normalised (canonically equivalent spellings
 * such as "é" as one or two code points become one), so what is stored, hash-chained and compared is
 * one spelling of what the person typed; NFC changes no visible character. Secrets are left exactly
 * as typed: a password set before this rule must still sign in, and sign-in never sends the password
 * to SQL, so its only limit there is length.
 *
 * Pure on purpose (platform:agnostic): the web app shows the same messages before sending.
 */

export type TextKind = 'line' | 'multiline' | 'fileName' | 'secret';

type Category = 'unstorable' | 'control' | 'lineBreak' | 'bidi' | 'pathSeparator';

export interface ForbiddenCharacter {
  /** 1-based position counted in characters (code points), as a person would count. */
  position: number;
  codePoint: number;
  category: Category;
  /** e.g. "U+202E (right-to-left override)". */
  label: string;
}

const BIDI_NAMES: Record<number, string> = {
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
};
const CONTROL_NAMES: Record<number, string> = { 0x00: 'NUL', 0x09: 'tab', 0x0a: 'line feed', 0x0d: 'carriage return', 0x7f: 'DEL', 0x2028: 'line separator', 0x2029: 'paragraph separator' };

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const isBidiControl = (cp: number) => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
const isControl = (cp: number) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);

function categorise(cp: number, kind: TextKind): Category | null {
  if (cp === 0) return 'unstorable';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'unstorable';
  if (kind === 'secret') return null;
  const multiline = kind === 'multiline';
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d || cp === 0x2028 || cp === 0x2029) return multiline ? null : 'lineBreak';
  if (isControl(cp)) return 'control';
  if (isBidiControl(cp)) return multiline ? null : 'bidi';
  if (kind === 'fileName' && (cp === 0x2f || cp === 0x5c)) return 'pathSeparator';
  return null;
}

function labelOf(cp: number, category: Category): string {
  if (category === 'unstorable' && cp !== 0) return `${hex(cp)} (an unpaired surrogate: half of a character, often an emoji cut in two)`;
  if (category === 'pathSeparator') return `"${String.fromCharCode(cp)}" (a path separator)`;
  const name = BIDI_NAMES[cp] ?? CONTROL_NAMES[cp] ?? 'control character';
  return `${hex(cp)} (${name})`;
}

/**
 * The characters the rule refuses in `value`, in order, up to `limit` of them (one linear pass, so a
 * megabyte of NUL costs a megabyte of scanning, not more). A surrogate pair is one (allowed)
 * character; a surrogate without its partner is refused. Empty when the value is acceptable.
 */
export function forbiddenCharacters(value: string, kind: TextKind, limit = 100): ForbiddenCharacter[] {
  const found: ForbiddenCharacter[] = [];
  let position = 0;
  for (let i = 0; i < value.length; i++) {
    position += 1;
    let cp = value.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < value.length) {
      const low = value.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i += 1;
      }
    }
    const category = categorise(cp, kind);
    if (category) {
      found.push({ position, codePoint: cp, category, label: labelOf(cp, category) });
      if (found.length >= limit) break;
    }
  }
  return found;
}

/** True when PostgreSQL can store the string as text and inside jsonb: no NUL, no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return forbiddenCharacters(value, 'secret', 1).length === 0;
}

/** The pure predicate behind every text field: true when `value` contains nothing `kind` refuses. */
export function isAcceptableText(value: string, kind: TextKind): boolean {
  return forbiddenCharacters(value, kind, 1).length === 0 && (kind !== 'fileName' || !isDotsOnly(value));
}

const isDotsOnly = (value: string) => value === '.' || value === '..';

const WHY: Record<Category, string> = {
  unstorable: 'text cannot contain NUL or broken characters',
  control: 'control characters are invisible and cannot be stored as text',
  lineBreak: 'this field is a single line',
  bidi: 'text-direction controls can make a name read differently from what it is',
  pathSeparator: 'a file name cannot contain a folder path',
};

/**
 * The message for a refused value: which characters to remove, where, and why; null when the value
 * is acceptable. At most five characters are listed so the message stays readable.
 */
export function textProblem(value: string, kind: TextKind): string | null {
  if (kind === 'fileName' && isDotsOnly(value)) return `"${value}" is a folder reference, not a file name; rename the file.`;
  const found = forbiddenCharacters(value, kind);
  if (found.length === 0) return null;
  const distinct = new Map<string, ForbiddenCharacter[]>();
  for (const f of found) {
    const same = distinct.get(f.label);
    if (same) same.push(f);
    else distinct.set(f.label, [f]);
  }
  const listed = [...distinct.entries()].slice(0, 5).map(([label, at]) => {
    const positions = at.slice(0, 3).map((f) => f.position);
    return `${label} at position${positions.length > 1 ? 's' : ''} ${positions.join(', ')}${at.length > 3 ? ' and more' : ''}`;
  });
  const more = distinct.size > 5 ? `, and ${distinct.size - 5} other kinds` : '';
  const why = [...new Set(found.map((f) => WHY[f.category]))].join('; ');
  return `Remove ${listed.join(', ')}${more}: ${why}.`;
}

function refuseForbidden(kind: TextKind) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}

export interface TextOptions {
  /** The field as the message names it, e.g. "title". */
  what: string;
  /** The existing maximum length, in UTF-16 code units as before. */
  max: number;
  /** Replaces the default "<what> is at most <max> characters". */
  tooLong?: string;
}

/** A single line of plain text: a name, title, label or id. Trimmed and NFC-normalised. */
export function line({ what, max, tooLong }: TextOptions): z.ZodString {
  return z
    .string()
    .trim()
    .superRefine(refuseForbidden('line'))
    .normalize('NFC')
    .max(max, tooLong ?? `${what} is at most ${max} characters`);
}

/** Prose that may span lines: a description, comment, justification, reason or note. */
export function multiline({ what, max, tooLong }: TextOptions): z.ZodString {
  return z
    .string()
    .trim()
    .superRefine(refuseForbidden('multiline'))
    .normalize('NFC')
    .max(max, tooLong ?? `${what} is at most ${max} characters`);
}

/** Convenience: `text({ what, max })` is a single line; add `multiline: true` for prose. */
export function text(options: TextOptions & { multiline?: boolean }): z.ZodString {
  return options.multiline ? multiline(options) : line(options);
}

/** A person's or organisation's name: one line, required. */
export function name(options: TextOptions & { required: string }): z.ZodString {
  return line(options).min(1, options.required);
}

/**
 * A password or other secret: never trimmed or normalised (what was typed is what is hashed).
 * `storable: true` (setting a new password) refuses NUL and unpaired surrogates, which a hash cannot
 * tell apart from U+FFFD; sign-in checks only the length so no one who set a password earlier is
 * locked out.
 */
export function secret({ min, max, tooShort, tooLong, storable }: { min: number; max: number; tooShort: string; tooLong: string; storable: boolean }): z.ZodString {
  const schema = z.string().min(min, tooShort).max(max, tooLong);
  return storable ? schema.superRefine(refuseForbidden('secret')) : schema;
}

/** Longest file name any common file system allows. */
export const FILE_NAME_MAX = 255;

/**
 * The name of an uploaded file as sent: refused (never silently renamed) when it holds a path, a
 * control character or a text-direction control. The server still appends the extension of the type
 * content sniffing found when the name's own extension differs.
 */
export const FileNameSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = textProblem(value, 'fileName');
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .normalize('NFC')
  .max(FILE_NAME_MAX, `File names are at most ${FILE_NAME_MAX} characters; rename the file to something shorter`);
export const fileName = FileNameSchema;

export interface UnstorableJson {
  /** Path to the offending key or value, as zod reports paths. */
  path: (string | number)[];
  message: string;
}

/**
 * Every string anywhere in a JSON value, keys included, that PostgreSQL's jsonb could not hold.
 * For bodies stored as jsonb whose schema is not closed over every string (a record with free keys).
 */
export function unstorableJson(value: unknown, path: (string | number)[] = [], found: UnstorableJson[] = []): UnstorableJson[] {
  if (found.length >= 20) return found;
  if (typeof value === 'string') {
    const problem = isStorableText(value) ? null : textProblem(value, 'secret');
    if (problem) found.push({ path, message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => unstorableJson(item, [...path, index], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) found.push({ path: [...path, key], message: `Rename this key: ${textProblem(key, 'secret') ?? ''}` });
      unstorableJson(item, [...path, key], found);
    }
  }
  return found;
}

/** Wraps a schema whose output is stored as jsonb so no string in it, key or value, breaks PostgreSQL. */
export function storableJson<T extends z.ZodType>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    for (const f of unstorableJson(value)) ctx.addIssue({ code: 'custom', path: f.path, message: f.message });
  });
}
