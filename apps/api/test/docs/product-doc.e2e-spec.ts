import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AttestationExceptionSchema } from '@hoh/contracts';
import { CURRENT_FRAMEWORK, EVIDENCE_KINDS, getFramework, PROFILE_FACT_KEYS, REGIMES } from '@hoh/question-bank';
import { type ActionStatus, AMBER_FROM, canMove, GREEN_FROM, horizonOf, itemPriority, score } from '@hoh/scoring-engine';

import { repoRoot } from '../../src/config/repo-root.js';

/**
 * docs/PRODUCT.md states the rules the code implements; these checks hold the tables and numbers a
 * reader relies on to the code's own constants and functions, so a rule cannot change in one place
 * only. A failure names the section to update (or the code to fix, if the doc is right).
 */
const PRODUCT = readFileSync(join(repoRoot(), 'docs/PRODUCT.md'), 'utf8');

/** The text of one numbered subsection, e.g. "7.2", up to the next heading. */
function section(number: string): string {
  const start = PRODUCT.search(new RegExp(`^#{2,3} ${number.replace('.', '\\.')}\\.? `, 'm'));
  if (start === -1) throw new Error(`docs/PRODUCT.md has no §${number}; the code and tests cite it by that number.`);
  const body = PRODUCT.slice(PRODUCT.indexOf('\n', start) + 1);
  const next = body.search(/^#{2,3} /m);
  return next === -1 ? body : body.slice(0, next);
}

/** The backticked names in a section's table cells of one column (1-based), per row. */
function tableColumn(text: string, column: number): string[][] {
  return text
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .map((line) => [...(line.split('|')[column] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

const STATUSES: ActionStatus[] = ['open', 'in_progress', 'blocked', 'done', 'risk_accepted'];

describe('docs/PRODUCT.md states the rules the code implements', () => {
  it('§7.2 lists exactly the action status moves canMove allows', () => {
    const text = section('7.2');
    const documented = new Set(
      text
        .split('\n')
        .map((line) => /^\| `(\w+)` \| (.*) \|$/.exec(line))
        .flatMap((m) => (m ? [...m[2]!.matchAll(/`(\w+)`/g)].map((to) => `${m[1]} → ${to[1]}`) : [])),
    );
    const allowed = STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from && canMove(from, to)).map((to) => `${from} → ${to}`));
    expect([...documented].sort()).toEqual(allowed.sort());
  });

  it('§4.7 gives the band thresholds the engine uses', () => {
    expect(section('4.7')).toContain(`**green** ≥ ${GREEN_FROM}`);
    expect(section('4.7')).toContain(`**amber** ≥ ${AMBER_FROM}`);
  });

  it('§7.3 gives the priority thresholds itemPriority applies', () => {
    const text = section('7.3');
    expect(text).toMatch(/≥ 6 → \*\*P2\*\*, ≥ 3 → \*\*P3\*\*, else \*\*P4\*\*/);
    const p = (weight: 1 | 2 | 3, gap: number, critical = false) => itemPriority({ included: true, critical, gap, weight });
    expect([p(3, 2), p(2, 3), p(3, 1), p(1, 3), p(2, 1), p(1, 1), p(1, 1, true)]).toEqual(['p2', 'p2', 'p3', 'p3', 'p4', 'p4', 'p1']);
  });

  it('§7.4 gives the horizons horizonOf computes', () => {
    expect(section('7.4')).toContain('**now** ≤ 90 days');
    expect(section('7.4')).toContain('**next** ≤ 6 calendar months');
    expect([horizonOf('2027-03-31', '2026-12-31'), horizonOf('2027-04-01', '2026-12-31'), horizonOf('2027-06-30', '2026-12-31'), horizonOf('2027-07-01', '2026-12-31')]).toEqual([
      'now',
      'next',
      'next',
      'later',
    ]);
  });

  it('§4.3 and §4.8: the evidence caps and critical caps behave as stated', () => {
    expect(section('4.3')).toContain('is capped at **2** (`capReason: no_counting_evidence`)');
    expect(section('4.3')).toContain('is capped at **3**');
    expect(section('4.8')).toContain('effective level ≤ 1 forces **red**; at level 2 it caps at **amber**');
    const evidence = (kind: string) => ({ id: kind, status: 'accepted' as const, kind, issuedAt: '2026-01-01', expiresAt: null });
    const run = (answers: { id: string; value: 0 | 1 | 2 | 3 | 4; evidence?: string[] }[], critical: string[] = []) =>
      score({
        asOf: '2026-06-01T00:00:00Z',
        bank: {
          frameworkId: 'doc',
          version: '1.0.0',
          domains: [{ id: 'D', title: 'D' }],
          questions: ['D-01', 'D-02', 'D-03'].map((id) => ({ id, domainId: 'D', weight: 1 as const, scale: { kind: 'maturity' as const }, targetLevel: 3 })),
        },
        items: Object.fromEntries(critical.map((id) => [id, { applicable: true, critical: true }])),
        answers: answers.map((a) => ({ questionId: a.id, value: a.value, reviewedByOther: false, evidence: (a.evidence ?? []).map(evidence) })),
      });
    const caps = run([
      { id: 'D-01', value: 4 },
      { id: 'D-02', value: 4, evidence: ['policy'] },
      { id: 'D-03', value: 4, evidence: ['metrics'] },
    ]).items.map((i) => [i.effectiveLevel, i.capReason]);
    expect(caps).toEqual([
      [2, 'no_counting_evidence'],
      [3, 'no_metrics_evidence'],
      [4, 'none'],
    ]);
    const full = { evidence: ['metrics'] };
    expect(run([{ id: 'D-01', value: 1, ...full }, { id: 'D-02', value: 4, ...full }, { id: 'D-03', value: 4, ...full }], ['D-01']).overall.band).toBe('red');
    expect(run([{ id: 'D-01', value: 2, ...full }, { id: 'D-02', value: 4, ...full }, { id: 'D-03', value: 4, ...full }], ['D-01']).overall.band).toBe('amber');
    expect(run([{ id: 'D-01', value: 2, ...full }, { id: 'D-02', value: 4, ...full }, { id: 'D-03', value: 4, ...full }]).overall.band).toBe('green');
  });

  it('§8 lists exactly the attestation exception kinds', () => {
    const documented = tableColumn(section('8'), 1).flat();
    expect(documented.sort()).toEqual([...AttestationExceptionSchema.shape.kind.options].sort());
  });

  it('§3.1 lists every profile fact', () => {
    const documented = new Set(tableColumn(section('3.1'), 1).flat());
    expect(PROFILE_FACT_KEYS.filter((fact) => !documented.has(fact))).toEqual([]);
  });

  it('§3.8 lists every regime and §6.1 every evidence kind', () => {
    const regimes = tableColumn(section('3.8'), 1).flat();
    expect(regimes.sort()).toEqual([...REGIMES].sort());
    const kinds = section('6.1');
    expect(EVIDENCE_KINDS.filter((kind) => !kinds.includes(`\`${kind}\``))).toEqual([]);
  });

  it('§3.5 gives the current bank’s domains with their question counts', () => {
    const framework = getFramework(CURRENT_FRAMEWORK.id, CURRENT_FRAMEWORK.version)!;
    const rows = section('3.5')
      .split('\n')
      .map((line) => /^\| ([A-Z]{2,5}) \| .+ \| (\d+) \|$/.exec(line))
      .flatMap((m) => (m ? [`${m[1]} ${m[2]}`] : []));
    expect(rows).toEqual(framework.domains.map((d) => `${d.id} ${framework.questions.filter((q) => q.domainId === d.id).length}`));
    expect(section('3.5')).toContain(`${framework.questions.length} questions`);
  });
});
