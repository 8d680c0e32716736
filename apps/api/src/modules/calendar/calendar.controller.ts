import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';

import { type CalendarFeed, type CalendarFeedCreated, CalendarFeedCreatedSchema, CalendarFeedSchema } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError } from '../../common/app-error.js';
import { type AuthContext, CurrentAuth, OrgAccess, Public } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { CalendarFeedService } from './calendar-feed.service.js';

class CalendarFeedDto extends createZodDto(CalendarFeedSchema) {}
class CalendarFeedCreatedDto extends createZodDto(CalendarFeedCreatedSchema) {}

const NO_BODY = { required: false, description: 'No body, or an empty object', schema: { type: 'object', additionalProperties: false } } as const;

/** Strict like every other contract: a body this route would silently ignore is a client mistake. */
function refuseBody(body: unknown): void {
  const empty = body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
  if (!empty) throw new AppError('VALIDATION_FAILED', 'Send no body (or {}) to make a calendar address.', { details: [{ path: '', message: 'Unexpected body' }] });
}

/** The signed-in member's own calendar address in an organisation (docs/API.md, calendar feed). */
@ApiTags('calendar')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/calendar-feed')
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get()
  @OrgAccess('read')
  @ZodOk({ description: 'Whether you have a calendar address in this organisation, and since when (the address itself is shown only when made)', type: CalendarFeedDto })
  @ApiErrors(401, 404)
  status(): Promise<CalendarFeed> {
    return this.feeds.status();
  }

  @Post()
  @OrgAccess('read')
  @ApiBody(NO_BODY)
  @ZodOk({
    status: 201,
    description: 'A new private calendar address, shown once; any previous one answers 404 from now on. Subscribe to it from Outlook or Google Calendar',
    type: CalendarFeedCreatedDto,
  })
  @ApiErrors(400, 401, 403, 404)
  create(@CurrentAuth() auth: AuthContext, @Body() body: unknown): Promise<CalendarFeedCreated> {
    refuseBody(body);
    // The address never expires, so a (possibly expiring) API token must not be able to mint one.
    if (auth.apiToken) throw new AppError('FORBIDDEN', 'API tokens cannot make calendar addresses. Sign in to the web app and make it under Settings → Calendar.');
    return this.feeds.create();
  }

  @Delete()
  @OrgAccess('read')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (or there was none): the address answers 404 from now on' })
  @ApiErrors(401, 403, 404)
  async revoke(): Promise<void> {
    await this.feeds.revoke();
  }
}

/**
 * The feed itself: public because calendar apps send no cookie; the 256-bit token in the path is the
 * whole credential (looked up by its SHA-256, never logged: app.setup.ts redactPath), so it cannot be
 * guessed and needs no throttle. Unknown, revoked, rotated-away or malformed: 404.
 */
@ApiTags('calendar')
@Controller('v1/calendar')
export class CalendarFeedFileController {
  constructor(private readonly feeds: CalendarFeedService) {}

  // A static `.ics` suffix after the parameter (find-my-way matches it); anything else under /calendar is an unknown route, 404.
  @Get(':token.ics')
  @Public()
  @ApiParam({ name: 'token', description: 'The hoh_cal_… token, exactly as the address was given' })
  @ApiProduces('text/calendar')
  @ApiResponse({
    status: 200,
    description: "The member's dates as iCalendar (RFC 5545): open actions' due dates, evidence expiries and the annual review, one all-day event each with a stable UID",
    content: { 'text/calendar': { schema: { type: 'string' } } },
  })
  @ApiErrors(404)
  async file(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const text = await this.feeds.render(token);
    // Set only once the feed is built, so a 404 keeps the JSON error envelope's type.
    void reply.type('text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="hand-on-heart.ics"');
    return text;
  }
}
