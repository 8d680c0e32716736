import { z } from 'zod';

/**
 * The period an assessment covers (docs/PRODUCT.md §5.7): a start and an end date, both inclusive.
 * Dates rather than a reporting year because many organisations assess over their financial year
 * (e.g. 1 April to 31 March) and a single year number could not say which twelve months were
 * assessed; a calendar year is simply 1 January to 31 December and is labelled "2026".
 */
const DateOnly = z.iso.date({ message: 'Must be a date, e.g. 2027-01-01' }).refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'Use a date between 2000 and 2100');

/** Longest period one assessment may cover: two years (an assessment that never ends says nothing). */
const MAX_PERIOD_DAYS = 731;

export const PeriodSchema = z
  .object({ start: DateOnly, end: DateOnly })
  .strict()
  .refine((p) => p.end >= p.start, { path: ['end'], message: 'The period ends on or after it starts' })
  .refine((p) => Date.parse(p.end) - Date.parse(p.start) <= MAX_PERIOD_DAYS * 86_400_000, { path: ['end'], message: 'A period covers at most two years; assess each year on its own' });
export type Period = z.infer<typeof PeriodSchema>;

export const PeriodResponseSchema = z.object({ start: z.string(), end: z.string(), label: z.string() });
export type PeriodResponse = z.infer<typeof PeriodResponseSchema>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const parts = (d: string) => ({ y: Number(d.slice(0, 4)), m: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) });
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * The short name of a period, used on the trend axis, in the picker and in default names:
 * "2026" for a calendar year, "2026/27" for twelve whole months across two years (a financial
 * year), else "Apr 2026 – Sep 2026".
 */
export function periodLabel(p: Period): string {
  const s = parts(p.start);
  const e = parts(p.end);
  const wholeMonths = s.day === 1 && e.day === lastDayOf(e.y, e.m);
  const months = (e.y - s.y) * 12 + (e.m - s.m) + 1;
  if (wholeMonths && months === 12) return s.y === e.y ? String(s.y) : `${String(s.y)}/${String(e.y % 100).padStart(2, '0')}`;
  if (wholeMonths) return `${MONTHS[s.m - 1]!} ${String(s.y)} – ${MONTHS[e.m - 1]!} ${String(e.y)}`;
  return `${p.start} – ${p.end}`;
}

export const withLabel = (p: Period): PeriodResponse => ({ start: p.start, end: p.end, label: periodLabel(p) });

/** The calendar year `year`: what an assessment covers unless its creator says otherwise. */
export const calendarYear = (year: number): Period => ({ start: `${String(year)}-01-01`, end: `${String(year)}-12-31` });

function plusYear(d: string): string {
  const { y, m, day } = parts(d);
  // 29 February moves to 28 February; the last day of a month stays the last day.
  const nd = day === lastDayOf(y, m) ? lastDayOf(y + 1, m) : Math.min(day, lastDayOf(y + 1, m));
  return `${String(y + 1)}-${String(m).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

/** The period after `p`: the same dates one year later ("next year's review"). */
export const nextPeriod = (p: Period): Period => ({ start: plusYear(p.start), end: plusYear(p.end) });

/**
 * The default name of an assessment started from `sourceTitle` for `period`: the source's name
 * with its trailing year (or period label, or an old "(follow-up 2026)") replaced by the new
 * period's label, ending in "review <label>" — "CSAM controls review 2026" → "CSAM controls review 2027".
 */
export function titleForPeriod(sourceTitle: string | null, period: Period): string {
  const label = periodLabel(period);
  let base = (sourceTitle ?? '').replace(/\s*\(follow-up \d{4}\)\s*$/i, '').trim();
  base = base.replace(/\s*[-–—:]?\s*(\d{4}(\/\d{2})?|[A-Z][a-z]{2} \d{4} – [A-Z][a-z]{2} \d{4})$/, '').trim();
  if (base === '') base = 'CSAM controls review';
  if (!/\breview$/i.test(base)) base = `${base} review`;
  return `${base} ${label}`;
}
