import type { Level } from '../types.js';

/**
 * One domain's included items, summed as docs/PRODUCT.md §4.5 needs: weight × effective level and
 * weights, both integers, so the score does not depend on item order.
 */
export interface DomainTally {
  weightedLevels: number;
  weights: number;
  /** The lowest effective level among included items (§4.9); 5 while none is included. */
  lowestLevel: number;
  includedItems: number;
  excludedItems: number;
}

export function emptyTally(): DomainTally {
  return { weightedLevels: 0, weights: 0, lowestLevel: 5, includedItems: 0, excludedItems: 0 };
}

export function addIncluded(tally: DomainTally, weight: number, level: Level): void {
  tally.weightedLevels += weight * level;
  tally.weights += weight;
  tally.includedItems++;
  if (level < tally.lowestLevel) tally.lowestLevel = level;
}

/**
 * docs/PRODUCT.md §4.5: Σ(weight × level) ÷ (4 × Σ weight) × 100, written as × 25 over the weights;
 * null for a domain with no included item.
 */
export function domainScore(tally: DomainTally): number | null {
  return tally.weights === 0 ? null : (tally.weightedLevels * 25) / tally.weights;
}

/** docs/PRODUCT.md §4.9: the achieved level is the lowest effective level; null when nothing is included. */
export function achievedLevel(tally: DomainTally): Level | null {
  return tally.weights === 0 ? null : (tally.lowestLevel as Level);
}

/**
 * docs/PRODUCT.md §4.6: the unweighted mean of the domains that have a score. With nothing
 * included there is nothing to vouch for, so the assessment reads 0 (red) rather than "no score".
 */
export function overallScore(domainScores: readonly (number | null)[]): { score: number; includedDomains: number } {
  let sum = 0;
  let includedDomains = 0;
  for (let d = 0; d < domainScores.length; d++) {
    const s = domainScores[d];
    if (s === null || s === undefined) continue;
    sum += s;
    includedDomains++;
  }
  return { score: includedDomains === 0 ? 0 : sum / includedDomains, includedDomains };
}
