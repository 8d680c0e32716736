import { z } from 'zod';

import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { pageOf } from './paging.js';
import { name } from './text.js';

/** `read` tokens may only call GET routes; `read_write` tokens may call any route their owner may. */
export const ApiTokenScopeSchema = z.enum(['read', 'read_write']);
export type ApiTokenScope = z.infer<typeof ApiTokenScopeSchema>;

/** Every personal API token starts with this, so secret scanners and people can recognise one. */
export const API_TOKEN_PREFIX = 'hoh_pat_';

export const CreateApiTokenRequestSchema = z
  .object({
    name: name({
      what: 'token name',
      max: 100,
      tooLong: 'Token names are at most 100 characters',
      required: 'Name the token after where it will be used, e.g. "CI evidence upload"',
    }),
    scope: ApiTokenScopeSchema,
    /** Omit for a token that lasts until revoked. */
    expiresAt: IsoDateTimeSchema.refine(
      (v) => Date.parse(v) > Date.now(),
      'Choose an expiry in the future, or omit expiresAt for a token that lasts until revoked',
    ).optional(),
  })
  .strict();
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequestSchema>;

export const ApiTokenSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  scope: ApiTokenScopeSchema,
  /** The first characters of the secret, to tell tokens apart; not enough to use it. */
  prefix: z.string(),
  createdAt: IsoDateTimeSchema,
  expiresAt: IsoDateTimeSchema.nullable(),
  lastUsedAt: IsoDateTimeSchema.nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

/** The only response that carries the secret; the server keeps its SHA-256 and cannot show it again. */
export const CreateApiTokenResponseSchema = ApiTokenSchema.extend({
  token: z.string().startsWith(API_TOKEN_PREFIX),
});
export type CreateApiTokenResponse = z.infer<typeof CreateApiTokenResponseSchema>;

export const ApiTokenPageSchema = pageOf(ApiTokenSchema);
export type ApiTokenPage = z.infer<typeof ApiTokenPageSchema>;
