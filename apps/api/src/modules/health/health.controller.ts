import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';

import { type HealthResponse, HealthResponseSchema, type LivenessResponse, LivenessResponseSchema } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { Public } from '../../common/auth/access.decorators.js';
import { readDbRoleFacts } from '../../database/db-role-facts.js';

class HealthResponseDto extends createZodDto(HealthResponseSchema) {}
class LivenessResponseDto extends createZodDto(LivenessResponseSchema) {}

const VERSION = process.env['npm_package_version'] ?? '0.1.0';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** For process supervisors, and the benchmark's floor: no database, no session, no work. */
  @Get('live')
  @Public()
  @ZodOk({ status: 200, description: 'The process is alive (does not check the database)', type: LivenessResponseDto })
  live(): LivenessResponse {
    return { status: 'alive' };
  }

  /** 200 only when the database answers; a failure maps to 503 DATABASE_UNAVAILABLE in the filter. */
  @Get()
  @Public()
  @ZodOk({ status: 200, description: 'The API and its database answer', type: HealthResponseDto })
  @ApiErrors(503)
  async health(): Promise<HealthResponse> {
    const db = await readDbRoleFacts(this.dataSource);
    return { status: 'ok', version: VERSION, uptimeSeconds: Math.round(process.uptime()), db };
  }
}
