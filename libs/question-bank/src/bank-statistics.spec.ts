import { getFramework } from './frameworks.js';
import type { Question } from './schema.js';

// The control ids of the control catalogue the bank was written from (docs/PRODUCT.md §3.5). Kept here
// as an independent list so a question silently dropped from the content fails this spec.
const CONTROLS_MD_SECTION_4_IDS = [
  'GOV-01',
  'GOV-02',
  'GOV-03',
  'GOV-04',
  'GOV-05',
  'GOV-06',
  'RA-01',
  'RA-02',
  'RA-03',
  'RA-04',
  'RA-05',
  'RA-06',
  'HASH-01',
  'HASH-02',
  'HASH-03',
  'HASH-04',
  'HASH-05',
  'HASH-06',
  'URL-01',
  'URL-02',
  'URL-03',
  'URL-04',
  'URL-05',
  'NOV-01',
  'NOV-02',
  'NOV-03',
  'NOV-04',
  'NOV-05',
  'OPS-01',
  'OPS-02',
  'OPS-03',
  'OPS-04',
  'OPS-05',
  'OPS-06',
  'REP-01',
  'REP-02',
  'REP-03',
  'REP-04',
  'REP-05',
  'ENT-01',
  'ENT-02',
  'ENT-03',
  'ENT-04',
  'ENT-05',
  'ENT-06',
  'ENT-07',
  'TRN-01',
  'TRN-02',
  'TRN-03',
  'TRN-04',
  'TRN-05',
];
const CONTROLS_MD_LEGAL_DUTY_IDS = ['RA-03', 'RA-05', 'HASH-05', 'REP-01', 'ENT-07'];
const CONTROLS_MD_CRITICAL_IDS = [
  'GOV-01',
  'GOV-06',
  'RA-01',
  'HASH-01',
  'URL-01',
  'URL-02',
  'URL-04',
  'NOV-02',
  'NOV-04',
  'OPS-01',
  'OPS-05',
  'REP-01',
  'REP-02',
  'REP-03',
  'ENT-02',
  'ENT-04',
];

// These hold hoh-csam 1.0.0 to the control catalogue it was written from; 1.1.0 has bank-1.1.0.spec.ts.
const framework = getFramework('hoh-csam', '1.0.0')!;
const questions = framework.questions;
const refs = (q: Question) => q.references;

