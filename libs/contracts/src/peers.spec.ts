import fc from 'fast-check';

import {
  ANY,
  bankMajorMinor,
  cohortContains,
  cohortLabel,
  cohortId,
  cohortsOf,
  countCohorts,
  PEER_JURISDICTION_GROUPS,
  PEER_SERVICE_TYPES,
  PEER_SIZE_BANDS,
  type PeerCell,
  peerCell,
  peerFigures,
  publishedCohorts,
  quantile,
} from './peers.js';

const cell = (serviceType = 'user_to_user', sizeBand: PeerCell['sizeBand'] = 'small', jurisdictionGroup: PeerCell['jurisdictionGroup'] = 'UK'): PeerCell => ({
  serviceType,
  sizeBand,
  jurisdictionGroup,
});
const times = (n: number, c: PeerCell): PeerCell[] => Array.from({ length: n }, () => c);
const arbCell = fc.record({
  serviceType: fc.constantFrom(...PEER_SERVICE_TYPES.slice(0, 3)),
  sizeBand: fc.constantFrom(...PEER_SIZE_BANDS),
  jurisdictionGroup: fc.constantFrom(...PEER_JURISDICTION_GROUPS.slice(0, 3)),
});

describe('peer benchmark rules (docs/PRODUCT.md §16.4)', () => {
  it('places an organisation by its first service in bank order, Ofcom’s size thresholds and one jurisdiction or "multi"', () => {
    expect(peerCell({ services: ['file_storage_sharing', 'user_to_user'], ukMonthlyUsers: 700_000, jurisdictions: ['UK'] })).toEqual(cell('user_to_user', 'small', 'UK'));
    expect(peerCell({ services: ['search'], ukMonthlyUsers: 700_001, jurisdictions: ['UK', 'EU'] })).toEqual(cell('search', 'medium', 'multi'));
    expect(peerCell({ services: ['search'], ukMonthlyUsers: 7_000_001, jurisdictions: ['AU'] })).toEqual(cell('search', 'large', 'AU'));
    expect(peerCell({ services: [], ukMonthlyUsers: 10, jurisdictions: ['UK'] })).toBeNull();
    expect(peerCell({ services: ['search'], jurisdictions: ['UK'] })).toBeNull();
    expect(peerCell(null)).toBeNull();
  });

  it('puts each cell in eight cohorts of the fixed lattice, finest first and everyone last, each containing the ones before it that it is coarser than', () => {
    const keys = cohortsOf(cell());
    expect(keys).toHaveLength(8);
    expect(new Set(keys.map(cohortId)).size).toBe(8);
    expect(keys[0]).toEqual(cell());
    expect(keys[7]).toEqual({ serviceType: ANY, sizeBand: ANY, jurisdictionGroup: ANY });
    expect(cohortContains(keys[7]!, keys[0]!)).toBe(true);
    expect(cohortContains(keys[0]!, keys[7]!)).toBe(false);
    expect(cohortContains(keys[1]!, keys[2]!)).toBe(false);
  });

  it('publishes a cohort of 10 and suppresses one of 9', () => {
    expect(publishedCohorts(countCohorts(times(9, cell())))).toEqual(new Set());
    // Ten identical organisations: every cohort holds the same ten, differing by 0, so all are published.
    expect(publishedCohorts(countCohorts(times(10, cell())))).toEqual(new Set(cohortsOf(cell()).map(cohortId)));
  });

  it('publishes nested cohorts of 10 and 20; of 10 and 15, or 10 and 12, only the larger (a difference of 1 to 9 is never shown)', () => {
    const inner = cohortId(cell('user_to_user', 'small', 'UK'));
    const outer = cohortId({ serviceType: 'user_to_user', sizeBand: 'small', jurisdictionGroup: ANY });
    const nested = (others: number): Set<string> => publishedCohorts(countCohorts([...times(10, cell('user_to_user', 'small', 'UK')), ...times(others, cell('user_to_user', 'small', 'EU'))]));
    expect([nested(10).has(inner), nested(10).has(outer)]).toEqual([true, true]);
    expect([nested(5).has(inner), nested(5).has(outer)]).toEqual([false, true]);
    expect([nested(2).has(inner), nested(2).has(outer)]).toEqual([false, true]);
  });

  it('never publishes a cohort under 10, nor two nested cohorts differing by 1 to 9 organisations (any population)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbCell, fc.integer({ min: 1, max: 14 })), { maxLength: 12 }), (groups) => {
        const counts = countCohorts(groups.flatMap(([c, n]) => times(n, c)));
        const published = [...publishedCohorts(counts)].map((id) => counts.get(id)!);
        for (const a of published) {
          expect(a.size).toBeGreaterThanOrEqual(10);
          for (const b of published) {
            if (!cohortContains(a.key, b.key)) continue;
            const difference = a.size - b.size;
            expect(difference === 0 || difference >= 10).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('computes quartiles as PostgreSQL’s percentile_cont and rounds them to whole points, half up', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.25)).toBe(10);
    expect(peerFigures([40, 10, 20, 30])).toEqual({ q1: 18, median: 25, q3: 33 });
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }), (values) => {
        const f = peerFigures(values);
        expect(Number.isInteger(f.q1) && Number.isInteger(f.median) && Number.isInteger(f.q3)).toBe(true);
        expect(f.q1 <= f.median && f.median <= f.q3).toBe(true);
        expect(f.q1).toBeGreaterThanOrEqual(Math.round(Math.min(...values)));
        expect(f.q3).toBeLessThanOrEqual(Math.round(Math.max(...values)));
      }),
    );
  });

  it('names a cohort by the dimensions it fixes only', () => {
    expect(cohortLabel({ serviceType: 'search', sizeBand: 'small', jurisdictionGroup: 'UK' })).toBe('search services, up to 700,000 UK users, in the UK');
    expect(cohortLabel({ serviceType: ANY, sizeBand: ANY, jurisdictionGroup: 'multi' })).toBe('organisations in several jurisdictions');
    expect(cohortLabel({ serviceType: ANY, sizeBand: ANY, jurisdictionGroup: ANY })).toBe('all organisations taking part');
  });

  it('compares bank versions by major.minor only', () => {
    expect(bankMajorMinor('1.2.0')).toBe('1.2');
    expect(bankMajorMinor('1.2.7')).toBe('1.2');
    expect(bankMajorMinor('1.10')).toBe('1.10');
    expect(bankMajorMinor('x')).toBeNull();
  });
});
