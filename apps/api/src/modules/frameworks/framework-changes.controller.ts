import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { BankChangesQuerySchema, BankChangesResponseSchema, type BankChangesResponse } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { FrameworkChangesService } from './framework-changes.service.js';

class BankChangesQueryDto extends createZodDto(BankChangesQuerySchema) {}
class BankChangesResponseDto extends createZodDto(BankChangesResponseSchema) {}

/** Organisation-scoped: it reads the profile and latest answers, so the usual not-found rules hold. */
@ApiTags('question bank')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/frameworks')
export class FrameworkChangesController {
  constructor(private readonly service: FrameworkChangesService) {}

  @Get(':frameworkId/changes')
  @OrgAccess('read')
  @ZodOk({ description: 'What a newer bank version changes for this organisation: per question, and the predicted score change', type: BankChangesResponseDto })
  @ApiErrors(400, 401, 404)
  changes(@Param('frameworkId') frameworkId: string, @Query() query: BankChangesQueryDto): Promise<BankChangesResponse> {
    return this.service.changes(frameworkId, query);
  }
}
