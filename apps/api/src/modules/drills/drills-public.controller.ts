import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { type DrillFirstHourResponse, DrillFirstHourResponseSchema } from '@hoh/contracts';

import { Public } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { DrillsService } from './drills.service.js';

class DrillFirstHourDto extends createZodDto(DrillFirstHourResponseSchema) {}

/**
 * Public, no sign-in (docs/PRODUCT.md §15.7): the found-suspected-material page shows anyone each
 * scenario's organisation-neutral first-hour steps. Library words only; nothing of any organisation.
 */
@ApiTags('drills')
@Controller('v1/drills')
export class DrillsPublicController {
  constructor(private readonly drills: DrillsService) {}

  @Get('first-hour')
  @Public()
  @ZodOk({ description: "Each drill scenario's organisation-neutral first-hour steps, from the current scenario library (no sign-in)", type: DrillFirstHourDto })
  firstHour(): DrillFirstHourResponse {
    return this.drills.firstHour();
  }
}
