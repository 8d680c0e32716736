import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';

import {
  AddGroupViewerRequestSchema,
  CreateGroupRequestSchema,
  type Group,
  GroupDashboardQuerySchema,
  GroupDashboardSchema,
  type GroupDashboard,
  type GroupDetail,
  GroupDetailSchema,
  type GroupList,
  GroupListSchema,
  type GroupMemberAnswers,
  GroupMemberAnswersSchema,
  type GroupMemberEvidence,
  GroupMemberEvidenceSchema,
  GroupMembershipSchema,
  GroupPersonSchema,
  GroupSchema,
  InviteOrganisationRequestSchema,
  type OrganisationGroups,
  OrganisationGroupsSchema,
} from '@hoh/contracts';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { AppError, notFound } from '../../common/app-error.js';
import { type AuthContext, Authenticated, CurrentAuth, OrgAccess } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';
import { GroupMemberReadService } from './group-member-read.service.js';
import { GroupsService } from './groups.service.js';
import { OrganisationGroupsService } from './organisation-groups.service.js';

class CreateGroupDto extends createZodDto(CreateGroupRequestSchema) {}
class InviteOrganisationDto extends createZodDto(InviteOrganisationRequestSchema) {}
class AddGroupViewerDto extends createZodDto(AddGroupViewerRequestSchema) {}
class GroupDashboardQueryDto extends createZodDto(GroupDashboardQuerySchema) {}
class GroupDto extends createZodDto(GroupSchema) {}
class GroupListDto extends createZodDto(GroupListSchema) {}
class GroupDetailDto extends createZodDto(GroupDetailSchema) {}
class GroupMembershipDto extends createZodDto(GroupMembershipSchema) {}
class GroupPersonDto extends createZodDto(GroupPersonSchema) {}
class GroupDashboardDto extends createZodDto(GroupDashboardSchema) {}
class OrganisationGroupsDto extends createZodDto(OrganisationGroupsSchema) {}
class GroupMemberAnswersDto extends createZodDto(GroupMemberAnswersSchema) {}
class GroupMemberEvidenceDto extends createZodDto(GroupMemberEvidenceSchema) {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_GROUP = 'No such group, or you are not in it. Check the group id in the address, or ask its owner to add you.';

// A malformed id can match nothing, so it answers like an unknown one.
const groupIdOr404 = (id: string): string => {
  if (!UUID.test(id)) throw new AppError('NOT_FOUND', NO_GROUP);
  return id.toLowerCase();
};
const idOr404 = (id: string, what: string): string => {
  if (!UUID.test(id)) throw notFound(what);
  return id.toLowerCase();
};

/**
 * Groups as their owner and viewers use them (docs/PRODUCT.md §16, docs/API.md groups). Signed-in
 * routes in no organisation: who may see what is decided by the group tables' row-level security,
 * and a group the caller holds no role in answers 404, like an organisation they are not in.
 */
@ApiTags('groups')
@Controller('v1/groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly memberRead: GroupMemberReadService,
  ) {}

  @Post()
  @Authenticated()
  @ZodOk({ status: 201, description: 'The new group; you are its owner. Only an organisation owner can create one (403).', type: GroupDto })
  @ApiErrors(400, 401, 403)
  create(@CurrentAuth() auth: AuthContext, @Body() body: CreateGroupDto): Promise<Group> {
    return this.groups.create(auth.userId, body);
  }

  @Get()
  @Authenticated()
  @ZodOk({ description: 'The groups you own or view', type: GroupListDto })
  @ApiErrors(401)
  list(@CurrentAuth() auth: AuthContext): Promise<GroupList> {
    return this.groups.list(auth.userId);
  }

  @Get(':groupId')
  @Authenticated()
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ZodOk({ description: 'The group: its organisations (names once they joined), its people and its own audit trail', type: GroupDetailDto })
  @ApiErrors(401, 404)
  detail(@CurrentAuth() auth: AuthContext, @Param('groupId') groupId: string): Promise<GroupDetail> {
    return this.groups.detail(auth.userId, groupIdOr404(groupId));
  }

