import { Body, Controller, Get, Header, Headers, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';

import {
  type Action,
  ActionListQuerySchema,
  type ActionListResponse,
  ActionListResponseSchema,
  ActionSchema,
  type BulkUpdateActionsResponse,
  BulkUpdateActionsRequestSchema,
  BulkUpdateActionsResponseSchema,
  CreateActionRequestSchema,
  type SuggestActionsResponse,
  SuggestActionsResponseSchema,
  UpdateActionRequestSchema,
  type WhatIfResponse,
  WhatIfRequestSchema,
  WhatIfResponseSchema,
} from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { notFound } from '../../common/app-error.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { etagOf, parseIfMatch } from '../../common/concurrency.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { ActionsService } from './actions.service.js';

class ActionDto extends createZodDto(ActionSchema) {}
class ActionListDto extends createZodDto(ActionListResponseSchema) {}
class ActionListQueryDto extends createZodDto(ActionListQuerySchema) {}
class CreateActionDto extends createZodDto(CreateActionRequestSchema) {}
class UpdateActionDto extends createZodDto(UpdateActionRequestSchema) {}
class BulkUpdateActionsDto extends createZodDto(BulkUpdateActionsRequestSchema) {}
class BulkUpdateActionsResponseDto extends createZodDto(BulkUpdateActionsResponseSchema) {}
class SuggestDto extends createZodDto(SuggestActionsResponseSchema) {}
class WhatIfDto extends createZodDto(WhatIfRequestSchema) {}
class WhatIfResponseDto extends createZodDto(WhatIfResponseSchema) {}

const ActionId = new ParseUUIDPipe({ exceptionFactory: () => notFound('action') });
const AssessmentId = new ParseUUIDPipe({ exceptionFactory: () => notFound('assessment') });

@ApiTags('remediation')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Get('actions')
  @OrgAccess('read')
  @ZodOk({ description: 'Actions with computed priority, horizon, overdue and predicted uplift; filters, sorting and counts by status', type: ActionListDto })
  @ApiErrors(400, 401, 404)
  list(@Query() query: ActionListQueryDto): Promise<ActionListResponse> {
    return this.actions.list(query);
  }

  @Patch('actions')
  @OrgAccess('contribute')
  @ZodOk({
    description:
      'Assigns and/or dates many actions at once, all or nothing: each item names the version you read, and one stale version answers 412 with every stale action in `current` and nothing changed. Contributors may only re-date actions they own. Each action is audited as a single update.',
    type: BulkUpdateActionsResponseDto,
  })
  @ApiErrors(400, 401, 403, 404, 412)
  bulkUpdate(@Body() body: BulkUpdateActionsDto): Promise<BulkUpdateActionsResponse> {
    return this.actions.bulkUpdate(body);
  }

  @Get('actions/export.csv')
  @OrgAccess('read')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="actions.csv"')
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'Every action as CSV (formula-injection safe)', schema: { type: 'string' } })
  @ApiErrors(401, 404)
  exportCsv(): Promise<string> {
    return this.actions.exportCsv();
  }

  @Post('actions')
  @OrgAccess('manage')
  @ZodOk({ status: 201, description: 'The new action', type: ActionDto })
  @ApiErrors(400, 401, 403, 404)
  create(@Body() body: CreateActionDto): Promise<Action> {
    return this.actions.create(body);
  }

  @Get('actions/:id')
  @OrgAccess('read')
  @ZodOk({ description: 'One action (ETag: its version)', type: ActionDto })
  @ApiErrors(401, 404)
  async get(@Param('id', ActionId) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Action> {
    const action = await this.actions.get(id);
    void reply.header('etag', etagOf(action.version));
    return action;
  }

  @Patch('actions/:id')
  @OrgAccess('contribute')
  @ApiHeader({ name: 'If-Match', required: false, description: 'Optional: the ETag you read; a stale one answers 412 with `current`' })
  @ZodOk({ description: 'The updated action (status moves per docs/PRODUCT.md §7.2; done needs a closing note; risk acceptance never for critical items)', type: ActionDto })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  async update(@Param('id', ActionId) id: string, @Body() body: UpdateActionDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<Action> {
    const action = await this.actions.update(id, body, parseIfMatch(ifMatch));
    void reply.header('etag', etagOf(action.version));
    return action;
  }

  @Post('assessments/:id/actions/suggest')
  @OrgAccess('manage')
  @ZodOk({ status: 200, description: 'Suggests one action per applicable item below target; idempotent', type: SuggestDto })
  @ApiErrors(401, 403, 404)
  suggest(@Param('id', AssessmentId) id: string): Promise<SuggestActionsResponse> {
    return this.actions.suggest(id);
  }

  @Post('assessments/:id/what-if')
  @OrgAccess('read')
  @ZodOk({ status: 200, description: 'Projected score, band and explanation if these actions were done', type: WhatIfResponseDto })
  @ApiErrors(400, 401, 404)
  whatIf(@Param('id', AssessmentId) id: string, @Body() body: WhatIfDto): Promise<WhatIfResponse> {
    return this.actions.whatIf(id, body);
  }
}
