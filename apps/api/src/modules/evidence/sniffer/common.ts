import { type FileSignature } from '../file-signatures.js';

/** What every format's inspector shares: the verdict types, the limits and the refusal helpers. */

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

export const MiB = 1024 * 1024;
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

export const accept = (format: AcceptedFormat, embeddedImageBytes = 0): SniffAccepted => ({
  ok: true,
  format,
  ...FORMATS[format],
  embeddedImageBytes,
});
export const refuse = (category: RefusalCategory, reason: string): SniffRefused => ({ ok: false, category, reason });

export const fromSignature = (sig: FileSignature, where = ''): SniffRefused => {
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

export const mb = (n: number) => `${(n / MiB).toFixed(n < MiB ? 2 : 1)} MB`;
