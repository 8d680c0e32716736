import { unzipSync, zipSync } from 'fflate';

import { formatDate, timeOf } from '../format.js';
import type { ReportModel } from '../model.js';

// What the DOCX working copy and the XLSX registers share: the signed PDF they were made from, text
// made storable in XML, and bytes that depend only on the model.

/** The signed PDF an office copy is made from: named on its first page and in every page header. */
export interface WorkingCopySource {
  reportId: string;
  /** SHA-256 (hex) of the signed PDF, as in the report's manifest (`pdfSha256`). */
  pdfSha256: string;
  /** ISO 8601 issue time of that PDF. */
  issuedAt: string;
}

export class WorkingCopySourceError extends Error {
  override name = 'WorkingCopySourceError';
}

/** Refuses a source that would name a PDF nobody can check: a copy must point at the signed record. */
export function checkSource(model: ReportModel, source: WorkingCopySource): void {
  if (!/^[0-9a-f]{64}$/.test(source.pdfSha256)) {
    throw new WorkingCopySourceError(
      'source.pdfSha256 must be the signed PDF’s SHA-256 as 64 lowercase hex characters (the manifest’s pdfSha256).',
    );
  }
  if (source.reportId !== model.reportId) {
    throw new WorkingCopySourceError(
      `source.reportId ${source.reportId} is not the model's report ${model.reportId}; build the copy from that report's stored model.`,
    );
  }
  if (Number.isNaN(timeOf(source.issuedAt))) {
    throw new WorkingCopySourceError(`source.issuedAt must be an ISO 8601 date-time, got "${source.issuedAt}".`);
  }
  if (Number.isNaN(timeOf(model.issuedAt))) {
    throw new WorkingCopySourceError(`model.issuedAt must be an ISO 8601 date-time, got "${model.issuedAt}".`);
  }
}

/** The marking the contract fixes (CONTRACT25): first page and every header say exactly this. */
export function workingCopyMarking(source: WorkingCopySource): string {
  return `Unsigned working copy of signed PDF report ${source.reportId}, SHA-256 ${source.pdfSha256}, issued ${formatDate(source.issuedAt)}`;
}

export const WORKING_COPY_NOTE =
  'This copy can be edited for board papers and is not signed: the signed PDF is the record. Check any figure against it, and verify the PDF, not this file.';

// XML 1.0 (both formats are XML inside a zip) cannot hold NUL and most C0 controls, U+FFFE, U+FFFF or
// a UTF-16 surrogate without its pair; Word and Excel refuse the whole file over one. Inputs are already
// refused such characters (libs/contracts/src/text.ts), but a stored model may predate that rule, so
// each one is replaced by U+FFFD, visibly, rather than dropped silently or left to break the file.
/* eslint-disable no-control-regex -- matching the control characters XML forbids is the point */
const XML_UNSAFE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/* eslint-enable no-control-regex */

export function xmlSafe(text: string): string {
  return text.replace(XML_UNSAFE, '\uFFFD');
}

export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The zip again with every entry dated `at` (both libraries stamp entries with the clock), entries in
 * the same order, so the same model and source give the same bytes. DOS dates start in 1980.
 */
export function repackZip(zip: Uint8Array, at: Date): Buffer {
  const utc = at.getTime() < Date.UTC(1980, 0, 2) ? new Date(Date.UTC(1980, 0, 2)) : at;
  // fflate writes the local wall-clock time; giving it the UTC fields keeps the bytes free of the time zone.
  const mtime = new Date(
    utc.getUTCFullYear(),
    utc.getUTCMonth(),
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
  );
  const entries = unzipSync(zip);
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [path, data] of Object.entries(entries)) files[path] = [data, { mtime }];
  return Buffer.from(zipSync(files, { level: 6 }));
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * The zip with every entry's DOS time and date set to `at` (UTC fields), written in place in the
 * local and central headers: the same bytes for the same content without inflating and deflating
 * again. A zip this does not expect (an entry with extra fields, which may carry their own times,
 * or no end record) is re-packed instead.
 */
export function stampZip(zip: Uint8Array, at: Date): Buffer {
  const buf = Buffer.from(zip);
  const t = at.getTime() < Date.UTC(1980, 0, 2) ? new Date(Date.UTC(1980, 0, 2)) : at;
  const time = (t.getUTCHours() << 11) | (t.getUTCMinutes() << 5) | (t.getUTCSeconds() >> 1);
  const date = ((t.getUTCFullYear() - 1980) << 9) | ((t.getUTCMonth() + 1) << 5) | t.getUTCDate();
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return repackZip(zip, at);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) return repackZip(zip, at);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    if (extraLength > 0 || local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL || buf.readUInt16LE(local + 28) > 0)
      return repackZip(zip, at);
    buf.writeUInt16LE(time, p + 12);
    buf.writeUInt16LE(date, p + 14);
    buf.writeUInt16LE(time, local + 10);
    buf.writeUInt16LE(date, local + 12);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return buf;
}
