import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exposureTable110 } from './exposure.js';
import { getFramework, parseFramework } from './frameworks.js';
import { referenceMatches } from './references.js';
import type { ApplicabilityRule, Framework } from './schema.js';
import { BankMappingSchema, FrameworkSchema } from './schema.js';

// Specs may read files; the library never does.
const CONTENT = join(dirname(fileURLToPath(import.meta.url)), '..', 'content', 'hoh-csam');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(CONTENT, path), 'utf8'));

const bank = getFramework('hoh-csam', '1.1.0')!;
const previous = getFramework('hoh-csam', '1.0.0')!;
const table = exposureTable110();
const citations = bank.questions.flatMap((q) => q.references.map((r) => ({ q: q.id, ...r })));

function measureLeaves(rule: ApplicabilityRule): Array<{ regime: string; id: string }> {
  if ('measure' in rule) return [rule.measure];
  if ('all' in rule) return rule.all.flatMap(measureLeaves);
  if ('any' in rule) return rule.any.flatMap(measureLeaves);
  if ('not' in rule) return measureLeaves(rule.not);
  return [];
}

describe('hoh-csam 1.1.0 content', () => {
  it('validates, and 1.0.0 still validates and loads beside it', () => {
    expect(bank).toBeDefined();
    expect(FrameworkSchema.safeParse(readJson('1.1.0/framework.json')).success).toBe(true);
    expect(previous.questions).toHaveLength(51);
    expect(previous.questions.flatMap((q) => q.references).some((r) => r.check !== undefined)).toBe(false);
  });

  it('says how every reference was checked, with verified true exactly for primary', () => {
    expect(citations.filter((r) => r.check === undefined)).toEqual([]);
    expect(citations.filter((r) => r.verified !== (r.check?.state === 'primary'))).toEqual([]);
    expect(citations.filter((r) => r.check?.state === 'primary' && !r.check.sourceUrl?.startsWith('http'))).toEqual([]);
    expect(citations.filter((r) => r.check?.state === 'secondary' && r.check.source === undefined)).toEqual([]);
  });

  it('refuses a 1.1.0 reference without a check, and a verified flag that disagrees with its check', () => {
    const content = structuredClone(readJson('1.1.0/framework.json')) as { questions: Array<{ references: Array<Record<string, unknown>> }> };
    const first = content.questions[0]!.references[0]!;
    const { check, ...withoutCheck } = first;
    content.questions[0]!.references[0] = withoutCheck;
    expect(() => parseFramework(content)).toThrow(/GOV-01 ofcom-icu A2 has no check/);
    content.questions[0]!.references[0] = { ...first, check, verified: true };
    expect(() => parseFramework(content)).toThrow(/verified must be false because its check is secondary/);
  });

  it('keeps every Ofcom measure id off primary: the Code texts were not read (docs/PRODUCT.md §3.8)', () => {
    const ofcom = citations.filter((r) => r.regime === 'ofcom-icu' || r.regime === 'ofcom-ics');
    expect(ofcom.filter((r) => r.check?.state === 'primary')).toEqual([]);
    expect(ofcom.filter((r) => r.regime === 'ofcom-icu').every((r) => r.check?.note.includes('confirm against Ofcom') || r.check?.note.includes('Confirm against Ofcom'))).toBe(true);
  });

  it('applies the reference corrections of docs/PRODUCT.md §3.8', () => {
    const ids = (qid: string) => bank.questions.find((q) => q.id === qid)!.references.map((r) => `${r.regime} ${r.id}`);
    expect(ids('OPS-05')).toEqual(expect.arrayContaining(['uk-osa s.31', 'uk-osa s.32']));
    expect(ids('OPS-01')).toContain('uk-osa s.27');
    expect(ids('REP-02')).toContain('us-2258a (a)(1)(A)(i)');
    expect(citations.find((r) => r.id === '(a)(1)(B)')?.title).not.toMatch(/as soon as reasonably possible/);
    expect(citations.find((r) => r.regime === 'uk-osa' && r.id === 's.26')?.check?.state).toBe('primary');
    expect(citations.filter((r) => r.id === 'Reg (EU) 2026/1881').every((r) => r.check?.state === 'secondary' && /interpersonal/.test(r.title))).toBe(true);
    expect(citations.find((r) => r.id === 'Explanatory Note')?.verified).toBe(false);
    expect(ids('TRN-01')).toEqual(expect.arrayContaining(['au-osa-2021 s.49', 'au-osa-2021 s.56']));
    expect(citations.some((r) => r.regime === 'au-bose' && r.id.includes('s.49'))).toBe(false);
    expect(ids('REP-05')).toEqual(expect.arrayContaining(['us-2258b 2258B', 'us-2258b 2258B(d)', 'uk-cja-1988 s.160']));
    expect(ids('URL-04')).toContain('au-codes Internet Search Engine Services Online Safety Code');
    const ra03 = bank.questions.find((q) => q.id === 'RA-03')!;
    expect(`${ra03.text} ${ra03.guidance} ${ra03.remediation}`).not.toMatch(/3 years|3-year/);
  });

  it('accepts exercise records on the playbook, incident-roles, triage and reporting questions', () => {
    expect(bank.questions.filter((q) => q.evidenceKinds.includes('exercise')).map((q) => q.id).sort()).toEqual(['ENT-04', 'ENT-05', 'OPS-02', 'REP-02']);
  });

  it('moves the regulation snapshot date to the newest text used and keeps questions, weights and targets', () => {
    expect(bank.regulationSnapshotDate).toBe('2026-10-10');
    expect(bank.questions.map((q) => [q.id, q.weight, q.targetLevel])).toEqual(previous.questions.map((q) => [q.id, q.weight, q.targetLevel]));
  });
});

