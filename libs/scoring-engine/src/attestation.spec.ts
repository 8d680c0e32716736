import fc from 'fast-check';

import { attestationCheck, type AttestationInput, UNQUALIFIED_PHRASE } from './attestation.js';
import { score } from './score.js';
import type { ScoringAnswer, ScoringInput } from './types.js';

const ASOF = '2026-11-28T12:00:00Z';
const FRESH = '2026-06-01T00:00:00Z';
const GOOD_EVIDENCE = { id: 'e1', status: 'accepted' as const, kind: 'metrics', issuedAt: '2026-10-01T00:00:00Z' };

/** A two-question bank: C-01 critical, N-01 not; both answered at 4 with metrics evidence and reviewed. */
function build(patch: { answers?: ScoringAnswer[]; actions?: AttestationInput['actions']; confirmedAt?: Record<string, string | undefined> } = {}): AttestationInput {
  const input: ScoringInput = {
    asOf: ASOF,
    bank: {
      frameworkId: 'test',
      version: '1',
      domains: [{ id: 'C', title: 'Controls' }],
      questions: [
        { id: 'C-01', domainId: 'C', weight: 3, scale: { kind: 'maturity' }, targetLevel: 3 },
        { id: 'C-02', domainId: 'C', weight: 1, scale: { kind: 'maturity' }, targetLevel: 3 },
      ],
    },
    items: { 'C-01': { applicable: true, critical: true }, 'C-02': { applicable: true, critical: false } },
    answers: patch.answers ?? [
      { questionId: 'C-01', value: 4, authorId: 'u1', reviewedByOther: true, evidence: [GOOD_EVIDENCE] },
      { questionId: 'C-02', value: 4, authorId: 'u1', reviewedByOther: true, evidence: [{ ...GOOD_EVIDENCE, id: 'e2' }] },
    ],
  };
  return {
    input,
    result: score(input),
    actions: patch.actions ?? [],
    profileFacts: ['services', 'ukMonthlyUsers'],
    profileConfirmedAt: patch.confirmedAt ?? { services: FRESH, ukMonthlyUsers: FRESH },
    signer: { name: 'Ada Exec', role: 'owner' },
    organisationName: 'Acme',
    assessmentTitle: 'Review 2026',
  };
}

const answer = (over: Partial<ScoringAnswer> & { questionId: string }): ScoringAnswer => ({ value: 4, authorId: 'u1', reviewedByOther: true, evidence: [GOOD_EVIDENCE], ...over });
const kinds = (a: AttestationInput) => attestationCheck(a).exceptions.map((e) => e.kind);

