import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AcceptInvitationRequestSchema, type AcceptInvitationResponse, type InvitationPreview, InvitationPreviewSchema } from '@hoh/contracts';
import { createZodDto } from 'nestjs-zod';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError } from '../../common/app-error.js';
import { Public } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { CredentialsService } from '../auth/credentials.service.js';
import { setSessionCookie } from '../auth/session-cookie.js';
import { SessionService } from '../auth/session.service.js';
import { InvitationsService } from './invitations.service.js';
import { AcceptInvitationDto, AcceptInvitationResponseDto } from './members.dto.js';

class InvitationPreviewDto extends createZodDto(InvitationPreviewSchema) {}

@ApiTags('members')
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly credentials: CredentialsService,
    private readonly sessions: SessionService,
  ) {}

  /**
   * Public, like accepting: the person invited may have no account yet. The token is the secret
   * (256 bits from a CSPRNG, looked up by its SHA-256, never logged: app.setup.ts redactPath), so it
   * cannot be guessed and needs no throttle; it answers only what the invitation itself says.
   */
  @Get(':token')
  @Public()
  @ApiParam({ name: 'token', description: 'The hoh_inv_… token from the invitation' })
  @ZodOk({
    description:
      'What the invitation is: organisation name, role, inviter, the invited email and expiry, and nothing else. Unknown, expired or withdrawn token: 404; already used: 409 INVALID_STATE (sign in instead).',
    type: InvitationPreviewDto,
  })
  @ApiErrors(404, 409)
  preview(@Param('token') token: string): Promise<InvitationPreview> {
    return this.invitations.preview(token);
  }

  /**
   * Public because a newcomer has no account yet; when credentials ARE sent they are checked exactly
   * as the guard would (bad token 401, cookie without CSRF 403, read-only token 403), so a forged
   * cross-site request cannot make a signed-in person join someone else's organisation.
   */
  @Post(':token/accept')
  @Public()
  @ApiParam({ name: 'token', description: 'The hoh_inv_… token from the invitation' })
  // The body is optional (signed-in callers send none), so it is parsed here rather than by the global pipe.
  @ApiBody({ type: AcceptInvitationDto, required: false })
  @ZodOk({
    status: 200,
    description:
      'Joined with the invited role. Signed in: joins as you. Not signed in: {name, email, password} (email = the invited address) creates the account, joins and sets the session cookie. Unknown, expired or withdrawn token: 404; already used: 409 INVALID_STATE; address already registered while not signed in: 409 EMAIL_IN_USE (sign in first).',
    type: AcceptInvitationResponseDto,
  })
  @ApiErrors(400, 401, 403, 404, 409, 429)
  async accept(
    @Param('token') token: string,
    @Body() rawBody: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptInvitationResponse> {
    const caller = (await this.credentials.identify(req))?.auth ?? null;
    if (caller) {
      this.credentials.checkCsrf(req, caller);
      this.credentials.checkTokenScope(req, caller);
    }
    const parsed = AcceptInvitationRequestSchema.safeParse(rawBody ?? {});
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', 'Some fields are invalid; correct them and send the request again.', {
        details: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      });
    }
    const { response, sessionToken } = await this.invitations.accept(token, caller, parsed.data, req.ip);
    if (sessionToken) setSessionCookie(req, reply, sessionToken, this.sessions.ttlSeconds);
    return response;
  }
}
