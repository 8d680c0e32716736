import { createZodDto } from 'nestjs-zod';

import {
  AcceptInvitationRequestSchema,
  AcceptInvitationResponseSchema,
  CreateInvitationRequestSchema,
  CreateInvitationResponseSchema,
  InvitationPageSchema,
  MemberSchema,
  PageQuerySchema,
  UpdateMemberRequestSchema,
} from '@hoh/contracts';

export class UpdateMemberDto extends createZodDto(UpdateMemberRequestSchema) {}
export class MemberResponseDto extends createZodDto(MemberSchema) {}
export class CreateInvitationDto extends createZodDto(CreateInvitationRequestSchema) {}
export class CreateInvitationResponseDto extends createZodDto(CreateInvitationResponseSchema) {}
export class InvitationPageDto extends createZodDto(InvitationPageSchema) {}
export class InvitationPageQueryDto extends createZodDto(PageQuerySchema) {}
export class AcceptInvitationDto extends createZodDto(AcceptInvitationRequestSchema) {}
export class AcceptInvitationResponseDto extends createZodDto(AcceptInvitationResponseSchema) {}