describe('the hand-on-heart check', () => {
  it('is empty for a fully evidenced, reviewed, fresh assessment and then gives the unqualified statement', () => {
    const check = attestationCheck(build());
    expect(check.exceptions).toEqual([]);
    expect(check.unqualified).toBe(true);
    expect(check.statement).toContain(UNQUALIFIED_PHRASE);
    expect(check.statement).toContain('Ada Exec');
  });

  it.each([
    ['critical_below_target', { answers: [answer({ questionId: 'C-01', value: 2 }), answer({ questionId: 'C-02' })] }],
    ['unknown_answer', { answers: [answer({ questionId: 'C-01' }), answer({ questionId: 'C-02', value: 'unknown' })] }],
    ['unsupported_claim', { answers: [answer({ questionId: 'C-01' }), answer({ questionId: 'C-02', evidence: [{ ...GOOD_EVIDENCE, status: 'rejected' }] })] }],
    ['unsupported_claim', { answers: [answer({ questionId: 'C-01' }), answer({ questionId: 'C-02', evidence: [{ ...GOOD_EVIDENCE, issuedAt: '2024-01-01T00:00:00Z' }] })] }],
    ['unsupported_claim', { answers: [answer({ questionId: 'C-01' }), answer({ questionId: 'C-02', evidence: [] })] }],
    ['unapproved_not_applicable', { answers: [answer({ questionId: 'C-01' }), answer({ questionId: 'C-02', value: 'not_applicable', naApproved: false })] }],
    ['unreviewed_answer', { answers: [answer({ questionId: 'C-01' }), answer({ questionId: 'C-02', reviewedByOther: false })] }],
    ['overdue_action', { actions: [{ id: 'a1', title: 'Fix', status: 'open', priority: 'p2', overdue: true, questionIds: [] }] }],
    ['risk_accepted', { actions: [{ id: 'a2', title: 'Skip', status: 'risk_accepted', priority: 'p4', overdue: false, questionIds: [] }] }],
    ['stale_profile_fact', { confirmedAt: { services: '2025-01-01T00:00:00Z', ukMonthlyUsers: FRESH } }],
    ['stale_profile_fact', { confirmedAt: { services: FRESH } }],
  ] as const)('produces %s from a minimal case, and the fix clears it', (kind, patch) => {
    const check = attestationCheck(build(patch as never));
    expect(check.exceptions.map((e) => e.kind)).toContain(kind);
    expect(check.unqualified).toBe(false);
    expect(check.statement).not.toContain(UNQUALIFIED_PHRASE);
    for (const e of check.exceptions) expect(check.statement).toContain(e.message);
    expect(kinds(build())).not.toContain(kind);
  });

  it('ignores overdue actions below P2 and unanswered questions the profile rules out', () => {
    expect(kinds(build({ actions: [{ id: 'a', title: 'x', status: 'open', priority: 'p3', overdue: true, questionIds: [] }] }))).toEqual([]);
  });

  it('names an overdue or risk-accepted action by its short number and title when it has one', () => {
    const check = attestationCheck(
      build({
        actions: [
          { id: 'a1', number: 'A-014', title: 'Fix', status: 'open', priority: 'p1', overdue: true, questionIds: [] },
          { id: 'a2', number: 'A-015', title: 'Skip', status: 'risk_accepted', priority: 'p4', overdue: false, questionIds: [] },
        ],
      }),
    );
    expect(check.exceptions.map((e) => e.message)).toEqual(['Action A-014 "Fix" (P1) is overdue.', 'The risk behind action A-015 "Skip" has been accepted rather than fixed.']);
  });

  it('names the evidence behind an unsupported claim', () => {
    const check = attestationCheck(build({ answers: [answer({ questionId: 'C-01' }), answer({ questionId: 'C-02', evidence: [{ ...GOOD_EVIDENCE, id: 'old', status: 'pending' }] })] }));
    expect(check.exceptions.find((e) => e.kind === 'unsupported_claim')).toMatchObject({ questionId: 'C-02', evidenceId: 'old', id: 'unsupported_claim:C-02' });
  });

  it('gives the unqualified wording exactly when the check is empty (property)', () => {
    const value = fc.constantFrom<ScoringAnswer['value']>(0, 1, 2, 3, 4, 'unknown', 'not_applicable');
    fc.assert(
      fc.property(
        fc.record({ v1: value, v2: value, r1: fc.boolean(), r2: fc.boolean(), na: fc.boolean(), ev: fc.boolean(), stale: fc.boolean(), overdue: fc.boolean() }),
        (g) => {
          const ev = g.ev ? [GOOD_EVIDENCE] : [];
          const check = attestationCheck(
            build({
              answers: [answer({ questionId: 'C-01', value: g.v1, reviewedByOther: g.r1, evidence: ev, naApproved: g.na }), answer({ questionId: 'C-02', value: g.v2, reviewedByOther: g.r2, evidence: ev, naApproved: g.na })],
              actions: g.overdue ? [{ id: 'a', title: 't', status: 'open', priority: 'p1', overdue: true, questionIds: [] }] : [],
              confirmedAt: g.stale ? { services: '2020-01-01T00:00:00Z', ukMonthlyUsers: FRESH } : { services: FRESH, ukMonthlyUsers: FRESH },
            }),
          );
          return check.unqualified === (check.exceptions.length === 0) && check.statement.includes(UNQUALIFIED_PHRASE) === check.unqualified;
        },
      ),
      { numRuns: 1000 },
    );
  });
});
