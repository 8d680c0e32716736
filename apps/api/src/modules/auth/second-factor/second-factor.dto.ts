import { createZodDto } from 'nestjs-zod';

import {
  ConfirmTotpRequestSchema,
  MeResponseSchema,
  RecoveryCodesSchema,
  SecondFactorChallengeRefSchema,
  SecondFactorChallengeSchema,
  SecondFactorProofSchema,
  SecondFactorSignInRequestSchema,
  SecondFactorStatusSchema,
  SignInResponseSchema,
  TotpEnrolmentSchema,
} from '@hoh/contracts';

export class SecondFactorStatusDto extends createZodDto(SecondFactorStatusSchema) {}
export class TotpEnrolmentDto extends createZodDto(TotpEnrolmentSchema) {}
export class ConfirmTotpDto extends createZodDto(ConfirmTotpRequestSchema) {}
export class RecoveryCodesDto extends createZodDto(RecoveryCodesSchema) {}
export class SecondFactorProofDto extends createZodDto(SecondFactorProofSchema) {}
export class SecondFactorSignInDto extends createZodDto(SecondFactorSignInRequestSchema) {}
export class SecondFactorChallengeRefDto extends createZodDto(SecondFactorChallengeRefSchema) {}
export class SecondFactorChallengeDto extends createZodDto(SecondFactorChallengeSchema) {}
// A class cannot extend a union's type; the schema itself (both shapes) is what ZodOk parses the
// answer with and what the OpenAPI document shows (anyOf).
export class SignInResponseDto extends createZodDto(SignInResponseSchema as unknown as typeof MeResponseSchema) {}
