import { z } from 'zod';

import { C9_C10_UK_USERS, JURISDICTIONS, LARGE_SERVICE_UK_USERS, SERVICE_TYPES } from '@hoh/question-bank';

import { IsoDateTimeSchema, UuidSchema } from './common.js';

/*
 * The peer benchmark (issue 31, docs/PRODUCT.md §16.4): pure rules shared by the API, its tests and
 * the database function that applies them (migration 1764347390000 mirrors them in SQL; the e2e test
 * checks both agree on the same organisations).
 */

/** A cohort is published only with at least this many organisations. */
export const PEER_MIN_COHORT = 10;
/** Two nested published cohorts differ by 0 or by at least this many organisations. */
export const PEER_MIN_DIFFERENCE = 10;

/** Size bands on Ofcom's two thresholds of monthly active UK users (more than 700,000; more than 7 million). */
export const PEER_SIZE_BANDS = ['small', 'medium', 'large'] as const;
export type PeerSizeBand = (typeof PEER_SIZE_BANDS)[number];
/** One jurisdiction, or `multi` for a service in several. */
export const PEER_JURISDICTION_GROUPS = [...JURISDICTIONS, 'multi'] as const;
export type PeerJurisdictionGroup = (typeof PEER_JURISDICTION_GROUPS)[number];
export const PEER_SERVICE_TYPES = SERVICE_TYPES;
/** A dimension a cohort does not fix. */
export const ANY = '*';

/** Where one organisation sits in the lattice: the finest cell. */
export interface PeerCell {
  serviceType: string;
  sizeBand: PeerSizeBand;
  jurisdictionGroup: PeerJurisdictionGroup;
}

/** A cohort of the lattice: each dimension a value or ANY. */
export interface CohortKey {
  serviceType: string;
  sizeBand: string;
  jurisdictionGroup: string;
}

/**
 * The organisation's cell, from the profile it signed with; null when the profile does not say its
 * services, size or jurisdictions (such an organisation is in no cohort). A service offering several
 * kinds of service is placed by the first in the bank's order (user-to-user before file storage and
 * so on), so every organisation is in exactly one cell and the lattice's counts add up.
 */
export function peerCell(profile: unknown): PeerCell | null {
  if (typeof profile !== 'object' || profile === null) return null;
  const p = profile as { services?: unknown; ukMonthlyUsers?: unknown; jurisdictions?: unknown };
  const services = Array.isArray(p.services) ? p.services : [];
  const serviceType = SERVICE_TYPES.find((s) => services.includes(s));
  const users = p.ukMonthlyUsers;
  const places = Array.isArray(p.jurisdictions) ? JURISDICTIONS.filter((j) => (p.jurisdictions as unknown[]).includes(j)) : [];
  if (!serviceType || typeof users !== 'number' || !Number.isFinite(users) || places.length === 0) return null;
  const sizeBand: PeerSizeBand = users > LARGE_SERVICE_UK_USERS ? 'large' : users > C9_C10_UK_USERS ? 'medium' : 'small';
  return { serviceType, sizeBand, jurisdictionGroup: places.length === 1 ? places[0]! : 'multi' };
}

/**
 * The eight cohorts a cell belongs to, finest first: the cell, then each coarser parent dropping
 * jurisdiction, size, service in that order of preference, down to everyone. The first published one
 * is the organisation's "peers".
 */
export function cohortsOf(cell: PeerCell): CohortKey[] {
  const { serviceType: s, sizeBand: z2, jurisdictionGroup: j } = cell;
  return [
    { serviceType: s, sizeBand: z2, jurisdictionGroup: j },
    { serviceType: s, sizeBand: z2, jurisdictionGroup: ANY },
    { serviceType: s, sizeBand: ANY, jurisdictionGroup: j },
    { serviceType: ANY, sizeBand: z2, jurisdictionGroup: j },
    { serviceType: s, sizeBand: ANY, jurisdictionGroup: ANY },
    { serviceType: ANY, sizeBand: z2, jurisdictionGroup: ANY },
    { serviceType: ANY, sizeBand: ANY, jurisdictionGroup: j },
    { serviceType: ANY, sizeBand: ANY, jurisdictionGroup: ANY },
  ];
}

export const cohortId = (k: CohortKey): string => `${k.serviceType}|${k.sizeBand}|${k.jurisdictionGroup}`;
/** How many dimensions a cohort fixes: 0 (everyone) to 3 (one cell). */
export const cohortLevel = (k: CohortKey): number => [k.serviceType, k.sizeBand, k.jurisdictionGroup].filter((v) => v !== ANY).length;

/** Whether `outer` contains `inner` (a coarser cohort fixing a subset of its dimensions to the same values). */
export function cohortContains(outer: CohortKey, inner: CohortKey): boolean {
  if (cohortId(outer) === cohortId(inner)) return false;
  return (
    (outer.serviceType === ANY || outer.serviceType === inner.serviceType) &&
    (outer.sizeBand === ANY || outer.sizeBand === inner.sizeBand) &&
    (outer.jurisdictionGroup === ANY || outer.jurisdictionGroup === inner.jurisdictionGroup)
  );
}

/** Counts each cohort of the lattice over a population of cells. */
export function countCohorts(cells: readonly PeerCell[]): Map<string, { key: CohortKey; size: number }> {
  const counts = new Map<string, { key: CohortKey; size: number }>();
  for (const cell of cells) {
    for (const key of cohortsOf(cell)) {
      const id = cohortId(key);
      const entry = counts.get(id);
      if (entry) entry.size += 1;
      else counts.set(id, { key, size: 1 });
    }
  }
  return counts;
}

