import rawFramework from '../content/hoh-csam/1.0.0/framework.json' with { type: 'json' };
import { parseFramework } from './frameworks.js';
import { ApplicabilityRuleSchema, FrameworkSchema } from './schema.js';

// Each spec mutates its own deep copy of the published content, never the shared import.
type RawContent = typeof rawFramework;
type RawQuestion = RawContent['questions'][number];
function contentCopy(): RawContent {
  return structuredClone(rawFramework);
}

function question(content: RawContent, id: string): RawQuestion {
  const found = content.questions.find((q) => q.id === id);
  if (found === undefined) throw new Error(`${id} is not in the content; update the spec.`);
  return found;
}

describe('framework content schema', () => {
  it('accepts the published hoh-csam 1.0.0 content', () => {
    const result = FrameworkSchema.safeParse(rawFramework);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('rejects a duplicate question id and says ids are never reused', () => {
    const content = contentCopy();
    question(content, 'GOV-02').id = 'GOV-01';
    expect(() => parseFramework(content)).toThrow(/Question id GOV-01 is used twice/);
  });

  it('rejects a question naming an unknown domain', () => {
    const content = contentCopy();
    const q = question(content, 'TRN-05');
    q.domainId = 'XYZ';
    q.id = 'XYZ-01';
    expect(() => parseFramework(content)).toThrow(/XYZ-01 names unknown domain XYZ/);
  });

  it('rejects a critical question whose target is below 3', () => {
    const content = contentCopy();
    question(content, 'GOV-01').targetLevel = 2;
    expect(() => parseFramework(content)).toThrow(/GOV-01 can be critical, so its target must be at least 3/);
  });

  it('rejects a conditionally critical question whose target is below 3', () => {
    const content = contentCopy();
    question(content, 'NOV-02').targetLevel = 1;
    expect(() => parseFramework(content)).toThrow(/NOV-02 can be critical/);
  });

  it('rejects a legal-duty target that is not 0, 2 or 4', () => {
    const content = contentCopy();
    question(content, 'ENT-07').targetLevel = 3;
    expect(() => parseFramework(content)).toThrow(/ENT-07 is a legal duty; its target must be 0, 2 or 4/);
  });

  it('rejects a maturity scale that repeats a descriptor', () => {
    const content = contentCopy();
    const { scale } = question(content, 'HASH-02');
    const levels = 'levels' in scale ? scale.levels : undefined;
    if (levels?.[1] === undefined || levels[2] === undefined) throw new Error('HASH-02 should be a maturity question.');
    levels[2].descriptor = levels[1].descriptor;
    expect(() => parseFramework(content)).toThrow(/Each maturity level needs its own descriptor/);
  });

  it('rejects a media evidence kind because the product never holds imagery', () => {
    const content = contentCopy();
    question(content, 'HASH-01').evidenceKinds = ['image'];
    expect(() => parseFramework(content)).toThrow(/never media/);
  });

  it('rejects a reference outside the API regime vocabulary', () => {
    const content = contentCopy();
    question(content, 'REP-01').references = [{ regime: 'ncmec', id: 'x', title: 'x', verified: true }];
    expect(() => parseFramework(content)).toThrow(/Use a regime from the API vocabulary/);
  });

  it('lists every problem in one error so a content author can fix them in one pass', () => {
    const content = contentCopy();
    question(content, 'GOV-01').targetLevel = 1;
    question(content, 'ENT-07').targetLevel = 1;
    expect(() => parseFramework(content)).toThrow(/GOV-01[\s\S]*ENT-07/);
  });
});

describe('applicability rule language', () => {
  it.each([
    [{ always: true }],
    [{ all: [{ service: 'search' }, { jurisdiction: 'UK' }] }],
    [{ any: [{ risk: { kind: 'grooming', atLeast: 'high' } }, { fact: 'ukMonthlyUsers', gt: 700000 }] }],
    [{ not: { fact: 'e2ee', is: true }, label: 'no E2EE' }],
  ])('accepts %j', (rule) => {
    expect(ApplicabilityRuleSchema.safeParse(rule).success).toBe(true);
  });

  it.each([
    [{ service: 'dating' }],
    [{ fact: 'ukMonthlyUsers', gt: 1, lt: 5 }],
    [{ fact: 'ukMonthlyUsers', is: true }],
    [{ fact: 'e2ee', gt: 0 }],
    [{ all: [] }],
    [{ risk: { kind: 'imageCsam', atLeast: 'low' } }],
    [{ service: 'search', extra: 1 }],
  ])('rejects %j', (rule) => {
    expect(ApplicabilityRuleSchema.safeParse(rule).success).toBe(false);
  });
});
