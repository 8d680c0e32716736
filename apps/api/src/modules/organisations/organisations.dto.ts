import { createZodDto } from 'nestjs-zod';

import {
  ApplicabilityResponseSchema,
  ExposureResponseSchema,
  MemberPageSchema,
  OrganisationResponseSchema,
  PageQuerySchema,
  ProfileResponseSchema,
  PutProfileRequestSchema,
  UpdateOrganisationRequestSchema,
} from '@hoh/contracts';

export class OrganisationResponseDto extends createZodDto(OrganisationResponseSchema) {}
export class UpdateOrganisationDto extends createZodDto(UpdateOrganisationRequestSchema) {}
export class MemberPageDto extends createZodDto(MemberPageSchema) {}
export class PageQueryDto extends createZodDto(PageQuerySchema) {}
export class ProfileResponseDto extends createZodDto(ProfileResponseSchema) {}
export class PutProfileDto extends createZodDto(PutProfileRequestSchema) {}
export class ApplicabilityResponseDto extends createZodDto(ApplicabilityResponseSchema) {}
export class ExposureResponseDto extends createZodDto(ExposureResponseSchema) {}
