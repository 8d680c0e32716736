import { Body, Controller, Get, Headers, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import type { ApplicabilityResponse, ExposureResponse, MemberPage, OrganisationResponse, ProfileResponse } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { etagOf, parseIfMatch } from '../../common/concurrency.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import {
  ApplicabilityResponseDto,
  ExposureResponseDto,
  MemberPageDto,
  OrganisationResponseDto,
  PageQueryDto,
  ProfileResponseDto,
  PutProfileDto,
  UpdateOrganisationDto,
} from './organisations.dto.js';
import { OrganisationsService } from './organisations.service.js';
import { ProfileService } from './profile.service.js';

const IF_MATCH = { name: 'If-Match', required: false, description: 'Optional: the ETag you read; a stale one answers 412 with `current`' };

@ApiTags('organisations')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly profiles: ProfileService,
  ) {}

  @Get()
  @OrgAccess('read')
  @ZodOk({ description: 'The organisation (ETag: its version)', type: OrganisationResponseDto })
  @ApiErrors(401, 404)
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<OrganisationResponse> {
    const org = await this.organisations.get();
    void reply.header('etag', etagOf(org.version));
    return org;
  }

  @Patch()
  @OrgAccess('administer')
  @ApiHeader(IF_MATCH)
  @ZodOk({ description: 'Updated organisation', type: OrganisationResponseDto })
  @ApiErrors(400, 401, 403, 404, 412)
  async update(@Body() body: UpdateOrganisationDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<OrganisationResponse> {
    const org = await this.organisations.update(body, parseIfMatch(ifMatch));
    void reply.header('etag', etagOf(org.version));
    return org;
  }

  @Get('members')
  @OrgAccess('read')
  @ZodOk({ description: 'Members and their roles, paged', type: MemberPageDto })
  @ApiErrors(400, 401, 404)
  members(@Query() query: PageQueryDto): Promise<MemberPage> {
    return this.organisations.members(query.limit, query.cursor);
  }

  @Get('profile')
  @OrgAccess('read')
  @ZodOk({ description: 'The organisation profile (null until described); ETag: its version', type: ProfileResponseDto })
  @ApiErrors(401, 404)
  async getProfile(@Res({ passthrough: true }) reply: FastifyReply): Promise<ProfileResponse> {
    const profile = await this.profiles.get();
    void reply.header('etag', etagOf(profile.version));
    return profile;
  }

  @Put('profile')
  @OrgAccess('manage')
  @ApiHeader(IF_MATCH)
  @ZodOk({ description: 'The saved profile; changed facts are confirmed as of now unless confirmedAt says otherwise', type: ProfileResponseDto })
  @ApiErrors(400, 401, 403, 404, 412)
  async putProfile(@Body() body: PutProfileDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProfileResponse> {
    const profile = await this.profiles.put(body, parseIfMatch(ifMatch));
    void reply.header('etag', etagOf(profile.version));
    return profile;
  }

  @Get('applicability')
  @OrgAccess('read')
  @ZodOk({ description: 'Every question of the current bank: applicable or not, critical or not, and why', type: ApplicabilityResponseDto })
  @ApiErrors(401, 404, 409)
  applicability(): Promise<ApplicabilityResponse> {
    return this.profiles.applicability();
  }

  @Post('applicability/preview')
  @OrgAccess('read')
  @ZodOk({ status: 200, description: 'Applicability for a draft profile, without saving it (the profile wizard’s live preview)', type: ApplicabilityResponseDto })
  @ApiErrors(400, 401, 404)
  preview(@Body() body: PutProfileDto): ApplicabilityResponse {
    return this.profiles.applicabilityOf(body);
  }

  @Get('exposure')
  @OrgAccess('read')
  @ZodOk({ description: 'Regulatory exposure map: regime × measure, applies or not, and why', type: ExposureResponseDto })
  @ApiErrors(401, 404, 409)
  exposure(): Promise<ExposureResponse> {
    return this.profiles.exposure();
  }
}
