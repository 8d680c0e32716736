import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ENGINE_VERSION, ScoringInputError, score } from '../src/index.js';
import type { ScoringInput, ScoringResult } from '../src/index.js';
import { partialMismatches } from './support/match-partial.js';

interface ValidFixture {
  scenario: string;
  behaviour: string;
  working: string[];
  input: ScoringInput;
  expected: {
    overall?: object;
    domains?: Record<string, object>;
    items?: Record<string, object>;
    criticalCaps?: object[];
    confidence?: object;
    explanationIncludes?: string[];
  };
}

interface InvalidFixture {
  scenario: string;
  behaviour: string;
  input: ScoringInput;
  expectedIssuePaths: string[];
}

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

// Read per test so no test can mutate another's input.
function load<T>(kind: 'valid' | 'invalid', file: string): T {
  return JSON.parse(readFileSync(join(fixtures, kind, file), 'utf8')) as T;
}
const files = (kind: 'valid' | 'invalid') =>
  readdirSync(join(fixtures, kind))
    .filter((f) => f.endsWith('.json'))
    .sort();

function mismatches(result: ScoringResult, expected: ValidFixture['expected']): string[] {
  const out: string[] = [];
  if (expected.overall) out.push(...partialMismatches(result.overall, expected.overall, 'overall'));
  for (const [id, e] of Object.entries(expected.domains ?? {})) {
    out.push(
      ...partialMismatches(
        result.domains.find((d) => d.domainId === id),
        e,
        `domains.${id}`,
      ),
    );
  }
  for (const [id, e] of Object.entries(expected.items ?? {})) {
    out.push(
      ...partialMismatches(
        result.items.find((i) => i.questionId === id),
        e,
        `items.${id}`,
      ),
    );
  }
  if (expected.criticalCaps) out.push(...partialMismatches(result.criticalCaps, expected.criticalCaps, 'criticalCaps'));
  if (expected.confidence) out.push(...partialMismatches(result.confidence, expected.confidence, 'confidence'));
  for (const sentence of expected.explanationIncludes ?? []) {
    if (!result.explanation.includes(sentence)) out.push(`explanation lacks "${sentence}"; got ${JSON.stringify(result.explanation)}`);
  }
  return out;
}

describe('golden scenarios (expected values worked out by hand in each fixture)', () => {
  it('has at least the twelve required scenarios', () => {
    expect(files('valid').length).toBeGreaterThanOrEqual(12);
  });

  describe.each(files('valid'))('%s', (file) => {
    const fixture = load<ValidFixture>('valid', file);

    it(`${fixture.behaviour}`, () => {
      expect(fixture.working.length).toBeGreaterThan(0);
      const result = score(load<ValidFixture>('valid', file).input);
      expect(mismatches(result, fixture.expected)).toEqual([]);
    });

    it('records the engine version, bank version and scoring date', () => {
      const { input } = load<ValidFixture>('valid', file);
      const result = score(input);
      expect(result.engineVersion).toBe(ENGINE_VERSION);
      expect(result.bank).toEqual({ frameworkId: input.bank.frameworkId, version: input.bank.version });
      expect(result.asOf).toBe(input.asOf);
    });
  });
});

describe('invalid inputs are refused with the offending fields named', () => {
  describe.each(files('invalid'))('%s', (file) => {
    const fixture = load<InvalidFixture>('invalid', file);

    it(`${fixture.behaviour}`, () => {
      let caught: unknown;
      try {
        score(fixture.input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ScoringInputError);
      expect((caught as ScoringInputError).issues.map((i) => i.path)).toEqual(fixture.expectedIssuePaths);
    });
  });
});
