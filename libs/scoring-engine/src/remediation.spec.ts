import fc from 'fast-check';

import { type ActionStatus, actionPriority, canMove, horizonOf, isOverdue, isReopen, itemPriority, moveNeeds, movesFrom, type Priority } from './remediation.js';

const item = (over: Partial<{ questionId: string; included: boolean; critical: boolean; gap: number; weight: 1 | 2 | 3 }>) => ({
  questionId: 'Q-01',
  included: true,
  critical: false,
  gap: 1,
  weight: 1 as 1 | 2 | 3,
  ...over,
});

describe('remediation priority', () => {
  it.each([
    [{ critical: true, gap: 1 }, 'p1'],
    [{ weight: 3, gap: 2 }, 'p2'],
    [{ weight: 2, gap: 3 }, 'p2'],
    [{ weight: 3, gap: 1 }, 'p3'],
    [{ weight: 1, gap: 3 }, 'p3'],
    [{ weight: 2, gap: 1 }, 'p4'],
    [{ critical: true, gap: 0 }, 'p4'],
    [{ critical: true, gap: 2, included: false }, 'p4'],
  ] as const)('%j → %s (P1 critical below target, else weight × gap ≥ 6 / ≥ 3)', (over, expected) => {
    expect(itemPriority(item(over))).toBe(expected);
  });

  it('takes the highest priority of the linked questions', () => {
    const items = [item({ questionId: 'A', weight: 1, gap: 1 }), item({ questionId: 'B', weight: 3, gap: 2 })] as never[];
    expect(actionPriority(items, ['A', 'B'])).toBe('p2');
    expect(actionPriority(items, ['A'])).toBe('p4');
    expect(actionPriority(items, ['missing'])).toBe('p4');
  });

  it('never ranks an action below any one of its linked items (property)', () => {
    const rank = (p: Priority) => Number(p.slice(1));
    fc.assert(
      fc.property(
        fc.array(fc.record({ critical: fc.boolean(), gap: fc.integer({ min: 0, max: 4 }), weight: fc.constantFrom(1, 2, 3), included: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        (specs) => {
          const items = specs.map((s, i) => item({ ...s, weight: s.weight, questionId: `Q${i}` }));
          const all = actionPriority(items as never[], items.map((i) => i.questionId));
          return items.every((i) => rank(all) <= rank(itemPriority(i)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('horizon and overdue', () => {
  it('puts ≤ 90 days in Now, ≤ 6 months in Next, beyond in Later, and the past in Now', () => {
    expect(horizonOf('2026-11-28', '2026-11-28')).toBe('now');
    expect(horizonOf('2027-02-26', '2026-11-28')).toBe('now');
    expect(horizonOf('2027-02-27', '2026-11-28')).toBe('next');
    expect(horizonOf('2027-05-28', '2026-11-28')).toBe('next');
    expect(horizonOf('2027-05-29', '2026-11-28')).toBe('later');
    expect(horizonOf('2020-01-01', '2026-11-28')).toBe('now');
  });

  it('calls only open, in-progress and blocked actions with a past due date overdue', () => {
    expect(isOverdue('open', '2026-11-27', '2026-11-28')).toBe(true);
    expect(isOverdue('blocked', '2026-11-27', '2026-11-28')).toBe(true);
    expect(isOverdue('open', '2026-11-28', '2026-11-28')).toBe(false);
    expect(isOverdue('done', '2020-01-01', '2026-11-28')).toBe(false);
    expect(isOverdue('risk_accepted', '2020-01-01', '2026-11-28')).toBe(false);
    expect(isOverdue('open', null, '2026-11-28')).toBe(false);
  });
});

describe('status moves', () => {
  it('allows the moves docs/PRODUCT.md §7.2 lists and refuses the rest', () => {
    expect(canMove('open', 'in_progress')).toBe(true);
    expect(canMove('in_progress', 'done')).toBe(true);
    expect(canMove('open', 'done')).toBe(true);
    expect(canMove('open', 'blocked') && canMove('blocked', 'open')).toBe(true);
    expect(canMove('in_progress', 'blocked') && canMove('blocked', 'in_progress')).toBe(true);
    expect(canMove('done', 'open')).toBe(true);
    expect(canMove('risk_accepted', 'open')).toBe(true);
    expect(canMove('done', 'in_progress')).toBe(false);
    expect(canMove('risk_accepted', 'done')).toBe(false);
    expect(canMove('done', 'risk_accepted')).toBe(false);
  });

  const STATUSES: ActionStatus[] = ['open', 'in_progress', 'blocked', 'done', 'risk_accepted'];
  it('lists exactly the moves canMove allows, from every status', () => {
    for (const from of STATUSES) expect(STATUSES.filter((to) => canMove(from, to))).toEqual([...movesFrom(from)]);
  });

  it('asks a closing note to close, a reason to accept a risk or reopen, an optional reason to block, and nothing else', () => {
    for (const from of STATUSES) {
      for (const to of movesFrom(from)) {
        const expected = to === 'done' ? 'closingNote' : to === 'risk_accepted' || isReopen(from, to) ? 'reason' : to === 'blocked' ? 'optionalReason' : null;
        expect([from, to, moveNeeds(from, to)]).toEqual([from, to, expected]);
      }
    }
  });
});
