import { parseInstant, twelveMonthsAfter, withinTwelveMonths } from '../time.js';
import type { InputIssue, ScoringEvidence } from '../types.js';

/**
 * What an answer's evidence supports at the scoring date (docs/PRODUCT.md §4.2): nothing, counting
 * evidence, or counting evidence with some of kind `metrics` among it (which the §4.3 caps read).
 */
export type EvidenceSupport = 'none' | 'counting' | 'metrics';

const DATE_MESSAGE = 'must be an ISO 8601 date, or timestamp with a time zone';

/**
 * docs/PRODUCT.md §4.2: evidence counts when it is accepted, was issued at or before `asOf` and has
 * not expired at `asOf` (its own expiry, or 12 calendar months after issue when it has none).
 * Dates are epoch ms, already parsed; NaN never counts.
 */
export function countsAt(status: ScoringEvidence['status'], issuedMs: number, expiresMs: number | null, asOfMs: number): boolean {
  if (status !== 'accepted') return false;
  // Evidence issued after the scoring date did not exist then; counting it would make an old score unreproducible.
  if (!(issuedMs <= asOfMs)) return false;
  return expiresMs !== null ? asOfMs < expiresMs : withinTwelveMonths(issuedMs, asOfMs);
}

/**
 * docs/PRODUCT.md §4.2: the instant evidence stops counting, its own expiry or else 12 calendar
 * months after issue (UTC; issued on 29 February, it expires on 1 March). Epoch ms.
 */
export function evidenceExpiry(issuedMs: number, expiresMs: number | null): number {
  return expiresMs ?? twelveMonthsAfter(issuedMs);
}

function expiryOf(evidence: ScoringEvidence): number | null {
  return evidence.expiresAt === undefined || evidence.expiresAt === null ? null : parseInstant(evidence.expiresAt);
}

/**
 * Whether one piece of evidence counts at `asOf` (docs/PRODUCT.md §4.2), for callers that show
 * evidence one by one (the report's evidence lists) and must agree with the score.
 */
export function evidenceCounts(evidence: ScoringEvidence, asOf: string): boolean {
  return countsAt(evidence.status, parseInstant(evidence.issuedAt), expiryOf(evidence), parseInstant(asOf));
}

/**
 * Checks answer `a`'s evidence (docs/PRODUCT.md §4.14: unparseable dates and unknown statuses are
 * named in `issues`) and says what it supports at `asOf`, in one pass so each date is parsed once.
 */
export function evidenceSupport(list: readonly ScoringEvidence[], a: number, asOfMs: number, issues: InputIssue[]): EvidenceSupport {
  let support: EvidenceSupport = 'none';
  for (let e = 0; e < list.length; e++) {
    const ev = list[e]!;
    const issued = parseInstant(ev.issuedAt);
    const expires = expiryOf(ev);
    if (Number.isNaN(issued)) issues.push({ path: `answers[${a}].evidence[${e}].issuedAt`, message: DATE_MESSAGE });
    if (expires !== null && Number.isNaN(expires)) issues.push({ path: `answers[${a}].evidence[${e}].expiresAt`, message: DATE_MESSAGE });
    if (ev.status !== 'accepted' && ev.status !== 'rejected' && ev.status !== 'pending') {
      issues.push({ path: `answers[${a}].evidence[${e}].status`, message: 'must be accepted, rejected or pending' });
    }
    if (support === 'metrics' || !countsAt(ev.status, issued, expires, asOfMs)) continue;
    support = ev.kind === 'metrics' ? 'metrics' : 'counting';
  }
  return support;
}
