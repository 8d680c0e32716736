import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';

import {
  type Report,
  ReportListQuerySchema,
  type ReportListResponse,
  ReportListResponseSchema,
  ReportSchema,
  type ResultsExport,
  ResultsExportSchema,
} from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError, notFound } from '../../common/app-error.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { currentMember } from '../../database/tenant-context.js';
import { ReportWorker } from './report-worker.js';
import { OFFICE_COPIES, type OfficeCopy, ReportsService } from './reports.service.js';

class ReportDto extends createZodDto(ReportSchema) {}
class ReportListDto extends createZodDto(ReportListResponseSchema) {}
class ReportListQueryDto extends createZodDto(ReportListQuerySchema) {}
class ResultsExportDto extends createZodDto(ResultsExportSchema) {}

const AssessmentId = new ParseUUIDPipe({ exceptionFactory: () => notFound('assessment') });
const ReportId = new ParseUUIDPipe({ exceptionFactory: () => notFound('report') });

const PDF_RESPONSE = {
  status: 200,
  description:
    'The issued PDF, byte for byte as signed (X-Report-Sha256 carries its hash). 409 INVALID_STATE while the report is not ready.',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
} as const;

const officeResponse = (copy: OfficeCopy, what: string) =>
  ({
    status: 200,
    description: `${what}, made from the report model stored with the issued PDF (so its numbers are the PDF's) and marked as an unsigned working copy naming that PDF and its SHA-256. 409 REPORT_NOT_READY while the report is queued, rendering or failed; 409 REPORT_MODEL_MISSING for a report issued before models were stored (issue a new report).`,
    content: { [OFFICE_COPIES[copy].contentType]: { schema: { type: 'string', format: 'binary' } } },
  }) as const;

