import fc from 'fast-check';

import { calendarYear, nextPeriod, periodLabel, PeriodSchema, titleForPeriod } from './periods.js';

describe('assessment periods (docs/PRODUCT.md §5.7)', () => {
  it('labels a calendar year "2026", a financial year "2026/27", other whole months by month, anything else by date', () => {
    expect(periodLabel(calendarYear(2026))).toBe('2026');
    expect(periodLabel({ start: '2026-04-01', end: '2027-03-31' })).toBe('2026/27');
    expect(periodLabel({ start: '2099-07-01', end: '2100-06-30' })).toBe('2099/00');
    expect(periodLabel({ start: '2026-04-01', end: '2026-09-30' })).toBe('Apr 2026 – Sep 2026');
    expect(periodLabel({ start: '2026-04-15', end: '2027-04-14' })).toBe('2026-04-15 – 2027-04-14');
  });

  it('moves a period one year on, keeping month ends month ends (29 February → 28 February)', () => {
    expect(nextPeriod(calendarYear(2026))).toEqual(calendarYear(2027));
    expect(nextPeriod({ start: '2027-03-01', end: '2028-02-29' })).toEqual({ start: '2028-03-01', end: '2029-02-28' });
    expect(nextPeriod({ start: '2026-03-01', end: '2027-02-28' })).toEqual({ start: '2027-03-01', end: '2028-02-29' });
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2098 }), (y) => {
        const p = nextPeriod(calendarYear(y));
        expect(periodLabel(p)).toBe(String(y + 1));
      }),
    );
  });

  it('names next year "… review 2027", replacing the old year or "(follow-up …)", never appending it', () => {
    const y2027 = calendarYear(2027);
    expect(titleForPeriod('CSAM controls review 2026', y2027)).toBe('CSAM controls review 2027');
    expect(titleForPeriod('CSAM controls review 2026 (follow-up 2026)', y2027)).toBe('CSAM controls review 2027');
    expect(titleForPeriod('Annual review', y2027)).toBe('Annual review 2027');
    expect(titleForPeriod('Board assurance', y2027)).toBe('Board assurance review 2027');
    expect(titleForPeriod('Trust & safety review 2026/27', { start: '2027-04-01', end: '2028-03-31' })).toBe('Trust & safety review 2027/28');
    expect(titleForPeriod(null, y2027)).toBe('CSAM controls review 2027');
  });

  it('refuses a period that ends before it starts, spans over two years, or names an impossible date', () => {
    expect(PeriodSchema.safeParse({ start: '2027-01-01', end: '2026-12-31' }).success).toBe(false);
    expect(PeriodSchema.safeParse({ start: '2020-01-01', end: '2026-12-31' }).success).toBe(false);
    expect(PeriodSchema.safeParse({ start: '2026-02-30', end: '2026-12-31' }).success).toBe(false);
    expect(PeriodSchema.safeParse({ start: '2026-04-01', end: '2027-03-31' }).success).toBe(true);
  });
});
