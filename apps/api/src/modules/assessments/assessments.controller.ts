import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { type AnswerResponse, type AssessmentListResponse, type AssessmentResponse, type AttestationCheckResponse, AttestationCheckResponseSchema } from '@hoh/contracts';
import { createZodDto } from 'nestjs-zod';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { notFound } from '../../common/app-error.js';
import { type AuthContext, CurrentAuth, OrgAccess } from '../../common/auth/access.decorators.js';
import { etagOf, parseIfMatch } from '../../common/concurrency.js';
import { QuestionId } from '../../common/question-id.pipe.js';
import { type SerializedBody, ZodOk } from '../../common/zod-response.decorator.js';
import { currentMember } from '../../database/tenant-context.js';
import { ScoringService } from '../scoring/scoring.service.js';
import {
  AnswerResponseDto,
  AssessmentListResponseDto,
  AssessmentPageQueryDto,
  AssessmentResponseDto,
  AssignmentsDto,
  CreateAssessmentDto,
  PutAnswerDto,
  PutTargetDto,
  ReviewDto,
  ScoreResponseDto,
  SignOffDto,
  UpgradeAssessmentDto,
  VerificationDto,
} from './assessments.dto.js';
import { AssessmentsService } from './assessments.service.js';
import { AnswersService } from './answers.service.js';
import { AttestationService } from './attestation.service.js';
import { parseAssessmentIfMatch } from './upgrade.service.js';

class AttestationCheckDto extends createZodDto(AttestationCheckResponseSchema) {}

// A malformed id is "no such assessment" (404), exactly like another organisation's id.
const AssessmentId = new ParseUUIDPipe({ exceptionFactory: () => notFound('assessment') });

