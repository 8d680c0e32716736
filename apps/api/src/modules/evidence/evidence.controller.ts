import { applyDecorators, Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import {
  type AnswerEvidenceLink,
  CreateExternalEvidenceRequestSchema,
  type EvidencePage,
  type EvidenceResponse,
  type EvidenceReviewBatchResponse,
  FileNameSchema,
  UploadEvidenceFieldsSchema,
} from '@hoh/contracts';
import { EVIDENCE_KINDS } from '@hoh/question-bank';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { etagOf, parseIfMatch } from '../../common/concurrency.js';
import { QuestionId } from '../../common/question-id.pipe.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import {
  AnswerEvidenceLinkDto,
  EvidenceListQueryDto,
  EvidencePageDto,
  EvidenceResponseDto,
  EvidenceReviewBatchResponseDto,
  ReviewEvidenceBatchDto,
  ReviewEvidenceDto,
} from './evidence.dto.js';
import { EvidenceService } from './evidence.service.js';
import { invalid, readUpload, zodDetails } from './multipart-upload.js';
import { contentDisposition } from './safe-file-name.js';

const IF_MATCH = { name: 'If-Match', required: false, description: 'Optional: the ETag you read; a stale one answers 412 with `current`' };
const LinkParams = () =>
  applyDecorators(
    ApiParam({ name: 'id', format: 'uuid', description: 'Assessment id' }),
    ApiParam({ name: 'questionId', description: 'Question id from the assessment’s question bank, e.g. HASH-01' }),
    ApiParam({ name: 'evidenceId', format: 'uuid' }),
  );

const MULTIPART_BODY = {
  type: 'object',
  description: 'multipart/form-data: a document upload',
  required: ['file', 'title', 'kind', 'issuedAt'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'PDF, docx/xlsx/pptx, odt/ods/odp, CSV or UTF-8 text; identified by content, never by name' },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    kind: { type: 'string', enum: [...EVIDENCE_KINDS] },
    issuedAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time', description: 'Omit to expire 12 months after issuedAt' },
  },
};
const JSON_BODY = { ...z.toJSONSchema(CreateExternalEvidenceRequestSchema, { target: 'openapi-3.0', io: 'input' }), description: 'application/json: an external reference (no file)' };

