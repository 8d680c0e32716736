import type { CapReason, ItemStatus, Level, ScaleKind, ScoringAnswer, ScoringItemContext } from '../types.js';
import type { EvidenceSupport } from './evidence.js';

/**
 * docs/PRODUCT.md §4.4: an item's status from its applicability and its answer. The profile rules
 * an item out whatever the answer; an N/A counts as left out only once a reviewer approved it.
 */
export function itemStatus(context: ScoringItemContext, answer: ScoringAnswer | undefined): ItemStatus {
  if (context.applicable === false) return 'excluded_by_profile';
  if (!answer) return 'unanswered';
  if (answer.value === 'unknown') return 'unknown';
  if (answer.value === 'not_applicable') return answer.naApproved === true ? 'not_applicable' : 'na_pending';
  return 'answered';
}

/** docs/PRODUCT.md §4.4–4.5: excluded and approved-N/A items are left out of numerator and denominator. */
export function isIncluded(status: ItemStatus): boolean {
  return status !== 'excluded_by_profile' && status !== 'not_applicable';
}

/**
 * docs/PRODUCT.md §4.3: a legal duty takes 4, 2 or 0, so a claim of 3 or 1 rounds down (a duty not
 * fully met is at best partial). The evidence caps and the 3+ claim count judge the rounded claim.
 */
export function roundedClaim(scale: ScaleKind, claimed: Level): Level {
  return scale === 'legal_duty' && (claimed === 1 || claimed === 3) ? ((claimed - 1) as Level) : claimed;
}

/**
 * docs/PRODUCT.md §4.3: why an answered item counts below its claim, if it does. A claim of 3+
 * with no counting evidence is capped at 2; a maturity 4 without counting metrics evidence at 3
 * (a legal duty's 4 means "yes" and needs no metrics); otherwise a rounded legal-duty claim says so.
 */
export function capReason(scale: ScaleKind, claimed: Level, support: EvidenceSupport): CapReason {
  const claim = roundedClaim(scale, claimed);
  if (claim >= 3 && support === 'none') return 'no_counting_evidence';
  if (claim === 4 && scale === 'maturity' && support !== 'metrics') return 'no_metrics_evidence';
  return claim !== claimed ? 'legal_duty_rounded' : 'none';
}

/** docs/PRODUCT.md §4.3: effective level = min(rounded claim, evidence cap). */
export function effectiveLevel(scale: ScaleKind, claimed: Level, cap: CapReason): Level {
  if (cap === 'no_counting_evidence') return 2;
  if (cap === 'no_metrics_evidence') return 3;
  return roundedClaim(scale, claimed);
}
