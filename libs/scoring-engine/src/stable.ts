import { parseInstant, twelveMonthsAfter } from './time.js';
import type { ScoringInput } from './types.js';

/**
 * The earliest instant (epoch ms) after `input.asOf` at which score() of the same input could
 * return anything but what it returns at `asOf`, apart from the `asOf` field itself; +Infinity when
 * no such instant exists. Time enters the engine only through evidence: it starts counting on its
 * issue date and stops at its expiry (or 12 calendar months after issue). So every evidence date
 * after `asOf` is a boundary; statuses are not consulted, which can only make the answer earlier,
 * never later. NaN when `asOf` does not parse (score() refuses such an input whatever the time).
 *
 * Callers that score the same input repeatedly (the API's score reads) reuse one result over
 * [asOf, scoreStableUntil(input)) instead of re-running the engine: a property test holds the
 * engine to this.
 */
export function scoreStableUntil(input: ScoringInput): number {
  const asOfMs = parseInstant(input.asOf);
  if (Number.isNaN(asOfMs)) return Number.NaN;
  let until = Number.POSITIVE_INFINITY;
  const consider = (instant: number) => {
    // NaN fails both comparisons: an unparseable date makes score() throw at any asOf.
    if (instant > asOfMs && instant < until) until = instant;
  };
  for (const answer of input.answers) {
    if (!Array.isArray(answer.evidence)) continue;
    for (const ev of answer.evidence) {
      const issued = parseInstant(ev.issuedAt);
      consider(issued);
      consider(ev.expiresAt === undefined || ev.expiresAt === null ? twelveMonthsAfter(issued) : parseInstant(ev.expiresAt));
    }
  }
  return until;
}