describe('hoh-csam 1.0.0 bank statistics', () => {
  it('has the nine domains of docs/PRODUCT.md §3.5 in order', () => {
    expect(framework.domains.map((d) => d.id)).toEqual(['GOV', 'RA', 'HASH', 'URL', 'NOV', 'OPS', 'REP', 'ENT', 'TRN']);
  });

  it('has between 45 and 60 questions', () => {
    expect(questions.length).toBeGreaterThanOrEqual(45);
    expect(questions.length).toBeLessThanOrEqual(60);
  });

  it('covers every control id of the control catalogue', () => {
    const ids = questions.map((q) => q.id);
    expect(CONTROLS_MD_SECTION_4_IDS.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('uses the legal-duty scale exactly for the legal duties of docs/PRODUCT.md §3.5', () => {
    expect(questions.filter((q) => q.scale.kind === 'legal_duty').map((q) => q.id)).toEqual(CONTROLS_MD_LEGAL_DUTY_IDS);
  });

  it('marks as (possibly) critical exactly the critical items of docs/PRODUCT.md §3.5', () => {
    expect(questions.filter((q) => q.critical !== false).map((q) => q.id)).toEqual(CONTROLS_MD_CRITICAL_IDS);
  });

  it('gives every maturity question five distinct descriptors, levels 0 to 4', () => {
    for (const q of questions) {
      if (q.scale.kind !== 'maturity') continue;
      expect(q.scale.levels.map((l) => l.level)).toEqual([0, 1, 2, 3, 4]);
      expect(new Set(q.scale.levels.map((l) => l.descriptor)).size).toBe(5);
    }
  });

  it('writes descriptors for each question rather than reusing generic ones', () => {
    const descriptors = questions.flatMap((q) =>
      q.scale.kind === 'maturity' ? q.scale.levels.map((l) => l.descriptor) : q.scale.options.map((o) => o.descriptor),
    );
    expect(new Set(descriptors).size).toBe(descriptors.length);
  });

  it('gives every legal-duty question yes=4, partial=2, no=0 with descriptors and a target of 4', () => {
    for (const q of questions) {
      if (q.scale.kind !== 'legal_duty') continue;
      expect(q.scale.options.map((o) => [o.label, o.value])).toEqual([
        ['yes', 4],
        ['partial', 2],
        ['no', 0],
      ]);
      expect(q.targetLevel).toBe(4);
    }
  });

  it('targets level 3 or more on every question that can be critical', () => {
    expect(questions.filter((q) => q.critical !== false && q.targetLevel < 3).map((q) => q.id)).toEqual([]);
  });

  it('makes NOV-02 critical only when children are likely and NOV-04 only when generative AI is offered', () => {
    const byId = new Map(questions.map((q) => [q.id, q]));
    expect(byId.get('NOV-02')?.critical).toMatchObject({ fact: 'childrenLikely', is: true });
    expect(byId.get('NOV-04')?.critical).toMatchObject({ service: 'genai' });
  });

  it('accepts only document-style evidence kinds, never media', () => {
    const kinds = new Set(questions.flatMap((q) => q.evidenceKinds));
    expect([...kinds].filter((k) => /image|video|audio|media|photo/.test(k))).toEqual([]);
  });

  it('cites at least one reference per question, with unique question ids', () => {
    expect(questions.filter((q) => refs(q).length === 0)).toEqual([]);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
  });
});

describe('hoh-csam 1.0.0 follows the reference corrections of docs/PRODUCT.md §3.8', () => {
  const all = questions.flatMap((q) => refs(q).map((r) => ({ q: q.id, ...r })));

  it('keeps every Ofcom ICU and ICS measure id unverified (only third-party records quote the Code)', () => {
    expect(all.filter((r) => (r.regime === 'ofcom-icu' || r.regime === 'ofcom-ics') && r.verified)).toEqual([]);
  });

  it('cites SI 2026/268 by its own regulation numbers (4, 6, 8), not the revoked SI 2025/368 numbering', () => {
    const si = all.filter((r) => r.regime === 'uk-si-2026-268').map((r) => r.id);
    expect(si).toEqual(expect.arrayContaining(['reg 4', 'reg 6', 'reg 8']));
    expect(si.filter((id) => /reg (1[2-9]|20)|Part 2|regs/.test(id))).toEqual([]);
    expect(all.filter((r) => r.regime === 'uk-si-2026-268' && /^reg /.test(r.id) && r.verified)).toEqual([]);
  });

  it('bases the NCMEC foreign-agency rule on OSA s.70(5) and the explanatory note', () => {
    const rep01 = all.filter((r) => r.q === 'REP-01').map((r) => `${r.regime} ${r.id}`);
    expect(rep01).toEqual(expect.arrayContaining(['uk-osa s.70(5)', 'uk-si-2026-268 Explanatory Note']));
  });

  it('does not cite ICS C8 for CSAM search controls, nor ICU C15/C16 for anything', () => {
    expect(all.filter((r) => r.id === 'C8' && r.regime === 'ofcom-ics')).toEqual([]);
    expect(all.filter((r) => r.regime === 'ofcom-icu' && /C1[56]/.test(r.id))).toEqual([]);
  });

  it('cites the EU successor Regulation 2026/1881 and keeps DIS/RES section numbers unverified', () => {
    expect(all.some((r) => r.id === 'Reg (EU) 2026/1881')).toBe(true);
    expect(all.filter((r) => (r.regime === 'au-dis' || r.regime === 'au-res') && r.verified)).toEqual([]);
  });

  it('keeps Voluntary Principles 8 to 11 unverified and 1 to 7 verified', () => {
    const vps = all.filter((r) => r.regime === 'five-eyes-vp');
    for (const r of vps) {
      const n = Number(r.id.replace('VP ', ''));
      expect([r.id, r.verified]).toEqual([r.id, n <= 7]);
    }
  });

  it('cites PCA 1978 s.1B for the handling defence rather than SOA 2003 s.46 alone', () => {
    expect(all.some((r) => r.regime === 'uk-pca-1978' && r.id === 's.1B')).toBe(true);
  });
});
