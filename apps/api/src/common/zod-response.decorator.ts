import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ZodSerializerDto } from 'nestjs-zod';

interface ResponseDto {
  Output: unknown;
}

/**
 * nestjs-zod's ZodResponse, minus its lazy `require('@nestjs/swagger')`, which Jest's ESM loader
 * cannot follow. Serializes the return value through the DTO's schema and documents its output form.
 */
export const ZodOk = ({ status = 200, description, type }: { status?: number; description: string; type: ResponseDto & (new () => unknown) }) =>
  applyDecorators(HttpCode(status), ZodSerializerDto(type as never), ApiResponse({ status, description, type: type.Output as never }));
