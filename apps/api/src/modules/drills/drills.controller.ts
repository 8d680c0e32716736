import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';

import {
  AddDrillNoteRequestSchema,
  type DrillListResponse,
  DrillListResponseSchema,
  type DrillResponse,
  DrillResponseSchema,
  type DrillScenarioListResponse,
  DrillScenarioListResponseSchema,
  type DrillPlaybookResponse,
  DrillPlaybookResponseSchema,
  type DrillScheduleResponse,
  DrillScheduleResponseSchema,
  FinishDrillRequestSchema,
  RecordDrillDecisionRequestSchema,
  StartDrillRequestSchema,
} from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { notFound } from '../../common/app-error.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { etagOf, parseIfMatch } from '../../common/concurrency.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { DrillsService } from './drills.service.js';

class DrillDto extends createZodDto(DrillResponseSchema) {}
class DrillListDto extends createZodDto(DrillListResponseSchema) {}
class DrillScenarioListDto extends createZodDto(DrillScenarioListResponseSchema) {}
class DrillScheduleDto extends createZodDto(DrillScheduleResponseSchema) {}
class DrillPlaybookDto extends createZodDto(DrillPlaybookResponseSchema) {}
class StartDrillDto extends createZodDto(StartDrillRequestSchema) {}
class RecordDrillDecisionDto extends createZodDto(RecordDrillDecisionRequestSchema) {}
class AddDrillNoteDto extends createZodDto(AddDrillNoteRequestSchema) {}
class FinishDrillDto extends createZodDto(FinishDrillRequestSchema) {}

const DrillId = new ParseUUIDPipe({ exceptionFactory: () => notFound('drill') });
const IF_MATCH = { name: 'If-Match', required: false, description: 'Optional: the ETag you read; a stale one answers 412 with `current`' };

/** Incident drills (issue 30; docs/PRODUCT.md §15, docs/API.md §3.5). Words only: no route here takes a file. */
@ApiTags('drills')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/drills')
export class DrillsController {
  constructor(private readonly drills: DrillsService) {}

  private static tagged(reply: FastifyReply, drill: DrillResponse): DrillResponse {
    void reply.header('etag', etagOf(drill.version));
    return drill;
  }

  @Get('scenarios')
  @OrgAccess('read')
  @ZodOk({ description: 'The drill scenario library: scenarios with their roles, exercised questions, first-hour steps, references and sources (not the injects)', type: DrillScenarioListDto })
  @ApiErrors(401, 404)
  scenarios(): DrillScenarioListResponse {
    return this.drills.scenarios();
  }

  @Get('schedule')
  @OrgAccess('read')
  @ZodOk({
    description: 'The schedule of drills: per scenario, its last finished drill and record, when the next is due (12 months on, per ENT-05) and whether it is never exercised, overdue, due soon (30 days) or ok',
    type: DrillScheduleDto,
  })
  @ApiErrors(401, 404)
  schedule(): Promise<DrillScheduleResponse> {
    return this.drills.schedule();
  }

  @Get('playbook')
  @OrgAccess('read')
  @ZodOk({
    description:
      "The organisation's own discovery playbook (the newest accepted evidence linked to the discovery-playbook question, drill records apart) and its last drill record: what the found-suspected-material page links a signed-in member to",
    type: DrillPlaybookDto,
  })
  @ApiErrors(401, 404)
  playbook(): Promise<DrillPlaybookResponse> {
    return this.drills.playbook();
  }

  @Get()
  @OrgAccess('read')
  @ZodOk({ description: 'Drills of the organisation, newest first (at most 200)', type: DrillListDto })
  @ApiErrors(401, 404)
  list(): Promise<DrillListResponse> {
    return this.drills.list();
  }

  @Post()
  @OrgAccess('manage')
  @ZodOk({ status: 201, description: 'Starts a drill: the caller facilitates, the named members take the named roles, the first inject is revealed', type: DrillDto })
  @ApiErrors(400, 401, 403, 404)
  async start(@Body() body: StartDrillDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<DrillResponse> {
    return DrillsController.tagged(reply, await this.drills.start(body));
  }

  @Get(':id')
  @OrgAccess('read')
  @ZodOk({ description: 'One drill: revealed injects, timeline, milestones, record (ETag: its version). Good practice shows to the facilitator, and to everyone once finished', type: DrillDto })
  @ApiErrors(401, 404)
  async get(@Param('id', DrillId) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<DrillResponse> {
    return DrillsController.tagged(reply, await this.drills.get(id));
  }

  @Post(':id/reveal')
  @OrgAccess('manage')
  @ApiHeader(IF_MATCH)
  @ZodOk({ status: 200, description: 'Reveals the next inject (facilitator; running drills)', type: DrillDto })
  @ApiErrors(401, 403, 404, 409, 412)
  async reveal(@Param('id', DrillId) id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<DrillResponse> {
    return DrillsController.tagged(reply, await this.drills.reveal(id, parseIfMatch(ifMatch)));
  }

  @Post(':id/decisions')
  @OrgAccess('read')
  @ApiHeader(IF_MATCH)
  @ZodOk({ status: 201, description: 'Records a decision on a revealed inject, with who decided; only the facilitator rates it against good practice', type: DrillDto })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  async decide(@Param('id', DrillId) id: string, @Body() body: RecordDrillDecisionDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<DrillResponse> {
    return DrillsController.tagged(reply, await this.drills.decide(id, body, parseIfMatch(ifMatch)));
  }

  @Post(':id/notes')
  @OrgAccess('read')
  @ApiHeader(IF_MATCH)
  @ZodOk({ status: 201, description: 'Adds a note to the timeline (facilitator or participant; running or paused drills)', type: DrillDto })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  async note(@Param('id', DrillId) id: string, @Body() body: AddDrillNoteDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<DrillResponse> {
    return DrillsController.tagged(reply, await this.drills.note(id, body, parseIfMatch(ifMatch)));
  }

  @Post(':id/pause')
  @OrgAccess('manage')
  @ApiHeader(IF_MATCH)
  @ZodOk({ status: 200, description: 'Pauses the drill clock (facilitator)', type: DrillDto })
  @ApiErrors(401, 403, 404, 409, 412)
  async pause(@Param('id', DrillId) id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<DrillResponse> {
    return DrillsController.tagged(reply, await this.drills.pause(id, parseIfMatch(ifMatch)));
  }

  @Post(':id/resume')
  @OrgAccess('manage')
  @ApiHeader(IF_MATCH)
  @ZodOk({ status: 200, description: 'Resumes a paused drill (facilitator)', type: DrillDto })
  @ApiErrors(401, 403, 404, 409, 412)
  async resume(@Param('id', DrillId) id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<DrillResponse> {
    return DrillsController.tagged(reply, await this.drills.resume(id, parseIfMatch(ifMatch)));
  }

  @Post(':id/finish')
  @OrgAccess('manage')
  @ApiHeader(IF_MATCH)
  @ZodOk({
    status: 200,
    description:
      'Finishes the drill (facilitator): renders the signed drill record PDF, stores it as exercise evidence uploaded by the facilitator (pending until someone else opens and accepts it) and links it to the exercised questions on the open assessment',
    type: DrillDto,
  })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413)
  async finish(@Param('id', DrillId) id: string, @Body() body: FinishDrillDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<DrillResponse> {
    return DrillsController.tagged(reply, await this.drills.finish(id, body, parseIfMatch(ifMatch)));
  }
}
