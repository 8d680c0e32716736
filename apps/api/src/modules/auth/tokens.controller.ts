import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiParam, ApiTags } from '@nestjs/swagger';

import { type ApiTokenPage, type CreateApiTokenResponse, hasSecondFactor } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError } from '../../common/app-error.js';
import { Authenticated, type AuthContext, CurrentAuth } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { ApiTokenService } from './api-token.service.js';
import { ApiTokenPageDto, CreateApiTokenDto, CreateApiTokenResponseDto, TokenPageQueryDto } from './tokens.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Personal API tokens: `Authorization: Bearer hoh_pat_…` acts as their owner on every route, without CSRF. */
@ApiTags('identity')
@Controller('v1/auth/tokens')
export class TokensController {
  constructor(private readonly tokens: ApiTokenService) {}

  @Get()
  @Authenticated()
  @ZodOk({ description: 'Your API tokens that are not revoked, with when each was last used; never the secret', type: ApiTokenPageDto })
  @ApiErrors(400, 401)
  list(@CurrentAuth() auth: AuthContext, @Query() query: TokenPageQueryDto): Promise<ApiTokenPage> {
    return this.tokens.list(auth.userId, query.limit, query.cursor);
  }

  @Post()
  @Authenticated()
  @ZodOk({
    status: 201,
    description:
      'The new token. `token` is the secret, shown this once: store it now; only its SHA-256 is kept. When an organisation you belong to requires a second factor, only a session signed in with one may create a token (else 403 SECOND_FACTOR_REQUIRED); a token counts as the session that made it did',
    type: CreateApiTokenResponseDto,
  })
  @ApiErrors(400, 401, 403)
  async create(@CurrentAuth() auth: AuthContext, @Body() body: CreateApiTokenDto): Promise<CreateApiTokenResponse> {
    // A stolen token must not be able to mint longer-lived ones; new tokens need a signed-in person.
    if (auth.apiToken) throw new AppError('FORBIDDEN', 'API tokens cannot create tokens. Sign in to the web app and create it there.');
    const secondFactor = hasSecondFactor(auth.authMethods ?? []);
    if (!secondFactor && (await this.tokens.secondFactorRequired(auth.userId))) {
      throw new AppError(
        'SECOND_FACTOR_REQUIRED',
        'An organisation you belong to requires two-factor authentication, so API tokens can only be created from a session signed in with it. Set it up in Account → Two-factor authentication, sign in again with it, then create the token.',
      );
    }
    return this.tokens.create(auth.userId, body, secondFactor);
  }

  @Delete(':tokenId')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the token answers 401 from now on' })
  @ApiParam({ name: 'tokenId', format: 'uuid' })
  @ApiErrors(401, 403, 404)
  async revoke(@CurrentAuth() auth: AuthContext, @Param('tokenId') tokenId: string): Promise<void> {
    if (!UUID.test(tokenId)) throw new AppError('NOT_FOUND', 'No such API token among yours. List them with GET /api/v1/auth/tokens.');
    await this.tokens.revoke(auth.userId, tokenId);
  }
}
