import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { MeResponse, SignInResponse } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { Authenticated, type AuthContext, CurrentAuth, Public } from '../../common/auth/access.decorators.js';
import { MeResponseDto, SignInDto, SignUpDto } from './auth.dto.js';
import { SignInResponseDto } from './second-factor/second-factor.dto.js';
import { storableUserAgent } from './device.js';
import { AuthService } from './auth.service.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { SessionService } from './session.service.js';

@ApiTags('identity')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  @Post('sign-up')
  @Public()
  @ZodOk({ status: 201, description: 'Account, organisation and session created. Limited per client IP (429 with Retry-After).', type: MeResponseDto })
  @ApiErrors(400, 409, 429)
  async signUp(@Body() body: SignUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<MeResponse> {
    const { token, me } = await this.auth.signUp(body, req.ip, storableUserAgent(req.headers['user-agent']));
    setSessionCookie(req, reply, token, this.sessions.ttlSeconds);
    return me;
  }

  @Post('sign-in')
  @Public()
  @ZodOk({
    status: 200,
    description:
      'Signed in; the session cookie is set. An account with a second factor gets {"secondFactorRequired": true, "challenge", "methods", "expiresAt"} instead, and no cookie: complete it with POST /api/v1/auth/sign-in/second-factor within 5 minutes. Failures are limited per account and per client IP, counted before the password is checked (429 with Retry-After).',
    type: SignInResponseDto,
  })
  @ApiErrors(400, 401, 429)
  async signIn(@Body() body: SignInDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SignInResponse> {
    const result = await this.auth.signIn(body, req.ip, storableUserAgent(req.headers['user-agent']));
    if ('challenge' in result) return result.challenge;
    setSessionCookie(req, reply, result.token, this.sessions.ttlSeconds);
    return result.me;
  }

  @Post('sign-out')
  @Authenticated()
  @HttpCode(204)
  @ApiErrors(401, 403)
  async signOut(@CurrentAuth() auth: AuthContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    if (auth.sessionTokenHash) await this.sessions.revoke(auth.sessionTokenHash);
    clearSessionCookie(req, reply);
  }

  @Get('me')
  @Authenticated()
  @ZodOk({ status: 200, description: 'The signed-in user, their memberships and the CSRF token', type: MeResponseDto })
  @ApiErrors(401)
  me(@CurrentAuth() auth: AuthContext): Promise<MeResponse> {
    return this.auth.me(auth.userId, auth.csrfToken ?? '');
  }
}
