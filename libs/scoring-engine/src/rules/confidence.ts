import type { Confidence, ConfidenceCounts, ConfidenceLabel, ItemResult, ScoringAnswer, ScoringInput } from '../types.js';

// docs/PRODUCT.md §4.10 thresholds, compared as integer cross-products so 4/5 is exactly 80%.
const REVIEWED_NUM = 4;
const REVIEWED_DEN = 5;
const SUPPORTED_NUM = 3;
const SUPPORTED_DEN = 5;

export function emptyCounts(): ConfidenceCounts {
  return {
    applicable: 0,
    withCountingEvidence: 0,
    reviewed: 0,
    unknown: 0,
    answered: 0,
    answeredReviewed: 0,
    claimsAt3Plus: 0,
    claimsAt3PlusWithEvidence: 0,
  };
}

/**
 * docs/PRODUCT.md §4.10: what one included item adds to the counts the label and percentages are
 * read from. `claimAt3Plus` is judged on the claim after legal-duty rounding (§4.3).
 */
export function countIncluded(counts: ConfidenceCounts, item: ItemResult, answer: ScoringAnswer | undefined, claimAt3Plus: boolean): void {
  counts.applicable++;
  if (item.hasCountingEvidence) counts.withCountingEvidence++;
  if (item.status === 'unknown') counts.unknown++;
  if (item.reviewedByOther) counts.reviewed++;
  if (answer !== undefined) {
    counts.answered++;
    if (item.reviewedByOther) counts.answeredReviewed++;
  }
  if (claimAt3Plus) {
    counts.claimsAt3Plus++;
    if (item.hasCountingEvidence) counts.claimsAt3PlusWithEvidence++;
  }
}

function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : (part * 100) / whole;
}

/** docs/PRODUCT.md §4.10: the confidence label and its three percentages over included items. */
export function confidenceOf(lifecycle: ScoringInput['lifecycle'], counts: ConfidenceCounts): Confidence {
  let label: ConfidenceLabel = 'self_attested';
  if (lifecycle?.signedOff === true && lifecycle.independentlyVerified === true) {
    label = 'independently_verified';
  } else if (
    // "Reviewed" needs something to have been reviewed: with no answers the label stays self-attested.
    counts.answered > 0 &&
    counts.answeredReviewed * REVIEWED_DEN >= counts.answered * REVIEWED_NUM &&
    // With no claim at 3+, no claim is unsupported, so this condition holds.
    counts.claimsAt3PlusWithEvidence * SUPPORTED_DEN >= counts.claimsAt3Plus * SUPPORTED_NUM
  ) {
    label = 'reviewed';
  }
  return {
    label,
    evidencePct: pct(counts.withCountingEvidence, counts.applicable),
    reviewedPct: pct(counts.reviewed, counts.applicable),
    unknownPct: pct(counts.unknown, counts.applicable),
    counts,
  };
}
