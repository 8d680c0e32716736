import { z } from 'zod';

export const PageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1, 'limit is at least 1').max(200, 'limit is at most 200').default(50),
    cursor: z.string().max(200, 'cursor is at most 200 characters').optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** Lists are `{items, nextCursor}`; pass nextCursor back as `?cursor=` until it is null. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
