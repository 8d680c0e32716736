import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiParam, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import {
  type Notification,
  NotificationListQuerySchema,
  type NotificationListResponse,
  NotificationListResponseSchema,
  NotificationSchema,
  type NotificationsReadAllResponse,
  NotificationsReadAllResponseSchema,
} from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError, notFound } from '../../common/app-error.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { NotificationsService } from './notifications.service.js';

class NotificationDto extends createZodDto(NotificationSchema) {}
class NotificationListDto extends createZodDto(NotificationListResponseSchema) {}
class NotificationListQueryDto extends createZodDto(NotificationListQuerySchema) {}
class NotificationsReadAllDto extends createZodDto(NotificationsReadAllResponseSchema) {}

const NotificationId = new ParseUUIDPipe({ exceptionFactory: () => notFound('notification') });
const NO_BODY = { required: false, description: 'No body, or an empty object', schema: { type: 'object', additionalProperties: false } } as const;

/** Strict like every other contract: a body these routes would silently ignore is a client mistake. */
function refuseBody(body: unknown): void {
  const empty = body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
  if (!empty) throw new AppError('VALIDATION_FAILED', 'Send no body (or {}) to mark notifications read.', { details: [{ path: '', message: 'Unexpected body' }] });
}

/** The signed-in member's own notifications in an organisation (docs/API.md, notifications). */
@ApiTags('notifications')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @OrgAccess('read')
  @ZodOk({ description: "The signed-in member's notifications, newest first, paged, with the number unread", type: NotificationListDto })
  @ApiErrors(400, 401, 404)
  list(@Query() query: NotificationListQueryDto): Promise<NotificationListResponse> {
    return this.notifications.list(query.limit, query.cursor);
  }

  @Post('read-all')
  @OrgAccess('read')
  @ApiBody(NO_BODY)
  @ZodOk({ description: "Marks every unread notification of the signed-in member read; answers how many it marked", type: NotificationsReadAllDto })
  @ApiErrors(400, 401, 404)
  readAll(@Body() body: unknown): Promise<NotificationsReadAllResponse> {
    refuseBody(body);
    return this.notifications.markAllRead();
  }

  @Post(':id/read')
  @OrgAccess('read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody(NO_BODY)
  @ZodOk({ description: 'Marks one notification read (again: keeps the first time); 404 when it is not one of yours', type: NotificationDto })
  @ApiErrors(400, 401, 404)
  read(@Param('id', NotificationId) id: string, @Body() body: unknown): Promise<Notification> {
    refuseBody(body);
    return this.notifications.markRead(id);
  }
}
