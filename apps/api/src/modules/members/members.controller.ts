import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiParam, ApiTags } from '@nestjs/swagger';

import type { CreateInvitationResponse, InvitationPage, Member } from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { notFound } from '../../common/app-error.js';
import { OrgAccess } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { InvitationsService } from './invitations.service.js';
import {
  CreateInvitationDto,
  CreateInvitationResponseDto,
  InvitationPageDto,
  InvitationPageQueryDto,
  MemberResponseDto,
  UpdateMemberDto,
} from './members.dto.js';
import { MembersService } from './members.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A malformed id can match nothing, so it answers like an unknown one.
function uuidOr404(id: string, what: string): string {
  if (!UUID.test(id)) throw notFound(what);
  return id.toLowerCase();
}

/** Members and invitations of one organisation (owners only). GET …/members stays in OrganisationsController. */
@ApiTags('members')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
  ) {}

  @Patch('members/:userId')
  @OrgAccess('administer')
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ZodOk({
    description:
      'The member after the change. Takes effect from their next request. Designating an accountable individual (owner or assessor only) undesignates the previous one; the last owner cannot be demoted (409).',
    type: MemberResponseDto,
  })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@Param('userId') userId: string, @Body() body: UpdateMemberDto): Promise<Member> {
    return this.members.update(uuidOr404(userId, 'member'), body);
  }

  @Delete('members/:userId')
  @OrgAccess('administer')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Removed; their next request to this organisation answers 404. The last owner cannot be removed (409).',
  })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiErrors(401, 403, 404, 409)
  async remove(@Param('userId') userId: string): Promise<void> {
    await this.members.remove(uuidOr404(userId, 'member'));
  }

  @Post('invitations')
  @OrgAccess('administer')
  @ZodOk({
    status: 201,
    description:
      'The invitation with its single-use token and accept path, shown this once (only a SHA-256 is stored). No email is sent: pass the link on. Expires after INVITATION_TTL_DAYS.',
    type: CreateInvitationResponseDto,
  })
  @ApiErrors(400, 401, 403, 404, 409)
  invite(@Body() body: CreateInvitationDto): Promise<CreateInvitationResponse> {
    return this.invitations.create(body);
  }

  @Get('invitations')
  @OrgAccess('administer')
  @ZodOk({ description: 'Pending invitations (not accepted, withdrawn or expired), paged; never their tokens', type: InvitationPageDto })
  @ApiErrors(400, 401, 403, 404)
  list(@Query() query: InvitationPageQueryDto): Promise<InvitationPage> {
    return this.invitations.list(query.limit, query.cursor);
  }

  @Delete('invitations/:invitationId')
  @OrgAccess('administer')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Withdrawn; its link answers 404 from now on' })
  @ApiParam({ name: 'invitationId', format: 'uuid' })
  @ApiErrors(401, 403, 404, 409)
  async revoke(@Param('invitationId') invitationId: string): Promise<void> {
    await this.invitations.revoke(uuidOr404(invitationId, 'invitation'));
  }
}
