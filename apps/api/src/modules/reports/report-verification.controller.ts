import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';

import {
  type ReportPublicKey,
  ReportPublicKeySchema,
  VerifyReportByIdRequestSchema,
  VerifyReportRequestSchema,
  type VerifyReportResponse,
  VerifyReportResponseSchema,
} from '@hoh/contracts';
import { drillScenario } from '@hoh/question-bank';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError } from '../../common/app-error.js';
import { Public } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { AppConfig } from '../../config/app-config.js';
import { ThrottleService } from '../auth/throttle.service.js';
import { invalid, readUpload, zodDetails } from '../evidence/multipart-upload.js';
import { sha256Hex, SigningKeyService } from './signing-key.service.js';

class PublicKeyDto extends createZodDto(ReportPublicKeySchema) {}
class VerifyResponseDto extends createZodDto(VerifyReportResponseSchema) {}

const MULTIPART_BODY = {
  type: 'object',
  description: 'multipart/form-data: the PDF itself (only its SHA-256 is computed; the file is not kept)',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary' } },
};
const JSON_BODY = {
  ...z.toJSONSchema(VerifyReportRequestSchema, { target: 'openapi-3.0', io: 'input' }),
  description: 'application/json: the SHA-256 of the PDF',
};
const JSON_BY_ID_BODY = {
  ...z.toJSONSchema(VerifyReportByIdRequestSchema, { target: 'openapi-3.0', io: 'input' }),
  description: 'application/json: the report id and results SHA-256 a report prints (its verify link and QR code carry them)',
};
const JSON_HINT = 'Send {"sha256": "<64 hex>"}, or {"reportId": "<uuid>", "resultsSha256": "<64 hex>"} as printed on the report, or upload the PDF as multipart field "file".';

/** Public, no sign-in: anyone holding a PDF can ask whether this service issued it, unaltered. */
@ApiTags('verification')
@Controller('v1/reports')
export class ReportVerificationController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: SigningKeyService,
    private readonly throttle: ThrottleService,
    private readonly config: AppConfig,
  ) {}

  @Get('public-key')
  @Public()
  @ZodOk({
    description:
      'The Ed25519 public key that signs report manifests and results exports (PEM and JWK); keyId = first 16 hex of SHA-256 of the raw key',
    type: PublicKeyDto,
  })
  publicKey(): ReportPublicKey {
    return this.keys.publicKey();
  }

  @Post('verify')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Is this PDF a genuine, unaltered report? Upload it (multipart field `file`), send {"sha256"}, or {"reportId", "resultsSha256"}',
    description:
      'Answers {genuine:true, reportId, organisation, issuedAt} or {genuine:false}, nothing else. By report id and results SHA-256 (both must name one issued report) the answer adds pdfSha256, to check the file in hand against. Rate-limited per IP (429 with Retry-After).',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { oneOf: [MULTIPART_BODY, JSON_BODY, JSON_BY_ID_BODY] } as never })
  @ZodOk({ status: 200, description: 'Whether the PDF was issued here, unaltered', type: VerifyResponseDto })
  @ApiErrors(400, 413, 429)
  async verify(@Req() request: FastifyRequest): Promise<VerifyReportResponse> {
    // Counted before the body is read, so a flood of uploads is turned away cheaply.
    await this.throttle.consume([{ bucket: `report-verify:ip:${request.ip}`, limit: this.config.env.REPORT_VERIFY_PER_IP }]);
    let sha256: string;
    if (request.isMultipart()) {
      const { file } = await readUpload(request, this.config.env.EVIDENCE_MAX_BYTES);
      if (!file)
        throw invalid('Attach the PDF in the multipart field "file", or send JSON {"sha256": "<64 hex>"}.', [
          { path: 'file', message: 'Missing file' },
        ]);
      if (file.truncated)
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `The file is larger than any report this service issues (${this.config.env.EVIDENCE_MAX_BYTES} bytes); send its SHA-256 instead.`,
        );
      sha256 = sha256Hex(file.bytes);
    } else {
      const body = request.body ?? {};
      if (typeof body === 'object' && !Array.isArray(body) && ('reportId' in body || 'resultsSha256' in body)) return this.verifyById(body);
      const parsed = VerifyReportRequestSchema.safeParse(body);
      if (!parsed.success) throw invalid(JSON_HINT, zodDetails(parsed.error));
      sha256 = parsed.data.sha256;
    }
    const [found] = await this.dataSource.query<{ report_id: string; organisation_name: string; issued_at: Date }[]>(
      'SELECT report_id, organisation_name, issued_at FROM hoh_verify_report_hash($1)',
      [sha256],
    );
    if (found) return { genuine: true, reportId: found.report_id, organisation: found.organisation_name, issuedAt: found.issued_at.toISOString() };
    // A group board report (docs/PRODUCT.md §16.6) is registered by group, in its own registry.
    const [group] = await this.dataSource.query<{ report_id: string; group_name: string; issued_at: Date }[]>(
      'SELECT report_id, group_name, issued_at FROM hoh_verify_group_report_hash($1)',
      [sha256],
    );
    if (group) return { genuine: true, kind: 'group', reportId: group.report_id, organisation: `group report of ${group.group_name}`, group: group.group_name, issuedAt: group.issued_at.toISOString() };
    // A drill record (docs/PRODUCT.md §15.6): kept as the organisation's evidence, found by its PDF hash.
    const [drill] = await this.dataSource.query<{ drill_id: string; organisation_name: string; scenario_id: string; library_version: string; finished_at: Date }[]>(
      'SELECT drill_id, organisation_name, scenario_id, library_version, finished_at FROM hoh_verify_drill_record_hash($1)',
      [sha256],
    );
    if (!drill) return { genuine: false };
    const scenario = drillScenario(drill.scenario_id, drill.library_version);
    return {
      genuine: true,
      kind: 'drill_record',
      organisation: drill.organisation_name,
      issuedAt: drill.finished_at.toISOString(),
      pdfSha256: sha256,
      drill: { drillId: drill.drill_id, scenarioId: drill.scenario_id, scenario: scenario?.title ?? drill.scenario_id },
    };
  }

  /** What a report's verify link carries: genuine only when the id and the results hash name the same issued report. */
  private async verifyById(body: object): Promise<VerifyReportResponse> {
    const parsed = VerifyReportByIdRequestSchema.safeParse(body);
    if (!parsed.success) throw invalid(JSON_HINT, zodDetails(parsed.error));
    const [found] = await this.dataSource.query<{ report_id: string; organisation_name: string; issued_at: Date; pdf_sha256: string }[]>(
      'SELECT report_id, organisation_name, issued_at, pdf_sha256 FROM hoh_verify_report_id($1, $2)',
      [parsed.data.reportId, parsed.data.resultsSha256],
    );
    if (found)
      return {
        genuine: true,
        reportId: found.report_id,
        organisation: found.organisation_name,
        issuedAt: found.issued_at.toISOString(),
        pdfSha256: found.pdf_sha256,
      };
    const [group] = await this.dataSource.query<{ report_id: string; group_name: string; issued_at: Date; pdf_sha256: string }[]>(
      'SELECT report_id, group_name, issued_at, pdf_sha256 FROM hoh_verify_group_report_id($1, $2)',
      [parsed.data.reportId, parsed.data.resultsSha256],
    );
    return group
      ? {
          genuine: true,
          kind: 'group',
          reportId: group.report_id,
          organisation: `group report of ${group.group_name}`,
          group: group.group_name,
          issuedAt: group.issued_at.toISOString(),
          pdfSha256: group.pdf_sha256,
        }
      : { genuine: false };
  }
}
