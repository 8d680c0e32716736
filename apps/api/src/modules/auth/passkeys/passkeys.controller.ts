import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { EmailVerificationResponse, Passkey, PasskeyList, PasskeyOptions } from '@hoh/contracts';

import { ApiErrors } from '../../../common/api-errors.decorator.js';
import { Authenticated, type AuthContext, CurrentAuth, Public } from '../../../common/auth/access.decorators.js';
import { ZodOk } from '../../../common/zod-response.decorator.js';
import { SignedIn } from '../account.controller.js';
import { EmailVerificationService } from '../verification/email-verification.service.js';
import { PasskeyService } from './passkey.service.js';
import {
  CreatePasskeyDto,
  EmailVerificationConfirmDto,
  EmailVerificationResponseDto,
  PasskeyDto,
  PasskeyListDto,
  PasskeyOptionsDto,
  RemovePasskeyDto,
  RenamePasskeyDto,
} from './passkeys.dto.js';

/** Email verification and passkeys (docs/API.md §2.7; rules in docs/PRODUCT.md §2.5). */
@ApiTags('identity')
@Controller('v1/auth')
export class PasskeysController {
  constructor(
    private readonly passkeys: PasskeyService,
    private readonly verification: EmailVerificationService,
  ) {}

  @Post('email-verification')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({ status: 202, description: 'A new single-use confirmation link (24 hours) is emailed to your address; earlier links stop working. Already confirmed: 409. Limited per account and per client IP (429)', type: EmailVerificationResponseDto })
  @ApiErrors(401, 403, 409, 429)
  resendVerification(@CurrentAuth() auth: AuthContext, @Req() req: FastifyRequest): Promise<EmailVerificationResponse> {
    return this.verification.resend(auth, req.ip);
  }

  @Post('email-verification/confirm')
  @Public()
  @ZodOk({ status: 200, description: 'The address the link was mailed to is confirmed. An unknown, used, expired or withdrawn link: 400 with a token detail, nothing changed. Limited per client IP (429)', type: EmailVerificationResponseDto })
  @ApiErrors(400, 429)
  confirmVerification(@Body() body: EmailVerificationConfirmDto, @Req() req: FastifyRequest): Promise<EmailVerificationResponse> {
    return this.verification.confirm(body, req.ip);
  }

  @Get('passkeys')
  @Authenticated()
  @SignedIn(false)
  @ZodOk({ description: 'Your passkeys, oldest first', type: PasskeyListDto })
  @ApiErrors(401)
  async list(@CurrentAuth() auth: AuthContext): Promise<PasskeyList> {
    return { items: await this.passkeys.list(auth.userId) };
  }

  @Post('passkeys/registration-options')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({ status: 200, description: 'Options for navigator.credentials.create (rpID and origin from PUBLIC_URL, user verification required); the challenge works once, for 5 minutes. Session only (API tokens: 403)', type: PasskeyOptionsDto })
  @ApiErrors(401, 403)
  registrationOptions(@CurrentAuth() auth: AuthContext): Promise<PasskeyOptions> {
    return this.passkeys.registrationOptions(auth);
  }

  @Post('passkeys')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({ status: 201, description: 'The passkey is verified and added. A response for another site or address, to an expired, used or foreign challenge, or altered: 400, nothing added. The same authenticator twice: 409', type: PasskeyDto })
  @ApiErrors(400, 401, 403, 409)
  create(@CurrentAuth() auth: AuthContext, @Body() body: CreatePasskeyDto): Promise<Passkey> {
    return this.passkeys.register(auth, body);
  }

  @Post('passkeys/assertion-options')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({ status: 200, description: 'Options for navigator.credentials.get to prove it is you (removing a passkey, signing off): only your passkeys, user verification required, the challenge works once for 5 minutes. No passkey: 409', type: PasskeyOptionsDto })
  @ApiErrors(401, 403, 409)
  assertionOptions(@CurrentAuth() auth: AuthContext): Promise<PasskeyOptions> {
    return this.passkeys.assertionOptions(auth.userId, 'reauth');
  }

  @Patch('passkeys/:passkeyId')
  @Authenticated()
  @SignedIn(true)
  @ApiParam({ name: 'passkeyId', format: 'uuid' })
  @ZodOk({ status: 200, description: 'Renamed. Not yours, or no such passkey: 404', type: PasskeyDto })
  @ApiErrors(400, 401, 403, 404)
  rename(@CurrentAuth() auth: AuthContext, @Param('passkeyId') passkeyId: string, @Body() body: RenamePasskeyDto): Promise<Passkey> {
    return this.passkeys.rename(auth.userId, passkeyId, body.name);
  }

  @Post('passkeys/:passkeyId/remove')
  @Authenticated()
  @SignedIn(true)
  @HttpCode(204)
  @ApiParam({ name: 'passkeyId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed, after proof that it is you: {"password"} (counted like a sign-in, 429) or {"passkey": assertion} answering assertion-options. Wrong proof: 403 REAUTH_FAILED; not yours: 404; API tokens: 403' })
  @ApiErrors(400, 401, 403, 404, 429)
  async remove(@CurrentAuth() auth: AuthContext, @Param('passkeyId') passkeyId: string, @Body() body: RemovePasskeyDto, @Req() req: FastifyRequest): Promise<void> {
    await this.passkeys.remove(auth, passkeyId, body, req.ip);
  }
}
