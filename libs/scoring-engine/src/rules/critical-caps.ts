import { bandRank, criticalLimit, lowerBand } from '../bands.js';
import type { Band, CriticalCap, ItemResult } from '../types.js';

/**
 * docs/PRODUCT.md §4.8: every included critical item at effective level 2 or below, in bank order,
 * with the best band it allows (≤ 1 red, 2 amber), whether or not it moves a band.
 */
export function criticalCapsOf(items: readonly ItemResult[]): CriticalCap[] {
  const caps: CriticalCap[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (!item.critical || item.effectiveLevel === null) continue;
    const limit = criticalLimit(item.effectiveLevel);
    if (limit === null) continue;
    caps.push({ questionId: item.questionId, domainId: item.domainId, effectiveLevel: item.effectiveLevel, limit });
  }
  return caps;
}

/**
 * docs/PRODUCT.md §4.8: a raw band under the critical caps, overall (`domainId` null) or for one
 * domain (its own items' caps only). `cappedBy` lists the items whose limit is below the raw band,
 * red limits first, then amber, each in bank order: the items that actually moved the band.
 */
export function applyCaps(raw: Band, caps: readonly CriticalCap[], domainId: string | null): { band: Band; cappedBy: string[] } {
  let band = raw;
  const rawRank = bandRank(raw);
  let reds: string[] | undefined;
  let ambers: string[] | undefined;
  for (let c = 0; c < caps.length; c++) {
    const cap = caps[c]!;
    if (domainId !== null && cap.domainId !== domainId) continue;
    if (bandRank(cap.limit) >= rawRank) continue;
    band = lowerBand(band, cap.limit);
    if (cap.limit === 'red') (reds ??= []).push(cap.questionId);
    else (ambers ??= []).push(cap.questionId);
  }
  const cappedBy = reds ? (ambers ? reds.concat(ambers) : reds) : (ambers ?? []);
  return { band, cappedBy };
}