  @Get(':groupId/dashboard')
  @Authenticated()
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ZodOk({
    description: 'Each current member’s summary (never answers, evidence or members), the organisations × domains matrix, shared critical gaps and totals; filter by jurisdiction and service type',
    type: GroupDashboardDto,
  })
  @ApiErrors(400, 401, 404)
  dashboard(@CurrentAuth() auth: AuthContext, @Param('groupId') groupId: string, @Query() query: GroupDashboardQueryDto): Promise<GroupDashboard> {
    return this.groups.dashboard(auth.userId, groupIdOr404(groupId), query);
  }

  @Post(':groupId/invitations')
  @Authenticated()
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ZodOk({ status: 201, description: 'Invited: the organisation joins when its owner accepts. Group owner only (403); already invited or a member: 409', type: GroupMembershipDto })
  @ApiErrors(400, 401, 403, 404, 409)
  invite(@CurrentAuth() auth: AuthContext, @Param('groupId') groupId: string, @Body() body: InviteOrganisationDto): Promise<GroupDetail['organisations'][number]> {
    return this.groups.invite(auth.userId, groupIdOr404(groupId), body);
  }

  @Delete(':groupId/organisations/:organisationId')
  @Authenticated()
  @HttpCode(204)
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiParam({ name: 'organisationId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Membership ended (or invitation withdrawn): the organisation is gone from the group’s next read; recorded in the group’s trail and the organisation’s audit log' })
  @ApiErrors(401, 403, 404)
  async end(@CurrentAuth() auth: AuthContext, @Param('groupId') groupId: string, @Param('organisationId') organisationId: string): Promise<void> {
    await this.groups.endMembership(auth.userId, groupIdOr404(groupId), idOr404(organisationId, 'organisation in this group'));
  }

  @Get(':groupId/organisations/:organisationId/answers')
  @Authenticated()
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiParam({ name: 'organisationId', format: 'uuid' })
  @ZodOk({ description: 'Full read: the member’s latest assessment and its answers, read only. 404 unless the organisation’s owner granted the group full read and it is still a member', type: GroupMemberAnswersDto })
  @ApiErrors(401, 404)
  memberAnswers(@CurrentAuth() auth: AuthContext, @Param('groupId') groupId: string, @Param('organisationId') organisationId: string): Promise<GroupMemberAnswers> {
    return this.memberRead.answers(auth.userId, groupIdOr404(groupId), idOr404(organisationId, 'organisation in this group'));
  }

  @Get(':groupId/organisations/:organisationId/evidence')
  @Authenticated()
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiParam({ name: 'organisationId', format: 'uuid' })
  @ZodOk({ description: 'Full read: the member’s evidence list (titles and metadata, never files), newest first. 404 without a current grant', type: GroupMemberEvidenceDto })
  @ApiErrors(401, 404)
  memberEvidence(@CurrentAuth() auth: AuthContext, @Param('groupId') groupId: string, @Param('organisationId') organisationId: string): Promise<GroupMemberEvidence> {
    return this.memberRead.evidence(auth.userId, groupIdOr404(groupId), idOr404(organisationId, 'organisation in this group'));
  }

