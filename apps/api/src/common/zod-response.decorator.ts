import { applyDecorators, HttpCode, StreamableFile } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ZodSerializationException } from 'nestjs-zod';
import type { ZodType } from 'zod';

interface ResponseDto {
  Output: unknown;
  schema: ZodType;
}

type Handler = (...args: unknown[]) => unknown;

/**
 * nestjs-zod's ZodResponse, minus its lazy `require('@nestjs/swagger')`, which Jest's ESM loader
 * cannot follow. The route's return value is parsed through the DTO's schema (which strips anything
 * the contract does not name) by wrapping the handler itself rather than by a global interceptor:
 * any interceptor makes Nest run an rxjs pipeline with disconnect tracking on every request,
 * about a fifth of a static route's CPU (api.floor benchmark). Organisation routes still parse
 * inside their tenant transaction, since the handler runs inside it.
 */
export const ZodOk = ({ status = 200, description, type }: { status?: number; description: string; type: ResponseDto & (new () => unknown) }) =>
  applyDecorators(HttpCode(status), serializeThrough(type.schema), ApiResponse({ status, description, type: type.Output as never }));

function serializeThrough(schema: ZodType): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as unknown as Handler;
    const serialized = async function (this: unknown, ...args: unknown[]) {
      return serializeResponse(schema, await handler.apply(this, args));
    };
    // Nest and Swagger keep route metadata on the handler function: the decorators applied before
    // this one wrote to the original, those after will write to the wrapper, so carry it over.
    for (const key of Reflect.getOwnMetadataKeys(handler)) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, handler), serialized);
    Object.defineProperty(serialized, 'name', { value: handler.name });
    (descriptor as PropertyDescriptor).value = serialized;
  };
}

/** Parses a route's result through its declared schema; a mismatch is our bug (500), never the caller's. */
export function serializeResponse(schema: ZodType, result: unknown): unknown {
  if (result instanceof StreamableFile) return result;
  try {
    return schema.parse(result);
  } catch (error) {
    throw new ZodSerializationException(error);
  }
}
