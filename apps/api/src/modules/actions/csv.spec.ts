import fc from 'fast-check';

import { readCsv as parseCsv } from '../../../test/support/csv.js';
import { toCsv } from './csv.js';

describe('CSV export', () => {
  it('quotes text cells a spreadsheet would run as formulas', () => {
    const csv = toCsv(['a', 'b', 'c', 'd', 'e'], [['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'plain']]);
    expect(parseCsv(csv)[1]).toEqual(["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", 'plain']);
  });

  it('writes numbers and dates as values, never escaped', () => {
    const csv = toCsv(['n', 'd'], [[-1.5, { date: '2027-01-31' }]]);
    expect(parseCsv(csv)[1]).toEqual(['-1.5', '2027-01-31']);
  });

  it('round-trips any text: read back, with the escaping quote removed, gives the same rows (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 3, maxLength: 3 }), { maxLength: 10 }), (rows) => {
        const parsed = parseCsv(toCsv(['x', 'y', 'z'], rows)).slice(1);
        // The writer added exactly one quote to formula-like cells; remove it and the rows come back.
        const unescaped = parsed.map((r, i) => r.map((c, j) => (/^[=+\-@\t\r]/.test(rows[i]![j]!) ? c.slice(1) : c)));
        expect(unescaped).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