@ApiTags('reports')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly worker: ReportWorker,
  ) {}

  @Post('assessments/:id/reports')
  @OrgAccess('manage')
  @ApiParam({ name: 'id', format: 'uuid', description: 'Assessment id' })
  @ZodOk({
    status: 202,
    description:
      'Report queued; rendering runs in the background. Location names the report; poll it until status is ready, then GET …/pdf. Drafts print a DRAFT watermark.',
    type: ReportDto,
  })
  @ApiBody({
    required: false,
    description: 'No body, or an empty object: everything the report prints comes from the assessment',
    schema: { type: 'object', additionalProperties: false },
  })
  @ApiErrors(400, 401, 403, 404)
  async issue(
    @Param('id', AssessmentId) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Report> {
    // Strict like every other contract: a body we would silently ignore is a client mistake.
    const empty =
      body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
    if (!empty)
      throw new AppError('VALIDATION_FAILED', 'Send no body (or {}) to issue a report; it is built from the assessment as it stands.', {
        details: [{ path: '', message: 'Unexpected body' }],
      });
    const report = await this.reports.issue(id);
    void reply.header('location', `/api/v1/orgs/${currentMember().organisationId}/reports/${report.id}`);
    // The job row is visible to workers only once the request transaction commits, which is
    // before the response is written; kick the loop then rather than waiting for the next poll.
    reply.raw.once('finish', () => this.worker.kick());
    return report;
  }

  @Get('reports')
  @OrgAccess('read')
  @ZodOk({ description: 'Reports of the organisation, newest first, paged', type: ReportListDto })
  @ApiErrors(400, 401, 404)
  list(@Query() query: ReportListQueryDto): Promise<ReportListResponse> {
    return this.reports.list(query.limit, query.cursor);
  }

  @Get('assessments/:id/reports')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid', description: 'Assessment id' })
  @ZodOk({ description: 'Reports issued for this assessment, newest first, paged', type: ReportListDto })
  @ApiErrors(400, 401, 404)
  listForAssessment(@Param('id', AssessmentId) id: string, @Query() query: ReportListQueryDto): Promise<ReportListResponse> {
    return this.reports.list(query.limit, query.cursor, id);
  }

  @Get('reports/:reportId')
  @OrgAccess('read')
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ZodOk({
    description: 'The report job; once ready, its manifest, Ed25519 signature (base64url over the canonical manifest) and keyId',
    type: ReportDto,
  })
  @ApiErrors(401, 404)
  get(@Param('reportId', ReportId) reportId: string): Promise<Report> {
    return this.reports.get(reportId);
  }

  @Get('assessments/:id/reports/:reportId')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid', description: 'Assessment id' })
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ZodOk({ description: 'The report job (as GET …/reports/{reportId}), if it belongs to this assessment', type: ReportDto })
  @ApiErrors(401, 404)
  getForAssessment(@Param('id', AssessmentId) id: string, @Param('reportId', ReportId) reportId: string): Promise<Report> {
    return this.reports.get(reportId, id);
  }

  @Get('reports/:reportId/pdf')
  @OrgAccess('read')
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiResponse(PDF_RESPONSE)
  @ApiErrors(401, 404, 409)
  async pdf(@Param('reportId', ReportId) reportId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return this.sendPdf(reply, reportId, await this.reports.pdf(reportId));
  }

  @Get('assessments/:id/reports/:reportId/pdf')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid', description: 'Assessment id' })
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiResponse(PDF_RESPONSE)
  @ApiErrors(401, 404, 409)
  async pdfForAssessment(
    @Param('id', AssessmentId) id: string,
    @Param('reportId', ReportId) reportId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    return this.sendPdf(reply, reportId, await this.reports.pdf(reportId, id));
  }

  @Get('reports/:reportId/board-pack.docx')
  @OrgAccess('read')
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ApiProduces(OFFICE_COPIES['board-pack.docx'].contentType)
  @ApiResponse(officeResponse('board-pack.docx', 'The editable board pack (DOCX): the same sections, order and numbers as the PDF'))
  @ApiErrors(401, 404, 409)
  async boardPackDocx(@Param('reportId', ReportId) reportId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return this.sendOffice(reply, reportId, 'board-pack.docx');
  }

  @Get('reports/:reportId/registers.xlsx')
  @OrgAccess('read')
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ApiProduces(OFFICE_COPIES['registers.xlsx'].contentType)
  @ApiResponse(officeResponse('registers.xlsx', 'The registers (XLSX): answers with references, evidence register, action plan and exposure map, one sheet each, formula-safe'))
  @ApiErrors(401, 404, 409)
  async registersXlsx(@Param('reportId', ReportId) reportId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return this.sendOffice(reply, reportId, 'registers.xlsx');
  }

  private async sendOffice(reply: FastifyReply, reportId: string, copy: OfficeCopy): Promise<Buffer> {
    const bytes = await this.reports.officeCopy(reportId, copy);
    void reply
      .header('content-type', OFFICE_COPIES[copy].contentType)
      .header('content-disposition', `attachment; filename="${OFFICE_COPIES[copy].fileName(reportId)}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('content-length', String(bytes.length));
    return bytes;
  }

  private sendPdf(reply: FastifyReply, reportId: string, file: { bytes: Buffer; sha256: string }): Buffer {
    void reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="hand-on-heart-report-${reportId}.pdf"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('x-report-sha256', file.sha256)
      .header('content-length', String(file.bytes.length));
    return file.bytes;
  }

  @Get('assessments/:id/export/answers.csv')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid', description: 'Assessment id' })
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="answers.csv"')
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description:
      'Every bank question with its answer, effective level, cap, target, gap, review status and evidence ids and SHA-256 (never content); formula-injection safe',
    schema: { type: 'string' },
  })
  @ApiErrors(401, 404)
  answersCsv(@Param('id', AssessmentId) id: string): Promise<string> {
    return this.reports.answersCsv(id);
  }

  @Get('assessments/:id/export/results.json')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid', description: 'Assessment id' })
  @ZodOk({
    description:
      'The engine result (frozen at sign-off for a signed assessment) with a manifest {assessmentId, generatedAt, resultsSha256} signed with Ed25519 over its canonical JSON; verify with GET /api/v1/reports/public-key',
    type: ResultsExportDto,
  })
  @ApiErrors(401, 404)
  async resultsJson(@Param('id', AssessmentId) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ResultsExport> {
    void reply.header('content-disposition', 'attachment; filename="results.json"');
    return this.reports.resultsExport(id);
  }
}
