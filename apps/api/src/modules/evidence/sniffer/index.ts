import { identifySignature, isPdf, isZip } from '../file-signatures.js';
import { DEFAULT_SNIFF_LIMITS, fromSignature, refuse, type SniffLimits, type SniffResult } from './common.js';
import { inspectPdf } from './pdf.js';
import { decodeText, inspectText } from './text.js';
import { inspectZip } from './zip.js';

/**
 * Decides from the bytes alone (never the file name or the client's Content-Type) whether an upload
 * may be stored as evidence. An allow-list: PDF, OOXML (docx/xlsx/pptx), ODF (odt/ods/odp), CSV and
 * plain UTF-8 text; everything else is refused. Each container is read as a whole: every byte must
 * belong to the document's own structure, so nothing rides along in disguise. Pure functions, no
 * IO; docs/SECURITY.md "Evidence uploads" states the policy.
 */
export function sniffEvidence(bytes: Buffer, fileName: string | undefined, limits: SniffLimits = DEFAULT_SNIFF_LIMITS): SniffResult {
  try {
    return sniff(bytes, fileName, limits);
  } catch {
    // Whatever the bytes make a check trip over (a regex out of stack, a read past the end) is a
    // file we cannot vouch for, never a server error.
    return refuse('damaged', 'The file could not be checked; save it again from the program that made it and upload the new copy');
  }
}

function sniff(bytes: Buffer, fileName: string | undefined, limits: SniffLimits): SniffResult {
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

export * from './common.js';
export { decodeText } from './text.js';
export { readZipDirectory, type ZipEntry } from './zip.js';
