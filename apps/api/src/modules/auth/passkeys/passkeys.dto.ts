import { createZodDto } from 'nestjs-zod';

import {
  CreatePasskeyRequestSchema,
  EmailVerificationConfirmRequestSchema,
  EmailVerificationResponseSchema,
  PasskeyListSchema,
  PasskeyOptionsSchema,
  PasskeySchema,
  RemovePasskeyRequestSchema,
  RenamePasskeyRequestSchema,
} from '@hoh/contracts';

export class EmailVerificationConfirmDto extends createZodDto(EmailVerificationConfirmRequestSchema) {}
export class EmailVerificationResponseDto extends createZodDto(EmailVerificationResponseSchema) {}
export class PasskeyOptionsDto extends createZodDto(PasskeyOptionsSchema) {}
export class CreatePasskeyDto extends createZodDto(CreatePasskeyRequestSchema) {}
export class RenamePasskeyDto extends createZodDto(RenamePasskeyRequestSchema) {}
export class RemovePasskeyDto extends createZodDto(RemovePasskeyRequestSchema) {}
export class PasskeyDto extends createZodDto(PasskeySchema) {}
export class PasskeyListDto extends createZodDto(PasskeyListSchema) {}