@ApiTags('evidence')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get('evidence')
  @OrgAccess('read')
  @ZodOk({ description: 'Evidence of the organisation, newest first, paged', type: EvidencePageDto })
  @ApiErrors(400, 401, 404)
  list(@Query() query: EvidenceListQueryDto): Promise<EvidencePage> {
    return this.evidence.list(query);
  }

  @Post('evidence')
  @OrgAccess('contribute')
  @ApiOperation({
    summary: 'Add evidence: upload a document (multipart) or reference one in your own system (JSON)',
    description:
      'Multipart: field `file` (PDF, docx/xlsx/pptx, odt/ods/odp, CSV or UTF-8 text; checked by content, never by name) plus title, kind, issuedAt, expiresAt?. ' +
      'JSON: {title, kind, externalRef, issuedAt, expiresAt?}. Images, video, audio, archives and programs are refused with 415; see docs/SECURITY.md. ' +
      'Never upload suspected child sexual abuse material: report it instead (/found-suspected-material).',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { oneOf: [MULTIPART_BODY, JSON_BODY] } as never })
  @ZodOk({ status: 201, description: 'The evidence, pending review', type: EvidenceResponseDto })
  @ApiErrors(400, 401, 403, 404, 413, 415)
  async create(@Req() request: FastifyRequest): Promise<EvidenceResponse> {
    if (!request.isMultipart()) {
      const parsed = CreateExternalEvidenceRequestSchema.safeParse(request.body ?? {});
      if (!parsed.success) throw invalid('Some fields are invalid; correct them and send the request again.', zodDetails(parsed.error));
      return this.evidence.createExternal(parsed.data);
    }
    const { fields, file } = await readUpload(request, this.evidence.maxBytes);
    const parsed = UploadEvidenceFieldsSchema.safeParse(fields);
    const details = parsed.success ? [] : zodDetails(parsed.error);
    if (!file) details.push({ path: 'file', message: 'Attach the document in the field "file", or send JSON with externalRef instead' });
    // The name as sent: a path, control or text-direction character is refused, not renamed away.
    const name = file ? FileNameSchema.safeParse(file.fileName ?? '') : null;
    if (name && !name.success) details.push(...zodDetails(name.error).map((d) => ({ path: 'fileName', message: d.message })));
    if (!parsed.success || !file || (name && !name.success)) throw invalid('Some fields are invalid; correct them and send the upload again.', details);
    return this.evidence.upload(parsed.data, { ...file, fileName: name?.data ?? file.fileName });
  }

  @Post('evidence/reviews')
  @OrgAccess('manage')
  @ApiOperation({
    summary: 'Accept or reject many evidence items at once, all or nothing',
    description:
      'One decision for 1–100 items, in one transaction: on any error nothing changes. 404 names unknown ids; 409 INVALID_STATE names your own uploads; ' +
      'accepting needs each item opened by you first (409 EVIDENCE_NOT_OPENED, one detail per unopened id). Items already in the requested state are left as they are.',
  })
  @ZodOk({ description: 'The reviewed evidence, in request order', type: EvidenceReviewBatchResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async reviewMany(@Body() body: ReviewEvidenceBatchDto): Promise<EvidenceReviewBatchResponse> {
    return { items: await this.evidence.reviewMany(body) };
  }

  @Get('evidence/:id')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ZodOk({ description: 'Evidence metadata (never its content); ETag: its version', type: EvidenceResponseDto })
  @ApiErrors(401, 404)
  async get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<EvidenceResponse> {
    const evidence = await this.evidence.get(id);
    void reply.header('etag', etagOf(evidence.version));
    return evidence;
  }

  @Get('evidence/:id/content')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/octet-stream')
  @ApiResponse({
    status: 200,
    description: 'The stored bytes, as an attachment with the sniffed media type (X-Content-Type-Options: nosniff, sandboxed); X-Evidence-Sha256 carries the hash',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({ summary: 'Download the file; records that you opened it (accepting requires opening)' })
  @ApiErrors(401, 404)
  async content(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    // Fastify answers HEAD with this handler too; only a GET delivers the file, so only a GET is an open.
    const file = await this.evidence.content(id, request.method === 'GET');
    // Downloads are never rendered by the browser in our origin: attachment, nosniff, sandbox CSP.
    void reply
      .header('content-type', file.mediaType.startsWith('text/') ? `${file.mediaType}; charset=utf-8` : file.mediaType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .header('x-evidence-sha256', file.sha256)
      .header('content-length', String(file.bytes.length));
    return file.bytes;
  }

  @Get('evidence/:id/open')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Open the evidence: records that you opened it, then redirects (303) to the external URL or to the file download',
    description: 'A document id in your own system cannot be followed: 409 EVIDENCE_NOT_A_LINK; look it up there and POST …/opens instead.',
  })
  @HttpCode(303)
  @ApiResponse({ status: 303, description: 'Opened; Location is the external URL (a link) or …/content (a file)', headers: { Location: { schema: { type: 'string' } } } })
  @ApiErrors(401, 404, 409)
  async open(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const { location } = await this.evidence.open(id, request.method === 'GET');
    // Our own evidence URL is nobody else's business: the external site gets no Referer.
    void reply.header('location', location).header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
  }

  @Post('evidence/:id/opens')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Record that you looked up a document-id reference in your own system (body {})',
    description: 'Only for a document id: a file or URL is opened through …/content or …/open instead (409 EVIDENCE_OPEN_IT).',
  })
  @ZodOk({ description: 'The evidence, with openedByYouAt set', type: EvidenceResponseDto })
  @ApiErrors(401, 403, 404, 409)
  declareOpened(@Param('id') id: string): Promise<EvidenceResponse> {
    return this.evidence.declareOpened(id);
  }

  @Post('evidence/:id/review')
  @OrgAccess('manage')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ZodOk({ description: 'The reviewed evidence; only accepted, unexpired evidence lifts a score cap', type: EvidenceResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  async review(
    @Param('id') id: string,
    @Body() body: ReviewEvidenceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EvidenceResponse> {
    const evidence = await this.evidence.review(id, body, parseIfMatch(ifMatch));
    void reply.header('etag', etagOf(evidence.version));
    return evidence;
  }

  @Put('assessments/:id/answers/:questionId/evidence/:evidenceId')
  @OrgAccess('contribute')
  @LinkParams()
  @ZodOk({ description: 'The link (idempotent: linking twice changes nothing)', type: AnswerEvidenceLinkDto })
  @ApiErrors(401, 403, 404, 409)
  link(@Param('id') id: string, @Param('questionId', QuestionId) questionId: string, @Param('evidenceId') evidenceId: string): Promise<AnswerEvidenceLink> {
    return this.evidence.link(id, questionId, evidenceId);
  }

  @Delete('assessments/:id/answers/:questionId/evidence/:evidenceId')
  @OrgAccess('contribute')
  @LinkParams()
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Unlinked' })
  @ApiErrors(401, 403, 404, 409)
  async unlink(@Param('id') id: string, @Param('questionId', QuestionId) questionId: string, @Param('evidenceId') evidenceId: string): Promise<void> {
    await this.evidence.unlink(id, questionId, evidenceId);
  }
}
