import fc from 'fast-check';

import { arbInput, RUNS } from '../../test/support/arbitraries.js';
import { score } from '../score.js';
import { evidenceCounts, evidenceExpiry } from './evidence.js';

describe('one piece of evidence at a time (docs/PRODUCT.md §4.2)', () => {
  it('expires 12 calendar months after issue when it has no expiry of its own, 29 February rolling to 1 March', () => {
    expect(new Date(evidenceExpiry(Date.parse('2024-02-29T00:00:00Z'), null)).toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(new Date(evidenceExpiry(Date.parse('2026-01-15T10:00:00Z'), null)).toISOString()).toBe('2027-01-15T10:00:00.000Z');
    expect(evidenceExpiry(0, 42)).toBe(42);
  });

  it('counts accepted evidence from its issue until the instant it expires, and nothing issued after the scoring date', () => {
    const ev = { id: 'e', status: 'accepted' as const, kind: 'policy', issuedAt: '2026-01-15', expiresAt: '2026-07-01T00:00:00Z' };
    expect(evidenceCounts(ev, '2026-01-15T00:00:00Z')).toBe(true);
    expect(evidenceCounts(ev, '2026-01-14T23:59:59Z')).toBe(false);
    expect(evidenceCounts(ev, '2026-06-30T23:59:59Z')).toBe(true);
    expect(evidenceCounts(ev, '2026-07-01T00:00:00Z')).toBe(false);
    expect(evidenceCounts({ ...ev, status: 'pending' }, '2026-03-01T00:00:00Z')).toBe(false);
  });

  it('agrees with the score: an item has counting evidence exactly when one of its pieces counts', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = score(input);
        for (const answer of input.answers) {
          const item = result.items.find((i) => i.questionId === answer.questionId)!;
          expect(answer.evidence.some((e) => evidenceCounts(e, input.asOf))).toBe(item.hasCountingEvidence);
        }
      }),
      { numRuns: RUNS / 10 },
    );
  });
});
