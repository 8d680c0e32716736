import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { type PeerComparison, PeerComparisonSchema, PeerSettingsRequestSchema } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { PeersService } from './peers.service.js';

class PeerComparisonDto extends createZodDto(PeerComparisonSchema) {}
class PeerSettingsDto extends createZodDto(PeerSettingsRequestSchema) {}

/** The peer benchmark, as an organisation sees and joins it (docs/PRODUCT.md §16.4, docs/API.md peers). */
@ApiTags('peers')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/peers')
export class PeersController {
  constructor(private readonly peers: PeersService) {}

  @Get()
  @OrgAccess('read')
  @ZodOk({
    description: 'You vs peers: the newest signed score and domain scores against the finest published cohort (median and quartiles in whole points, its size and date); `reason` says why nothing is shown',
    type: PeerComparisonDto,
  })
  @ApiErrors(401, 404)
  get(): Promise<PeerComparison> {
    return this.peers.comparison();
  }

  @Put('settings')
  @OrgAccess('administer')
  @ZodOk({ description: 'Takes part in (optIn: true) or leaves the peer benchmark; owners only (403), audited. Leaving deletes the contribution', type: PeerComparisonDto })
  @ApiErrors(400, 401, 403, 404)
  settings(@Body() body: PeerSettingsDto): Promise<PeerComparison> {
    return this.peers.setOptIn(body.optIn);
  }
}
