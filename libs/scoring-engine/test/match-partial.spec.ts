import { partialMismatches } from './support/match-partial.js';

describe('the golden-fixture comparator', () => {
  it('accepts hand-rounded numbers within half a unit of the fourth decimal', () => {
    expect(partialMismatches({ score: 54.166666 }, { score: 54.1667 })).toEqual([]);
  });

  it('reports a number outside tolerance, a wrong string and a missing key', () => {
    const found = partialMismatches({ score: 54.2, band: 'red' }, { score: 54.1667, band: 'amber', rawBand: 'amber' });
    expect(found).toHaveLength(3);
  });

  it('compares arrays element by element and by length', () => {
    expect(partialMismatches(['A', 'B'], ['A'])).toHaveLength(1);
    expect(partialMismatches([{ id: 'A', x: 1 }], [{ id: 'A' }])).toEqual([]);
  });

  it('tells null apart from 0', () => {
    expect(partialMismatches({ score: 0 }, { score: null })).toHaveLength(1);
  });
});
