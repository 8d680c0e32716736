import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { MeResponse, PasskeyOptions, RecoveryCodes, SecondFactorStatus, TotpEnrolment } from '@hoh/contracts';

import { ApiErrors } from '../../../common/api-errors.decorator.js';
import { Authenticated, type AuthContext, CurrentAuth, Public } from '../../../common/auth/access.decorators.js';
import { ZodOk } from '../../../common/zod-response.decorator.js';
import { SignedIn } from '../account.controller.js';
import { MeResponseDto } from '../auth.dto.js';
import { AuthService } from '../auth.service.js';
import { PasskeyOptionsDto } from '../passkeys/passkeys.dto.js';
import { setSessionCookie } from '../session-cookie.js';
import { SessionService } from '../session.service.js';
import {
  ConfirmTotpDto,
  RecoveryCodesDto,
  SecondFactorChallengeRefDto,
  SecondFactorProofDto,
  SecondFactorSignInDto,
  SecondFactorStatusDto,
  TotpEnrolmentDto,
} from './second-factor.dto.js';
import { SecondFactorService } from './second-factor.service.js';
import { SignInChallengeService } from './sign-in-challenge.service.js';

/** Two factors (docs/API.md §2.9; rules in docs/PRODUCT.md §2.7): the second step of a sign-in, and a person's own TOTP and recovery codes. */
@ApiTags('identity')
@Controller('v1/auth')
export class SecondFactorController {
  constructor(
    private readonly challenges: SignInChallengeService,
    private readonly factors: SecondFactorService,
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  @Post('sign-in/second-factor')
  @Public()
  @ZodOk({
    status: 200,
    description:
      'Completes a sign-in whose password was right with one second factor: {"challenge","totp"}, {"challenge","recoveryCode"} or {"challenge","passkey"}; the session cookie is set and records both methods. Wrong factor, or a challenge expired (5 minutes), used or unknown: 401 (sign in again for the latter). Limited per client IP and per account (429)',
    type: MeResponseDto,
  })
  @ApiErrors(400, 401, 429)
  async signInSecondFactor(@Body() body: SecondFactorSignInDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<MeResponse> {
    const { token, userId, csrfToken } = await this.challenges.complete(body, req.ip);
    setSessionCookie(req, reply, token, this.sessions.ttlSeconds);
    return this.auth.me(userId, csrfToken);
  }

  @Post('sign-in/passkey-options')
  @Public()
  @ZodOk({ status: 200, description: 'Options for navigator.credentials.get for a pending sign-in: only that account\'s passkeys, user verification required. Unknown or expired challenge: 401; no passkey: 409', type: PasskeyOptionsDto })
  @ApiErrors(400, 401, 409, 429)
  signInPasskeyOptions(@Body() body: SecondFactorChallengeRefDto, @Req() req: FastifyRequest): Promise<PasskeyOptions> {
    return this.challenges.passkeyOptions(body.challenge, req.ip);
  }

  @Get('two-factor')
  @Authenticated()
  @SignedIn(false)
  @ZodOk({ description: 'Your second factors: whether TOTP is on, recovery codes left, passkeys, and whether this session was signed in with a second factor', type: SecondFactorStatusDto })
  @ApiErrors(401)
  status(@CurrentAuth() auth: AuthContext): Promise<SecondFactorStatus> {
    return this.factors.status(auth);
  }

  @Post('two-factor/totp')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({
    status: 200,
    description: 'Starts setting up an authenticator app: a new secret (otpauth:// URI and base32), shown this once and sealed on the server. It counts only after POST two-factor/totp/confirm. Already on: 409; API tokens: 403',
    type: TotpEnrolmentDto,
  })
  @ApiErrors(401, 403, 409)
  beginTotp(@CurrentAuth() auth: AuthContext): Promise<TotpEnrolment> {
    return this.factors.beginTotp(auth);
  }

  @Post('two-factor/totp/confirm')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({
    status: 200,
    description: 'The first code from the app turns TOTP on; answers ten one-time recovery codes, shown this once. This session then counts as signed in with a second factor. Wrong code: 400; nothing being set up: 409',
    type: RecoveryCodesDto,
  })
  @ApiErrors(400, 401, 403, 409)
  confirmTotp(@CurrentAuth() auth: AuthContext, @Body() body: ConfirmTotpDto): Promise<RecoveryCodes> {
    return this.factors.confirmTotp(auth, body.code);
  }

  @Post('two-factor/totp/disable')
  @Authenticated()
  @SignedIn(true)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'TOTP is off and its recovery codes are gone, after a current second factor: {"totp"}, {"recoveryCode"} or {"passkey"}. Wrong proof: 403 REAUTH_FAILED (limited per account, 429); not on: 409' })
  @ApiErrors(400, 401, 403, 409, 429)
  async disableTotp(@CurrentAuth() auth: AuthContext, @Body() body: SecondFactorProofDto): Promise<void> {
    await this.factors.disableTotp(auth, body);
  }

  @Post('two-factor/recovery-codes')
  @Authenticated()
  @SignedIn(true)
  @ZodOk({
    status: 200,
    description: 'Ten new recovery codes, shown this once; the old ones stop working. Needs a current second factor (as for disable). Wrong proof: 403 REAUTH_FAILED; TOTP not on: 409',
    type: RecoveryCodesDto,
  })
  @ApiErrors(400, 401, 403, 409, 429)
  regenerateRecoveryCodes(@CurrentAuth() auth: AuthContext, @Body() body: SecondFactorProofDto): Promise<RecoveryCodes> {
    return this.factors.regenerateRecoveryCodes(auth, body);
  }
}
