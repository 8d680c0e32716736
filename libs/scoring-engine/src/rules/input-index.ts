import { ScoringInputError } from '../errors.js';
import { parseInstant } from '../time.js';
import type { InputIssue, Level, ScoringAnswer, ScoringInput } from '../types.js';
import { type EvidenceSupport, evidenceSupport } from './evidence.js';

/** The input checked and indexed by bank position: what every later rule reads. */
export interface IndexedInput {
  asOfMs: number;
  /** Domain id → its position in `bank.domains`. */
  domainIndex: Map<string, number>;
  /** The answer to each bank question, by question position. */
  answerAt: (ScoringAnswer | undefined)[];
  /** What each answer's evidence supports at `asOf` (docs/PRODUCT.md §4.2), by question position. */
  supportAt: EvidenceSupport[];
}

function isLevel(value: unknown): value is Level {
  return value === 0 || value === 1 || value === 2 || value === 3 || value === 4;
}

function isTargetValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4;
}

/**
 * docs/PRODUCT.md §4.14: the engine refuses rather than guesses. Every offending field is named
 * in one ScoringInputError; cheap enough to run on every call.
 */
export function indexInput(input: ScoringInput): IndexedInput {
  const asOfMs = parseInstant(input.asOf);
  const issues: InputIssue[] = [];
  if (Number.isNaN(asOfMs)) {
    issues.push({ path: 'asOf', message: 'must be an ISO 8601 timestamp with a time zone' });
  }
  const { domains, questions } = input.bank;
  const domainIndex = new Map<string, number>();
  const questionIndex = new Map<string, number>();
  const answerAt = new Array<ScoringAnswer | undefined>(questions.length);
  const supportAt = new Array<EvidenceSupport>(questions.length).fill('none');
  for (let d = 0; d < domains.length; d++) {
    const id = domains[d]!.id;
    if (domainIndex.has(id)) issues.push({ path: `bank.domains[${d}].id`, message: `duplicate domain id ${id}` });
    else domainIndex.set(id, d);
  }
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    if (questionIndex.has(q.id)) {
      issues.push({ path: `bank.questions[${i}].id`, message: `duplicate question id ${q.id}` });
    } else questionIndex.set(q.id, i);
    if (!domainIndex.has(q.domainId)) {
      issues.push({ path: `bank.questions[${i}].domainId`, message: `unknown domain ${q.domainId}` });
    }
    if (q.weight !== 1 && q.weight !== 2 && q.weight !== 3) {
      issues.push({ path: `bank.questions[${i}].weight`, message: 'must be 1, 2 or 3' });
    }
    if (q.scale?.kind !== 'maturity' && q.scale?.kind !== 'legal_duty') {
      issues.push({ path: `bank.questions[${i}].scale.kind`, message: 'must be maturity or legal_duty' });
    }
    if (!isTargetValue(q.targetLevel)) {
      issues.push({ path: `bank.questions[${i}].targetLevel`, message: 'must be an integer from 0 to 4' });
    }
  }
  const answers = input.answers;
  for (let a = 0; a < answers.length; a++) {
    const answer = answers[a]!;
    const idx = questionIndex.get(answer.questionId);
    if (idx === undefined) {
      // Most likely an answer to another bank version: scoring it silently would misstate the result.
      issues.push({ path: `answers[${a}].questionId`, message: `unknown question ${answer.questionId}` });
      continue;
    }
    if (answerAt[idx] !== undefined) {
      // Two answers to one question would make the result depend on their order.
      issues.push({ path: `answers[${a}].questionId`, message: `duplicate answer to ${answer.questionId}` });
      continue;
    }
    answerAt[idx] = answer;
    const v = answer.value;
    if (!isLevel(v) && v !== 'unknown' && v !== 'not_applicable') {
      issues.push({ path: `answers[${a}].value`, message: 'must be 0-4, "unknown" or "not_applicable"' });
    }
    const evidence = answer.evidence;
    if (!Array.isArray(evidence)) {
      issues.push({ path: `answers[${a}].evidence`, message: 'must be an array' });
      continue;
    }
    supportAt[idx] = evidenceSupport(evidence, a, asOfMs, issues);
  }
  if (input.targets) {
    for (const id of Object.keys(input.targets)) {
      if (!questionIndex.has(id)) issues.push({ path: `targets.${id}`, message: `unknown question ${id}` });
      else if (!isTargetValue(input.targets[id])) {
        issues.push({ path: `targets.${id}`, message: 'must be an integer from 0 to 4' });
      }
    }
  }
  if (issues.length > 0) throw new ScoringInputError(issues);
  return { asOfMs, domainIndex, answerAt, supportAt };
}
