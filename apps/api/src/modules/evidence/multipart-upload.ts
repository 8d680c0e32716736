import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

import type { ErrorDetail } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import type { UploadedFile } from './evidence.service.js';

const FIELDS = new Set(['title', 'kind', 'issuedAt', 'expiresAt']);

export const invalid = (message: string, details: ErrorDetail[]) => new AppError('VALIDATION_FAILED', message, { details });

export const zodDetails = (error: z.ZodError): ErrorDetail[] => error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/**
 * Reads a multipart upload: the text fields and one file in `file`, buffered up to maxBytes. A file
 * over the limit is drained, not kept, and reported as truncated (413 after the fields are checked).
 */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<{ fields: Record<string, string>; file: UploadedFile | null }> {
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  // throwFileSizeLimit is honoured by parts() at runtime though its type omits it: an oversize file
  // is then marked truncated instead of aborting the iteration, so the fields are still read (400 first).
  // preservePath: busboy would otherwise cut "../../x.pdf" down to "x.pdf" before we see it, and a
  // name sent with a path is refused (400, which characters to remove), never silently renamed.
  const options = { limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 12 }, throwFileSizeLimit: false, preservePath: true };
  try {
    for await (const part of request.parts(options)) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          await part.toBuffer().catch(() => undefined);
          throw invalid('Send the document in the multipart field named "file".', [{ path: part.fieldname, message: 'Unknown file field; use "file"' }]);
        }
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        file = { fileName: part.filename, bytes: Buffer.concat(chunks), truncated: part.file.truncated };
      } else {
        if (!FIELDS.has(part.fieldname)) {
          throw invalid('The upload has a field this API does not know.', [{ path: part.fieldname, message: `Unknown field; send only file, ${[...FIELDS].join(', ')}` }]);
        }
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw invalid('Send one file (field "file") with title, kind, issuedAt and optionally expiresAt.', [{ path: 'file', message: 'Only one file per upload' }]);
    }
    throw invalid('The multipart body is malformed; send multipart/form-data with a "file" field.', [{ path: '', message: error instanceof Error ? error.message : 'Malformed multipart body' }]);
  }
  return { fields, file };
}
