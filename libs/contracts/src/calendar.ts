import { z } from 'zod';

/**
 * Private calendar feeds (docs/PRODUCT.md §14, docs/API.md): one iCalendar address per member per
 * organisation, with the dates that member has to act on. The address carries a 256-bit secret
 * shown once; the server keeps only its SHA-256.
 */
export const CALENDAR_TOKEN_PREFIX = 'hoh_cal_';

/** Whether the signed-in member has a feed in this organisation (the address itself is never shown again). */
export const CalendarFeedSchema = z.object({
  active: z.boolean(),
  /** When the current address was made; null without one. */
  createdAt: z.string().nullable(),
});
export type CalendarFeed = z.infer<typeof CalendarFeedSchema>;

/** The new address, shown once: creating again replaces the previous one, which stops working at once. */
export const CalendarFeedCreatedSchema = z.object({
  url: z.url(),
  createdAt: z.string(),
  /** True when an earlier address existed and now answers 404. */
  replacedPrevious: z.boolean(),
});
export type CalendarFeedCreated = z.infer<typeof CalendarFeedCreatedSchema>;
