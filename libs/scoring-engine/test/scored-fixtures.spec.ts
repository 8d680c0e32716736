import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { score } from '../src/index.js';
import type { ScoringInput, ScoringResult } from '../src/index.js';

// Whole results recorded from the engine as it stood before score.ts was split into one function
// per rule (issue 26 item 5): the demo seed's answers, the report builder's sample and stress
// models, assessments from the scoring bench's population, the hand-worked scenarios and inputs
// from a fixed fast-check seed. Each file names where its input came from. A rule change that is
// meant to move a result re-records the files it moves, in the same commit, and says why.
interface ScoredFixture {
  source: string;
  input: ScoringInput;
  result: ScoringResult;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'scored');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('scored fixtures: the engine returns the recorded result, byte for byte', () => {
  it('covers the demo seed, the report builder, the bench population and seeded random inputs', () => {
    const names = files.join(' ');
    for (const prefix of ['demo-seed', 'report-builder-', 'bench-population-', 'fast-check-', 'scenario-']) expect(names).toContain(prefix);
  });

  it.each(files)('%s', (file) => {
    const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ScoredFixture;
    const json = JSON.stringify(score(fixture.input));
    // Structural first, for a readable diff; then the serialised text, which also pins key order.
    expect(JSON.parse(json)).toEqual(fixture.result);
    expect(json).toBe(JSON.stringify(fixture.result));
  });
});
