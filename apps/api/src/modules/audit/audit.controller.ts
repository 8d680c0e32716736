import { Controller, Get, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { type AuditLogPage, AuditLogPageSchema, AuditLogQuerySchema, type AuditVerifyResponse, AuditVerifyResponseSchema } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { AuditService } from './audit.service.js';

class AuditLogQueryDto extends createZodDto(AuditLogQuerySchema) {}
class AuditLogPageDto extends createZodDto(AuditLogPageSchema) {}
class AuditVerifyDto extends createZodDto(AuditVerifyResponseSchema) {}

@ApiTags('audit')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @OrgAccess('read')
  @ZodOk({ description: 'Audit entries, oldest first, paged by sequence number; entityType (and entityId) narrow them to one kind or one entity, e.g. an answer’s history', type: AuditLogPageDto })
  @ApiErrors(400, 401, 404)
  list(@Query() query: AuditLogQueryDto): Promise<AuditLogPage> {
    return this.audit.list(query.limit, query.cursor, { entityType: query.entityType, entityId: query.entityId });
  }

  @Get('verify')
  @OrgAccess('read')
  @ZodOk({ description: 'Recomputes the hash chain; intact is false at the first break', type: AuditVerifyDto })
  @ApiErrors(401, 404)
  verify(): Promise<AuditVerifyResponse> {
    return this.audit.verify();
  }
}
