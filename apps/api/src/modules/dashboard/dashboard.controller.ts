import { Controller, Get } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { type DashboardResponse, DashboardResponseSchema } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { DashboardService } from './dashboard.service.js';

class DashboardDto extends createZodDto(DashboardResponseSchema) {}

@ApiTags('dashboard')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  // The overview is read far more often than anything changes; its one statement needs no transaction.
  @OrgAccess('read')
  @ZodOk({ description: 'Everything the overview shows: band, score and why, confidence, trend, domains, critical controls, actions, ready to attest', type: DashboardDto })
  @ApiErrors(401, 404)
  get(): Promise<DashboardResponse> {
    return this.dashboard.get();
  }
}
