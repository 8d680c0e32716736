import { createZodDto } from 'nestjs-zod';

import {
  AccountSessionListSchema,
  ChangePasswordRequestSchema,
  ChangePasswordResponseSchema,
  EndSessionsResponseSchema,
  PasswordResetConfirmRequestSchema,
  PasswordResetRequestedResponseSchema,
  PasswordResetRequestSchema,
} from '@hoh/contracts';

export class PasswordResetRequestDto extends createZodDto(PasswordResetRequestSchema) {}
export class PasswordResetRequestedResponseDto extends createZodDto(PasswordResetRequestedResponseSchema) {}
export class PasswordResetConfirmDto extends createZodDto(PasswordResetConfirmRequestSchema) {}
export class ChangePasswordDto extends createZodDto(ChangePasswordRequestSchema) {}
export class ChangePasswordResponseDto extends createZodDto(ChangePasswordResponseSchema) {}
export class AccountSessionListDto extends createZodDto(AccountSessionListSchema) {}
export class EndSessionsResponseDto extends createZodDto(EndSessionsResponseSchema) {}
