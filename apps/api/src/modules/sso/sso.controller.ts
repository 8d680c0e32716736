import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Post, Put, Redirect, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiFoundResponse, ApiHeader, ApiNoContentResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createZodDto } from 'nestjs-zod';

import { SsoConfigRequestSchema, SsoSettingsResponseSchema, type SsoSettingsResponse, SsoStartRequestSchema, SsoStartResponseSchema, type SsoStartResponse } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError } from '../../common/app-error.js';
import { type AuthContext, CurrentAuth, OrgAccess, Public } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { AppConfig } from '../../config/app-config.js';
import { storableUserAgent } from '../auth/device.js';
import { setSessionCookie } from '../auth/session-cookie.js';
import { SessionService } from '../auth/session.service.js';
import { SSO_LOGIN_TTL_SECONDS, SsoSignInService } from './sso-sign-in.service.js';
import { SsoSettingsService } from './sso-settings.service.js';

class SsoConfigDto extends createZodDto(SsoConfigRequestSchema) {}
class SsoSettingsDto extends createZodDto(SsoSettingsResponseSchema) {}
class SsoStartDto extends createZodDto(SsoStartRequestSchema) {}
class SsoStartResponseDto extends createZodDto(SsoStartResponseSchema) {}

const noTokens = (auth: AuthContext) => {
  // How people sign in is changed by a person at the keyboard, like a password: never by a script's token.
  if (auth.apiToken) throw new AppError('FORBIDDEN', 'API tokens cannot change single sign-on. Sign in to the web app and change it under Settings → Single sign-on.');
};

// The scheme names main.ts's DocumentBuilder registers: 'cookie' (hoh_session) and 'bearer'. Reading
// takes either; changing takes the cookie only (noTokens), with the CSRF header.
const ReadsWith = () => applyDecorators(ApiCookieAuth('cookie'), ApiBearerAuth('bearer'));
const ChangesWith = () =>
  applyDecorators(ApiCookieAuth('cookie'), ApiHeader({ name: 'X-CSRF-Token', required: true, description: 'csrfToken from GET /api/v1/auth/me (API tokens cannot change single sign-on)' }));

/** An organisation's OpenID provider (docs/API.md §2.8): owners only. */
@ApiTags('identity')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/sso')
export class SsoSettingsController {
  constructor(private readonly settings: SsoSettingsService) {}

  @Get()
  @OrgAccess('administer')
  @ReadsWith()
  @ZodOk({ description: 'The redirect URI to register with the provider, and the configuration (null until saved); never the client secret', type: SsoSettingsDto })
  @ApiErrors(401, 403, 404)
  read(): Promise<SsoSettingsResponse> {
    return this.settings.read();
  }

  @Put()
  @OrgAccess('administer')
  @ChangesWith()
  @ZodOk({
    description: 'Saved after discovering the issuer. 400 when the issuer is not an OpenID provider this server can reach (or not https); 409 INVALID_STATE when another organisation claims a domain',
    type: SsoSettingsDto,
  })
  @ApiErrors(400, 401, 403, 404, 409)
  save(@CurrentAuth() auth: AuthContext, @Body() body: SsoConfigDto): Promise<SsoSettingsResponse> {
    noTokens(auth);
    return this.settings.save(body);
  }

  @Delete()
  @OrgAccess('administer')
  @ChangesWith()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed (or there was none): the domains are free and sign-ins under way end' })
  @ApiErrors(401, 403, 404)
  async remove(@CurrentAuth() auth: AuthContext): Promise<void> {
    noTokens(auth);
    await this.settings.remove();
  }
}

const BROWSER_COOKIE = 'hoh_sso';
const SECURE_BROWSER_COOKIE = '__Secure-hoh_sso';
const COOKIE_PATH = '/api/v1/auth/sso';
const isSecure = (request: FastifyRequest) => request.protocol === 'https';

/** Sign-in through an organisation's provider (docs/API.md §2.8): public, like sign-in. */
@ApiTags('identity')
@Controller('v1/auth/sso')
export class SsoSignInController {
  constructor(
    private readonly signIn: SsoSignInService,
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
  ) {}

  @Post('start')
  @Public()
  @HttpCode(200)
  @ZodOk({
    status: 200,
    description:
      '`{sso: true, authorizationUrl}` when an organisation signs this address\'s domain in through its provider (open the URL in the same browser: a cookie binds the sign-in to it), else `{sso: false}`: sign in with the password. Says nothing about whether an account exists. Limited per client IP (429)',
    type: SsoStartResponseDto,
  })
  @ApiErrors(400, 429)
  async start(@Body() body: SsoStartDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SsoStartResponse> {
    const { response, browserSecret } = await this.signIn.start(body.email, req.ip);
    if (browserSecret) {
      const secure = isSecure(req);
      // Lax, not Strict: the provider sends the browser back with a cross-site top-level navigation.
      void reply.setCookie(secure ? SECURE_BROWSER_COOKIE : BROWSER_COOKIE, browserSecret, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: SSO_LOGIN_TTL_SECONDS });
    }
    return response;
  }

  @Get('callback')
  @Public()
  @Redirect(undefined, 303)
  @ApiFoundResponse({ description: '303 to the web app, signed in; or to /sign-in?sso_error=<code> (expired, provider, invalid, unavailable, email_unverified, domain, account_exists) with nothing changed' })
  async callback(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ url: string; statusCode: number }> {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const secret = req.cookies[SECURE_BROWSER_COOKIE] ?? req.cookies[BROWSER_COOKIE];
    const outcome = await this.signIn.callback(query, secret, storableUserAgent(req.headers['user-agent']));
    const secure = isSecure(req);
    void reply.clearCookie(secure ? SECURE_BROWSER_COOKIE : BROWSER_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure });
    void reply.header('cache-control', 'no-store');
    if (!outcome.ok) return { url: `${this.config.publicUrl}/sign-in?sso_error=${outcome.error}`, statusCode: 303 };
    setSessionCookie(req, reply, outcome.token, this.sessions.ttlSeconds);
    return { url: `${this.config.publicUrl}/`, statusCode: 303 };
  }
}