/**
 * The publication rule: a cohort is published when it has at least PEER_MIN_COHORT organisations and
 * differs from every published cohort containing it by 0 or at least PEER_MIN_DIFFERENCE. Decided
 * from everyone down to single cells (coarser first), so each published pair was checked when its
 * finer member was decided: no two nested published cohorts differ by 1 to 9 organisations, and no
 * organisation can be recovered by differencing them. Of two nested cohorts 10 and 12 strong, the
 * 12 (coarser) is published and the 10 suppressed.
 */
export function publishedCohorts(counts: ReadonlyMap<string, { key: CohortKey; size: number }>): Set<string> {
  const ordered = [...counts.entries()].sort(([a, x], [b, y]) => cohortLevel(x.key) - cohortLevel(y.key) || (a < b ? -1 : a > b ? 1 : 0));
  const published: { key: CohortKey; size: number }[] = [];
  const ids = new Set<string>();
  for (const [id, cohort] of ordered) {
    if (cohort.size < PEER_MIN_COHORT) continue;
    const close = published.some((p) => cohortContains(p.key, cohort.key) && p.size - cohort.size > 0 && p.size - cohort.size < PEER_MIN_DIFFERENCE);
    if (close) continue;
    published.push(cohort);
    ids.add(id);
  }
  return ids;
}

/**
 * A quantile as PostgreSQL's percentile_cont computes it (linear between the two nearest ranks), so
 * the database function and this agree.
 */
export function quantile(sortedValues: readonly number[], fraction: number): number {
  if (sortedValues.length === 0) throw new Error('quantile of nothing');
  const position = fraction * (sortedValues.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sortedValues[lower]!;
  return low + (sortedValues[upper]! - low) * (position - lower);
}

/** Figures are whole points: half rounds up (scores are never negative), like PostgreSQL's round(numeric). */
export const wholePoints = (value: number): number => Math.round(value);

export interface PeerFigures {
  q1: number;
  median: number;
  q3: number;
}

/** Lower quartile, median and upper quartile, each rounded to whole points. Nothing else is ever published. */
export function peerFigures(values: readonly number[]): PeerFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return { q1: wholePoints(quantile(sorted, 0.25)), median: wholePoints(quantile(sorted, 0.5)), q3: wholePoints(quantile(sorted, 0.75)) };
}

/** A bank version's major.minor: cohorts compare only assessments on the same one. */
export function bankMajorMinor(version: string): string | null {
  const match = /^(\d+)\.(\d+)(?:\.|$)/.exec(version);
  return match ? `${match[1]}.${match[2]}` : null;
}

const SERVICE_WORDS: Record<string, string> = {
  user_to_user: 'user-to-user platforms',
  search: 'search services',
  file_storage_sharing: 'file storage and sharing services',
  private_messaging: 'private messaging services',
  livestreaming: 'livestreaming services',
  genai: 'generative AI services',
  enterprise_devices: 'enterprises with managed devices',
  network_access: 'network access providers',
};
const SIZE_WORDS: Record<string, string> = { small: 'up to 700,000 UK users', medium: '700,000 to 7 million UK users', large: 'over 7 million UK users' };
const PLACE_WORDS: Record<string, string> = { UK: 'in the UK', EU: 'in the EU', US: 'in the US', AU: 'in Australia', multi: 'in several jurisdictions' };

/** A cohort in words, naming only the dimensions it fixes: "file storage and sharing services, up to 700,000 UK users, in the UK". */
export function cohortLabel(k: CohortKey): string {
  const parts = [
    k.serviceType === ANY ? null : (SERVICE_WORDS[k.serviceType] ?? k.serviceType),
    k.sizeBand === ANY ? null : (SIZE_WORDS[k.sizeBand] ?? k.sizeBand),
    k.jurisdictionGroup === ANY ? null : (PLACE_WORDS[k.jurisdictionGroup] ?? k.jurisdictionGroup),
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return 'all organisations taking part';
  return k.serviceType === ANY ? `organisations ${parts.join(', ')}` : parts.join(', ');
}

// ---- HTTP contract -------------------------------------------------------------------------------

export const PeerFiguresSchema = z.object({ q1: z.number().int(), median: z.number().int(), q3: z.number().int() });

export const PeerSettingsRequestSchema = z.object({ optIn: z.boolean({ error: 'Send optIn: true to take part in the peer benchmark, or false to leave it.' }) }).strict();
export type PeerSettingsRequest = z.infer<typeof PeerSettingsRequestSchema>;

export const PeerComparisonSchema = z.object({
  optedIn: z.boolean(),
  /** Why nothing is shown, when nothing is: the reader's next step. */
  reason: z.enum(['not_opted_in', 'no_signed_assessment', 'profile_incomplete', 'no_published_cohort']).nullable(),
  you: z
    .object({
      assessmentId: UuidSchema,
      signedAt: IsoDateTimeSchema,
      bankVersion: z.string(),
      score: z.number().int(),
      domains: z.array(z.object({ domainId: z.string(), score: z.number().int() })),
    })
    .nullable(),
  cohort: z
    .object({
      serviceType: z.string(),
      sizeBand: z.string(),
      jurisdictionGroup: z.string(),
      bankVersion: z.string(),
      size: z.number().int(),
      computedAt: IsoDateTimeSchema,
      overall: PeerFiguresSchema,
      domains: z.array(PeerFiguresSchema.extend({ domainId: z.string() })),
    })
    .nullable(),
});
export type PeerComparison = z.infer<typeof PeerComparisonSchema>;

export const PeerRunSchema = z.object({ period: z.string(), computedAt: IsoDateTimeSchema, contributors: z.number().int(), cohorts: z.number().int(), recomputed: z.boolean() });
export type PeerRun = z.infer<typeof PeerRunSchema>;