  @Get(':groupId/organisations/:organisationId/report.pdf')
  @Authenticated()
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiParam({ name: 'organisationId', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiResponse({
    status: 200,
    description: 'Full read: the member’s latest issued (not draft) report, byte for byte as signed (X-Report-Id, X-Report-Sha256). 404 without a current grant, or when it has issued none',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(401, 404)
  async memberReport(
    @CurrentAuth() auth: AuthContext,
    @Param('groupId') groupId: string,
    @Param('organisationId') organisationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const file = await this.memberRead.latestReport(auth.userId, groupIdOr404(groupId), idOr404(organisationId, 'organisation in this group'));
    void reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="hand-on-heart-report-${file.reportId}.pdf"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('x-report-id', file.reportId)
      .header('x-report-sha256', file.pdfSha256)
      .header('content-length', String(file.bytes.length));
    return file.bytes;
  }

  @Post(':groupId/viewers')
  @Authenticated()
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ZodOk({ status: 201, description: 'Added as a viewer: they see the group dashboard, never a member organisation’s own pages. Group owner only (403)', type: GroupPersonDto })
  @ApiErrors(400, 401, 403, 404, 409)
  addViewer(@CurrentAuth() auth: AuthContext, @Param('groupId') groupId: string, @Body() body: AddGroupViewerDto): Promise<GroupDetail['people'][number]> {
    return this.groups.addViewer(auth.userId, groupIdOr404(groupId), body);
  }

  @Delete(':groupId/viewers/:userId')
  @Authenticated()
  @HttpCode(204)
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed: their next request to the group answers 404' })
  @ApiErrors(401, 403, 404)
  async removeViewer(@CurrentAuth() auth: AuthContext, @Param('groupId') groupId: string, @Param('userId') userId: string): Promise<void> {
    await this.groups.removeViewer(auth.userId, groupIdOr404(groupId), idOr404(userId, 'viewer'));
  }
}

const NO_BODY = { required: false, description: 'No body, or an empty object', schema: { type: 'object', additionalProperties: false } } as const;

/** Strict like every other contract: a body this route would silently ignore is a client mistake. */
function refuseBody(body: unknown, what: string): void {
  const empty = body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
  if (!empty) throw new AppError('VALIDATION_FAILED', `Send no body (or {}) to ${what}.`, { details: [{ path: '', message: 'Unexpected body' }] });
}

/** An organisation's side of groups: its invitations, joining, leaving and the summary it shows them. */
@ApiTags('groups')
@ApiParam({ name: 'orgId', format: 'uuid' })
@Controller('v1/orgs/:orgId/groups')
export class OrganisationGroupsController {
  constructor(private readonly groups: OrganisationGroupsService) {}

  @Get()
  @OrgAccess('read')
  @ZodOk({ description: 'The groups this organisation is invited to or belongs to, and when it last published its summary to them', type: OrganisationGroupsDto })
  @ApiErrors(401, 404)
  list(): Promise<OrganisationGroups> {
    return this.groups.list();
  }

  @Post(':groupId/accept')
  @OrgAccess('administer')
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiBody(NO_BODY)
  @ZodOk({ description: 'Joined (owners only): the group now sees this organisation’s summary, published in the same step', type: OrganisationGroupsDto })
  @ApiErrors(400, 401, 403, 404, 409)
  accept(@Param('groupId') groupId: string, @Body() body: unknown): Promise<OrganisationGroups> {
    refuseBody(body, 'accept an invitation');
    return this.groups.accept(groupIdOr404(groupId));
  }

  @Delete(':groupId')
  @OrgAccess('administer')
  @HttpCode(204)
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Left the group (or declined its invitation): gone from the group’s next read; recorded on both sides' })
  @ApiErrors(401, 403, 404)
  async leave(@Param('groupId') groupId: string): Promise<void> {
    await this.groups.leave(groupIdOr404(groupId));
  }

  @Put(':groupId/full-read')
  @OrgAccess('administer')
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiBody(NO_BODY)
  @ZodOk({
    description: 'Grants the group full read (owners only): its owners and viewers may read this organisation’s latest answers, evidence list and latest issued report, read only, until revoked or the organisation leaves. Recorded on both sides',
    type: OrganisationGroupsDto,
  })
  @ApiErrors(400, 401, 403, 404)
  grantFullRead(@Param('groupId') groupId: string, @Body() body: unknown): Promise<OrganisationGroups> {
    refuseBody(body, 'grant full read');
    return this.groups.grantFullRead(groupIdOr404(groupId));
  }

  @Delete(':groupId/full-read')
  @OrgAccess('administer')
  @HttpCode(204)
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Full read revoked: the group’s next read of answers, evidence or the report answers 404; it keeps the summary. Recorded on both sides' })
  @ApiErrors(401, 403, 404)
  async revokeFullRead(@Param('groupId') groupId: string): Promise<void> {
    await this.groups.revokeFullRead(groupIdOr404(groupId));
  }

  @Post('summary')
  @OrgAccess('manage')
  @ApiBody(NO_BODY)
  @ZodOk({ description: 'Publishes this organisation’s summary to its groups now (it is also published on joining and at each sign-off)', type: OrganisationGroupsDto })
  @ApiErrors(400, 401, 403, 404)
  async publish(@Body() body: unknown): Promise<OrganisationGroups> {
    refuseBody(body, 'publish the summary');
    await this.groups.refresh();
    return this.groups.list();
  }
}
