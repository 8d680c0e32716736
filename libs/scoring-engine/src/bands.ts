import type { Band, Level } from './types.js';

export const GREEN_FROM = 75;
export const AMBER_FROM = 50;

const RANK: Record<Band, number> = { red: 0, amber: 1, green: 2 };

/** Bands are judged on the unrounded score, so 74.6 is amber even though it displays as 75. */
export function bandOf(score: number): Band {
  return score >= GREEN_FROM ? 'green' : score >= AMBER_FROM ? 'amber' : 'red';
}

export function bandRank(band: Band): number {
  return RANK[band];
}

export function lowerBand(a: Band, b: Band): Band {
  return RANK[a] <= RANK[b] ? a : b;
}

/** The best band a critical item at this level allows, or null when it imposes no cap. */
export function criticalLimit(level: Level): 'red' | 'amber' | null {
  return level <= 1 ? 'red' : level === 2 ? 'amber' : null;
}
