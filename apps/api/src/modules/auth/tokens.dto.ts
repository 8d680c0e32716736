import { createZodDto } from 'nestjs-zod';

import { ApiTokenPageSchema, CreateApiTokenRequestSchema, CreateApiTokenResponseSchema, PageQuerySchema } from '@hoh/contracts';

export class CreateApiTokenDto extends createZodDto(CreateApiTokenRequestSchema) {}
export class CreateApiTokenResponseDto extends createZodDto(CreateApiTokenResponseSchema) {}
export class ApiTokenPageDto extends createZodDto(ApiTokenPageSchema) {}
export class TokenPageQueryDto extends createZodDto(PageQuerySchema) {}
