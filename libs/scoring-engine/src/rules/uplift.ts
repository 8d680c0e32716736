import type { ScoreDelta } from '../types.js';
import { type DomainTally, domainScore } from './domains.js';

/**
 * docs/PRODUCT.md §4.12: how far the item's domain score, and so the overall score, would move if
 * this item alone closed its gap (`gap` levels at `weight`). The overall score is an unweighted
 * mean of `includedDomains` domains, so it moves by the domain's change over their number.
 */
export function itemUplift(tally: DomainTally, weight: number, gap: number, includedDomains: number): ScoreDelta {
  if (gap === 0) return { overall: 0, domain: 0 };
  const domain = ((tally.weightedLevels + weight * gap) * 25) / tally.weights - domainScore(tally)!;
  return { overall: domain / includedDomains, domain };
}
