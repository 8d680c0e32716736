import type { Level, ScaleKind, ScoringAnswer, ScoringEvidence, ScoringInput, ScoringQuestion } from '../../src/index.js';

export const AS_OF = '2026-06-30T00:00:00Z';

export interface QuestionSpec {
  id?: string;
  weight?: 1 | 2 | 3;
  kind?: ScaleKind;
  target?: number;
}

export interface DomainSpec {
  id: string;
  questions: QuestionSpec[];
}

export type Bank = ScoringInput['bank'];

/** A bank from a compact description; question ids default to `<DOMAIN>-<nn>`. */
export function buildBank(domains: DomainSpec[]): Bank {
  const questions: ScoringQuestion[] = [];
  for (const d of domains) {
    d.questions.forEach((q, k) => {
      questions.push({
        id: q.id ?? `${d.id}-${String(k + 1).padStart(2, '0')}`,
        domainId: d.id,
        weight: q.weight ?? 1,
        scale: { kind: q.kind ?? 'maturity' },
        targetLevel: q.target ?? 3,
      });
    });
  }
  return {
    frameworkId: 'hoh-test',
    version: '0.0.1',
    domains: domains.map((d) => ({ id: d.id, title: `Domain ${d.id}` })),
    questions,
  };
}

let evidenceSeq = 0;

export function evidence(overrides: Partial<ScoringEvidence> = {}): ScoringEvidence {
  evidenceSeq += 1;
  return { id: `ev-${evidenceSeq}`, status: 'accepted', kind: 'policy', issuedAt: '2026-01-15T00:00:00Z', ...overrides };
}

export const metricsEvidence = (overrides: Partial<ScoringEvidence> = {}) => evidence({ kind: 'metrics', ...overrides });

export function answer(
  questionId: string,
  value: Level | 'unknown' | 'not_applicable',
  overrides: Partial<ScoringAnswer> = {},
): ScoringAnswer {
  return { questionId, value, authorId: 'author', reviewedByOther: false, evidence: [], ...overrides };
}

export function inputFor(bank: Bank, overrides: Partial<ScoringInput> = {}): ScoringInput {
  return { asOf: AS_OF, bank, items: {}, answers: [], ...overrides };
}
