import { drillOutcome } from './drill-report.js';

describe('a drill\'s outcome line in the board pack (docs/PRODUCT.md §15.8)', () => {
  it('counts each decision by its last rating, times each milestone by its first decision, and counts follow-ups', () => {
    expect(
      drillOutcome(
        [
          { decision: 'escalate', rating: null, milestone: 'escalation', elapsed: 4 * 60_000 },
          { decision: 'escalate', rating: 'as_expected', milestone: 'escalation', elapsed: 6 * 60_000 },
          { decision: 'stop', rating: 'missed', milestone: null, elapsed: 5 * 60_000 },
          { decision: 'stop', rating: 'partly', milestone: null, elapsed: 7 * 60_000 },
          { decision: 'isolate', rating: 'missed', milestone: 'isolation', elapsed: 9 * 60_000 + 20_000 },
        ],
        1,
      ),
    ).toBe('1 as expected, 1 partly, 1 missed; escalation at 4 min, isolation at 9 min, report decision not reached; 1 follow-up');
    expect(drillOutcome([], 2)).toBe('no decision rated; escalation not reached, isolation not reached, report decision not reached; 2 follow-ups');
  });
});
