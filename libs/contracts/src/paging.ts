import { z } from 'zod';

import { line } from './text.js';

export const PageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1, 'limit is at least 1').max(200, 'limit is at most 200').default(50),
    cursor: line({ what: 'cursor', max: 200 }).optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** Lists are `{items, nextCursor}`; pass nextCursor back as `?cursor=` until it is null. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
