import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';

import { NotificationPreferencesRequestSchema, type NotificationPreferencesResponse, NotificationPreferencesResponseSchema } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { etagOf, parseIfMatch } from '../../common/concurrency.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { NotificationPreferencesService } from './notification-preferences.service.js';

class NotificationPreferencesDto extends createZodDto(NotificationPreferencesResponseSchema) {}
class NotificationPreferencesRequestDto extends createZodDto(NotificationPreferencesRequestSchema) {}

/** The signed-in member's own delivery choices in an organisation (docs/PRODUCT.md §14, docs/API.md). */
@ApiTags('notifications')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get()
  @OrgAccess('read')
  @ZodOk({ description: "The signed-in member's delivery per notification kind, with what their role must receive; ETag and `version` are the If-Match of a save", type: NotificationPreferencesDto })
  @ApiErrors(401, 404)
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<NotificationPreferencesResponse> {
    const prefs = await this.preferences.get();
    void reply.header('etag', etagOf(prefs.version));
    return prefs;
  }

  @Put()
  @OrgAccess('read')
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version you read ("0" before the first save); a stale one answers 412 with `current`' })
  @ZodOk({ description: "Replaces the signed-in member's choices (a kind left out is immediately); a kind the role must receive cannot be off", type: NotificationPreferencesDto })
  @ApiErrors(400, 401, 403, 404, 412, 428)
  async put(@Body() body: NotificationPreferencesRequestDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<NotificationPreferencesResponse> {
    const prefs = await this.preferences.put(body, parseIfMatch(ifMatch));
    void reply.header('etag', etagOf(prefs.version));
    return prefs;
  }
}