@ApiTags('assessments')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/assessments')
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly answers: AnswersService,
    private readonly scoring: ScoringService,
    private readonly attestation: AttestationService,
  ) {}

  @Get()
  @OrgAccess('read')
  @ZodOk({ description: 'Assessments, newest first, with status, score and band', type: AssessmentListResponseDto })
  @ApiErrors(400, 401, 404)
  list(@Query() query: AssessmentPageQueryDto): Promise<AssessmentListResponse> {
    return this.assessments.list(query.limit, query.cursor);
  }

  @Post()
  @OrgAccess('manage')
  @ZodOk({ status: 201, description: 'A new draft on the current bank (optionally copied from an earlier assessment)', type: AssessmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  create(@Body() body: CreateAssessmentDto): Promise<AssessmentResponse> {
    return this.assessments.create(body);
  }

  @Get(':id')
  @OrgAccess('read')
  @ZodOk({ description: 'The assessment with every answer (each with its version); ETag is its scoring-input version, which every answer, evidence-link and target write changes (If-Match of an upgrade)', type: AssessmentResponseDto })
  @ApiErrors(401, 404)
  async get(@Param('id', AssessmentId) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<AssessmentResponse> {
    const assessment = await this.assessments.get(id);
    void reply.header('etag', `"${await this.assessments.etag(id)}"`);
    return assessment;
  }

  @Post(':id/upgrade')
  @OrgAccess('manage')
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of GET …/assessments/{id}' })
  @ZodOk({ status: 200, description: 'A draft or in-review assessment moved to a later bank version: answers, evidence links, targets and assignments by the published mappings', type: AssessmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 412, 428)
  async upgrade(
    @Param('id', AssessmentId) id: string,
    @Body() body: UpgradeAssessmentDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssessmentResponse> {
    const assessment = await this.assessments.upgrade(id, body, parseAssessmentIfMatch(ifMatch));
    void reply.header('etag', `"${await this.assessments.etag(id)}"`);
    return assessment;
  }

  @Get(':id/score')
  // Read far more often than anything changes; its one statement needs no transaction.
  @OrgAccess('read')
  @ZodOk({ description: 'The engine’s full result with explanation: as of now for drafts, frozen at sign-off for signed assessments', type: ScoreResponseDto })
  @ApiErrors(401, 404)
  score(@Param('id', AssessmentId) id: string): Promise<SerializedBody> {
    return this.scoring.scoreBody(currentMember().organisationId, id, ScoreResponseDto.schema);
  }

  @Get(':id/answers/:questionId')
  @OrgAccess('read')
  @ZodOk({ description: 'One answer; ETag is its version ("0" before the first answer)', type: AnswerResponseDto })
  @ApiErrors(401, 404)
  async getAnswer(@Param('id', AssessmentId) id: string, @Param('questionId', QuestionId) questionId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<AnswerResponse> {
    const answer = await this.answers.get(id, questionId);
    void reply.header('etag', etagOf(answer.version));
    return answer;
  }

  @Put(':id/answers/:questionId')
  @OrgAccess('contribute')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The answer’s ETag; required for every write but the first' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: '`*` for the first answer to a question' })
  @ZodOk({ description: 'The saved answer; ETag is its new version', type: AnswerResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 412, 428)
  async putAnswer(
    @Param('id', AssessmentId) id: string,
    @Param('questionId', QuestionId) questionId: string,
    @Body() body: PutAnswerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AnswerResponse> {
    const answer = await this.answers.put(id, questionId, body, { ifMatch: parseIfMatch(ifMatch), ifNoneMatchAny: ifNoneMatch?.trim() === '*' });
    void reply.header('etag', etagOf(answer.version));
    return answer;
  }

  @Put(':id/targets/:questionId')
  @OrgAccess('manage')
  @ZodOk({ description: 'Non-critical target override with its reason', type: AssessmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  setTarget(@Param('id', AssessmentId) id: string, @Param('questionId', QuestionId) questionId: string, @Body() body: PutTargetDto): Promise<AssessmentResponse> {
    return this.assessments.setTarget(id, questionId, body);
  }

  @Post(':id/assignments')
  @OrgAccess('manage')
  @ZodOk({ status: 200, description: 'Questions assigned to a member (assigneeId null unassigns)', type: AssessmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  assign(@Param('id', AssessmentId) id: string, @Body() body: AssignmentsDto): Promise<AssessmentResponse> {
    return this.assessments.assign(id, body);
  }

  @Post(':id/submit')
  @OrgAccess('manage')
  @ZodOk({ status: 200, description: 'Draft → in review', type: AssessmentResponseDto })
  @ApiErrors(401, 403, 404, 409)
  submit(@Param('id', AssessmentId) id: string): Promise<AssessmentResponse> {
    return this.assessments.submit(id);
  }

  @Post(':id/reviews')
  @OrgAccess('manage')
  @ZodOk({ status: 200, description: 'Approve or return items (approving an N/A approves its justification)', type: AssessmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  review(@Param('id', AssessmentId) id: string, @Body() body: ReviewDto): Promise<AssessmentResponse> {
    return this.assessments.review(id, body);
  }

  @Get(':id/attestation-check')
  @OrgAccess('read')
  @ZodOk({ description: 'The hand-on-heart check: every exception to an unqualified attestation, and the statement to sign', type: AttestationCheckDto })
  @ApiErrors(401, 404)
  attestationCheck(@Param('id', AssessmentId) id: string): Promise<AttestationCheckResponse> {
    return this.attestation.response(id);
  }

  @Post(':id/sign-off')
  @OrgAccess('sign')
  @ZodOk({ status: 200, description: 'The accountable individual signs; the assessment, its answers and its score are frozen', type: AssessmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 429)
  async signOff(
    @Param('id', AssessmentId) id: string,
    @Body() body: SignOffDto,
    @CurrentAuth() auth: AuthContext,
    @Req() req: FastifyRequest,
  ): Promise<AssessmentResponse> {
    // After the body's 400, before the assessment's 404/409 (docs/API.md §3.5): 403 REAUTH_FAILED or 429.
    await this.attestation.reauthenticate(auth, body.reauth, req.ip);
    return this.assessments.signOff(id, body);
  }

  @Post(':id/verification')
  @OrgAccess('verify')
  @ZodOk({ status: 200, description: 'An auditor records an independent verification of a signed assessment (appends; changes nothing else)', type: AssessmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  verification(@Param('id', AssessmentId) id: string, @Body() body: VerificationDto): Promise<AssessmentResponse> {
    return this.assessments.verify(id, body);
  }
}
