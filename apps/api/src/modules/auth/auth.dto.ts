import { createZodDto } from 'nestjs-zod';

import { MeResponseSchema, SignInRequestSchema, SignUpRequestSchema } from '@hoh/contracts';

export class SignInDto extends createZodDto(SignInRequestSchema) {}
export class SignUpDto extends createZodDto(SignUpRequestSchema) {}
export class MeResponseDto extends createZodDto(MeResponseSchema) {}
