import fc from 'fast-check';

import { parseInstant, withinTwelveMonths } from './time.js';

const RUNS = process.env['DEEP'] === '1' ? 10_000 : 1_000;

describe('parseInstant', () => {
  it('agrees with Date.parse on ISO 8601 timestamps with Z or an offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.boolean(),
        (date, offsetMin, useZ) => {
          const zulu = date.toISOString();
          expect(parseInstant(zulu)).toBe(Date.parse(zulu));
          if (useZ) return;
          // Same instant written in a local offset.
          const local = new Date(date.getTime() + offsetMin * 60_000).toISOString().slice(0, 23);
          const sign = offsetMin < 0 ? '-' : '+';
          const abs = Math.abs(offsetMin);
          const withOffset = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseInstant(withOffset)).toBe(Date.parse(withOffset));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('reads a bare date as UTC midnight', () => {
    expect(parseInstant('2025-07-01')).toBe(Date.UTC(2025, 6, 1));
  });

  it.each([
    ['a time without a zone', '2025-07-01T10:00:00'],
    ['a free-form date', 'July 1, 2025'],
    ['an impossible day', '2025-02-29'],
    ['an impossible hour', '2025-01-01T24:00:00Z'],
    ['trailing text', '2025-01-01T10:00:00Zjunk'],
    ['an empty string', ''],
  ])('refuses %s', (_, value) => {
    expect(parseInstant(value)).toBeNaN();
  });
});

describe('withinTwelveMonths', () => {
  const at = (s: string) => Date.parse(s);

  it('counts evidence up to, but not at, the same instant twelve months later', () => {
    const issued = at('2025-06-30T00:00:00Z');
    expect(withinTwelveMonths(issued, at('2026-06-29T23:59:59.999Z'))).toBe(true);
    expect(withinTwelveMonths(issued, at('2026-06-30T00:00:00Z'))).toBe(false);
  });

  it('rolls evidence issued on 29 February over to 1 March of the next year', () => {
    const issued = at('2024-02-29T12:00:00Z');
    expect(withinTwelveMonths(issued, at('2025-03-01T11:59:59Z'))).toBe(true);
    expect(withinTwelveMonths(issued, at('2025-03-01T12:00:00Z'))).toBe(false);
  });

  it('spans 366 days when the year ahead holds a 29 February', () => {
    const issued = at('2023-03-01T00:00:00Z');
    expect(withinTwelveMonths(issued, at('2024-02-29T23:59:59Z'))).toBe(true);
    expect(withinTwelveMonths(issued, at('2024-03-01T00:00:00Z'))).toBe(false);
  });
});
