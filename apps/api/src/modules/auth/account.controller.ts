import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiHeader, ApiNoContentResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AccountSessionList, ChangePasswordResponse, EndSessionsResponse, PasswordResetRequestedResponse } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError } from '../../common/app-error.js';
import { Authenticated, type AuthContext, CurrentAuth, Public } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import {
  AccountSessionListDto,
  ChangePasswordDto,
  ChangePasswordResponseDto,
  EndSessionsResponseDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  PasswordResetRequestedResponseDto,
} from './account.dto.js';
import { AccountService } from './account.service.js';
import { clearSessionCookie } from './session-cookie.js';
import { SessionService } from './session.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_SUCH_SESSION = 'No such session among yours; it may have ended already. List them with GET /api/v1/auth/sessions.';

/** Cookie (with the CSRF header on writes) or bearer token: what the docs' "Authorize" button needs for these routes. */
export const SignedIn = (write: boolean) =>
  applyDecorators(
    // The scheme names main.ts's DocumentBuilder registers: 'cookie' (hoh_session) and 'bearer'.
    ApiCookieAuth('cookie'),
    ApiBearerAuth('bearer'),
    ...(write ? [ApiHeader({ name: 'X-CSRF-Token', required: false, description: 'Required with the session cookie: csrfToken from GET /api/v1/auth/me. Not needed with a bearer token.' })] : []),
  );

/** Account self-service (docs/API.md §2): password reset and change, and the caller's own sessions. */
@ApiTags('identity')
@Controller('v1/auth')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    private readonly sessions: SessionService,
  ) {}

  @Post('password-reset')
  @Public()
  @ZodOk({
    status: 202,
    description: 'Always the same answer, whether or not the address has an account; if it has, a single-use link valid for 30 minutes is emailed. Limited per address and per client IP (429 with Retry-After)',
    type: PasswordResetRequestedResponseDto,
  })
  @ApiErrors(400, 429)
  requestReset(@Body() body: PasswordResetRequestDto, @Req() req: FastifyRequest): Promise<PasswordResetRequestedResponse> {
    return this.account.requestReset(body, req.ip);
  }

  @Post('password-reset/confirm')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password set; the link is used up and every session of the account has ended: sign in with the new password' })
  @ApiErrors(400, 429)
  async confirmReset(@Body() body: PasswordResetConfirmDto, @Req() req: FastifyRequest): Promise<void> {
    await this.account.confirmReset(body, req.ip);
  }

  @Post('password')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({ status: 200, description: 'Password changed; every other session of the account has ended (this one stays). Wrong current password: 403 REAUTH_FAILED; limited per account (429)', type: ChangePasswordResponseDto })
  @ApiErrors(400, 401, 403, 429)
  changePassword(@CurrentAuth() auth: AuthContext, @Body() body: ChangePasswordDto): Promise<ChangePasswordResponse> {
    return this.account.changePassword(auth, body);
  }

  @Get('sessions')
  @Authenticated()
  @SignedIn(false)
  @ZodOk({ description: 'Your live sign-in sessions, most recently used first, with the device each signed in from; `current` marks this one', type: AccountSessionListDto })
  @ApiErrors(401)
  async listSessions(@CurrentAuth() auth: AuthContext): Promise<AccountSessionList> {
    return { items: await this.sessions.listFor(auth.userId, auth.sessionTokenHash) };
  }

  @Post('sessions/end-others')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({ status: 200, description: 'Every session of yours but this one has ended (with a bearer token: every session)', type: EndSessionsResponseDto })
  @ApiErrors(401, 403)
  async endOthers(@CurrentAuth() auth: AuthContext): Promise<EndSessionsResponse> {
    return { ended: await this.sessions.endOthers(auth.userId, auth.sessionTokenHash) };
  }

  @Delete('sessions/:sessionId')
  @Authenticated()
  @SignedIn(true)
  @HttpCode(204)
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Ended: that browser is signed out at its next request. Ending your own session also clears this cookie' })
  @ApiErrors(401, 403, 404)
  async endSession(
    @CurrentAuth() auth: AuthContext,
    @Param('sessionId') sessionId: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (!UUID.test(sessionId)) throw new AppError('NOT_FOUND', NO_SUCH_SESSION);
    const ended = await this.sessions.endOne(auth.userId, sessionId.toLowerCase());
    if (!ended) throw new AppError('NOT_FOUND', NO_SUCH_SESSION);
    if (auth.sessionTokenHash && ended.equals(auth.sessionTokenHash)) clearSessionCookie(req, reply);
  }
}
