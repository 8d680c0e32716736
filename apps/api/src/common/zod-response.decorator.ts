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

/**
 * A route's body already parsed through the route's declared schema and serialized to JSON. ZodOk
 * passes it through for that schema (and only that one) and Fastify sends `text` as it is (the reply
 * serializer in app.setup.ts). For a result served many times over, the parse and the JSON are paid
 * once: for the score read they were about a sixth of the API's CPU (issue 9).
 */
export class SerializedBody {
  constructor(
    readonly schema: ZodType,
    readonly text: string,
  ) {}
}

/** Fastify's serializer for every reply: JSON.stringify (its default without response schemas), or a SerializedBody's text. */
export const replySerializer = (payload: unknown): string => (payload instanceof SerializedBody ? payload.text : JSON.stringify(payload));

/** Parses a route's result through its declared schema; a mismatch is our bug (500), never the caller's. */
export function serializeResponse(schema: ZodType, result: unknown): unknown {
  if (result instanceof StreamableFile) return result;
  if (result instanceof SerializedBody) {
    // Our bug, never the caller's: a 500 like any other mismatch.
    if (result.schema !== schema) throw new Error('a SerializedBody was made with another schema than the route declares');
    return result;
  }
  try {
    return schema.parse(result);
  } catch (error) {
    throw new ZodSerializationException(error);
  }
}