// The written rule for sub-ids is referenceMatches (references.ts): same regime, and equal ids or one
// id followed by a "." or "(" sub-division of the other (C9.1 within C9; s.66 covering s.66(1)–(2)).
describe('linkage between 1.1.0 questions and its exposure map, which cannot drift', () => {
  const resolves = (regime: string, id: string) => table.measures.filter((m) => m.regime === regime && referenceMatches(id, m.id));

  it('resolves every question reference to a regulated measure to an exposure entry', () => {
    const regulated = citations.filter((r) => r.regime !== 'other');
    expect(regulated.filter((r) => resolves(r.regime, r.id).length === 0).map((r) => `${r.q} ${r.regime} ${r.id}`)).toEqual([]);
  });

  it('cites every exposure entry that can apply in at least one question', () => {
    const canApply = table.measures.filter((m) => m.inForce !== false);
    const uncited = canApply.filter((m) => !citations.some((r) => r.regime === m.regime && referenceMatches(r.id, m.id)));
    expect(uncited.map((m) => `${m.regime} ${m.id}`)).toEqual([]);
  });

  it('cites every exposure entry that can apply by its exact id too, so the PDF (which counts exact ids) never shows 0 controls for it', () => {
    const exact = new Set(citations.map((r) => `${r.regime} ${r.id}`));
    expect(table.measures.filter((m) => m.inForce !== false && !exact.has(`${m.regime} ${m.id}`)).map((m) => `${m.regime} ${m.id}`)).toEqual([]);
  });

  it('names only exact exposure entries in measure-based critical conditions', () => {
    const named = bank.questions.flatMap((q) => (typeof q.critical === 'boolean' ? [] : measureLeaves(q.critical)).map((m) => ({ q: q.id, ...m })));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((m) => !table.measures.some((e) => e.regime === m.regime && e.id === m.id))).toEqual([]);
  });

  it('gives a question reference the same check as the exposure entry with its exact id', () => {
    const mismatched = citations.filter((r) => {
      const entry = table.measures.find((m) => m.regime === r.regime && m.id === r.id);
      return entry !== undefined && JSON.stringify(entry.check) !== JSON.stringify(r.check);
    });
    expect(mismatched.map((r) => `${r.q} ${r.regime} ${r.id}`)).toEqual([]);
  });
});

describe('mapping 1.0.0 → 1.1.0', () => {
  const mapping = BankMappingSchema.parse(readJson('mappings/1.0.0_to_1.1.0.json'));
  const newIds = new Set(bank.questions.map((q) => q.id));

  it('accounts for every 1.0.0 question exactly once', () => {
    expect(mapping.questions.map((m) => m.from).sort()).toEqual(previous.questions.map((q) => q.id).sort());
  });

  it('points only at 1.1.0 questions, and every 1.1.0 question has a predecessor or is listed as new', () => {
    const targets = mapping.questions.flatMap((m) => (m.kind === 'retired' ? [] : ([] as string[]).concat(m.to)));
    expect(targets.filter((id) => !newIds.has(id))).toEqual([]);
    expect([...newIds].filter((id) => !targets.includes(id) && !mapping.newQuestions.includes(id))).toEqual([]);
  });

  it('marks as reworded exactly the questions whose wording changed, and as unchanged only same-scale questions', () => {
    const changed = (id: string) => {
      const a = previous.questions.find((q) => q.id === id)!;
      const b = bank.questions.find((q) => q.id === id)!;
      return a.text !== b.text || a.guidance !== b.guidance || a.remediation !== b.remediation;
    };
    expect(mapping.questions.filter((m) => m.kind === 'reworded').map((m) => m.from)).toEqual(previous.questions.map((q) => q.id).filter(changed));
    for (const m of mapping.questions.filter((x) => x.kind === 'unchanged')) {
      const a: Framework['questions'][number] = previous.questions.find((q) => q.id === m.from)!;
      expect(bank.questions.find((q) => q.id === m.from)?.scale).toEqual(a.scale);
    }
  });

  it('rejects a mapping that maps a question twice or uses an unknown kind', () => {
    const twice = { frameworkId: 'hoh-csam', from: '1.0.0', to: '1.1.0', newQuestions: [], questions: [{ from: 'GOV-01', kind: 'unchanged', to: 'GOV-01' }, { from: 'GOV-01', kind: 'retired', reason: 'no longer asked here' }] };
    expect(BankMappingSchema.safeParse(twice).error?.issues[0]?.message).toMatch(/GOV-01 is mapped twice/);
    const rescaledWithoutMap = { ...twice, questions: [{ from: 'GOV-01', kind: 'rescaled', to: 'GOV-01' }] };
    expect(BankMappingSchema.safeParse(rescaledWithoutMap).success).toBe(false);
  });
});

describe('hoh-csam 1.1.0 statistics', () => {
  it('counts questions and references by check state', () => {
    const byState = (refs: Array<{ check?: { state: string } }>) =>
      refs.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.check!.state]: (acc[r.check!.state] ?? 0) + 1 }), {});
    const distinct = [...new Map(citations.map((r) => [`${r.regime}|${r.id}`, r])).values()];
    const stats = { questions: bank.questions.length, citations: byState(citations), distinct: byState(distinct), exposure: byState(table.measures) };
    expect(stats).toEqual({
      questions: 51,
      citations: { primary: 79, secondary: 70, unchecked: 62 },
      distinct: { primary: 63, secondary: 58, unchecked: 36 },
      exposure: { primary: 61, secondary: 54, unchecked: 15 },
    });
  });
});
