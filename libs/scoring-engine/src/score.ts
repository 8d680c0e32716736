import { bandOf, bandRank, criticalLimit, lowerBand } from './bands.js';
import { ScoringInputError } from './errors.js';
import { explain } from './explain.js';
import { parseInstant, withinTwelveMonths } from './time.js';
import type {
  Band,
  CapReason,
  Confidence,
  ConfidenceLabel,
  CriticalCap,
  DomainResult,
  InputIssue,
  ItemResult,
  ItemStatus,
  Level,
  ScoringAnswer,
  ScoringEvidence,
  ScoringInput,
  ScoringQuestion,
  ScoringResult,
} from './types.js';
import { ENGINE_VERSION } from './version.js';

// "Reviewed" thresholds, compared as integer cross-products so 4/5 is exactly 80%.
const REVIEWED_NUM = 4;
const REVIEWED_DEN = 5;
const SUPPORTED_NUM = 3;
const SUPPORTED_DEN = 5;

const NOT_CRITICAL = { applicable: true, critical: false } as const;

function isLevel(value: unknown): value is Level {
  return value === 0 || value === 1 || value === 2 || value === 3 || value === 4;
}

function isTargetValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4;
}

/**
 * The level an item is working towards. A critical item never aims below 3, and an organisation
 * override that would take it below 3 is ignored (the bank target stands). Legal-duty items only
 * take 0/2/4, so an odd target rounds up to the next reachable value.
 */
export function resolveTarget(question: ScoringQuestion, critical: boolean, override: number | undefined): Level {
  let target = question.targetLevel;
  if (override !== undefined && (!critical || override >= 3)) target = override;
  if (critical && target < 3) target = 3;
  if (question.scale.kind === 'legal_duty' && target % 2 === 1) target += 1;
  return target as Level;
}

/** Validates what the scoring loop relies on; cheap enough to run on every call. */
function collectIssues(
  input: ScoringInput,
  asOfMs: number,
  domainIndex: Map<string, number>,
  questionIndex: Map<string, number>,
  answerAt: (ScoringAnswer | undefined)[],
  flagsAt: number[],
): InputIssue[] {
  const issues: InputIssue[] = [];
  if (Number.isNaN(asOfMs)) {
    issues.push({ path: 'asOf', message: 'must be an ISO 8601 timestamp with a time zone' });
  }
  const { domains, questions } = input.bank;
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
    flagsAt[idx] = evidenceFlags(evidence, a, asOfMs, issues);
  }
  if (input.targets) {
    for (const id of Object.keys(input.targets)) {
      if (!questionIndex.has(id)) issues.push({ path: `targets.${id}`, message: `unknown question ${id}` });
      else if (!isTargetValue(input.targets[id])) {
        issues.push({ path: `targets.${id}`, message: 'must be an integer from 0 to 4' });
      }
    }
  }
  return issues;
}

const DATE_MESSAGE = 'must be an ISO 8601 date, or timestamp with a time zone';
const COUNTING = 1;
const METRICS = 2;

/**
 * Validates an answer's evidence and returns bit flags: COUNTING when some evidence is accepted and
 * unexpired at asOf, METRICS when such evidence is of kind metrics. One pass, so each date is parsed once.
 */
function evidenceFlags(list: ScoringEvidence[], a: number, asOfMs: number, issues: InputIssue[]): number {
  let flags = 0;
  for (let e = 0; e < list.length; e++) {
    const ev = list[e]!;
    const issued = parseInstant(ev.issuedAt);
    const expires = ev.expiresAt === undefined || ev.expiresAt === null ? null : parseInstant(ev.expiresAt);
    if (Number.isNaN(issued)) {
      issues.push({ path: `answers[${a}].evidence[${e}].issuedAt`, message: DATE_MESSAGE });
    }
    if (expires !== null && Number.isNaN(expires)) {
      issues.push({ path: `answers[${a}].evidence[${e}].expiresAt`, message: DATE_MESSAGE });
    }
    if (ev.status !== 'accepted') {
      if (ev.status !== 'rejected' && ev.status !== 'pending') {
        issues.push({ path: `answers[${a}].evidence[${e}].status`, message: 'must be accepted, rejected or pending' });
      }
      continue;
    }
    // Evidence issued after the scoring date did not exist then; counting it would make an old score unreproducible.
    if (!(issued <= asOfMs)) continue;
    const counts = expires !== null ? asOfMs < expires : withinTwelveMonths(issued, asOfMs);
    if (!counts) continue;
    flags |= COUNTING;
    if (ev.kind === 'metrics') flags |= METRICS;
  }
  return flags;
}

function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : (part * 100) / whole;
}

export function score(input: ScoringInput): ScoringResult {
  const asOfMs = parseInstant(input.asOf);
  const { domains, questions } = input.bank;
  const nD = domains.length;
  const nQ = questions.length;
  const domainIndex = new Map<string, number>();
  const questionIndex = new Map<string, number>();
  const answerAt = new Array<ScoringAnswer | undefined>(nQ);
  const flagsAt = new Array<number>(nQ).fill(0);
  const issues = collectIssues(input, asOfMs, domainIndex, questionIndex, answerAt, flagsAt);
  if (issues.length > 0) throw new ScoringInputError(issues);

  const itemsCtx = input.items ?? {};
  const targets = input.targets;

  // Per-domain sums in quarter-points (weight × level): integers, so the score does not depend on item order.
  const num = new Array<number>(nD).fill(0);
  const den = new Array<number>(nD).fill(0);
  const minLevel = new Array<number>(nD).fill(5);
  const included = new Array<number>(nD).fill(0);
  const excluded = new Array<number>(nD).fill(0);

  const qDomain = new Array<number>(nQ);
  const status = new Array<ItemStatus>(nQ);
  const claimedAt = new Array<Level | null>(nQ);
  const effAt = new Array<number>(nQ);
  const capAt = new Array<CapReason>(nQ);
  const criticalAt = new Array<boolean>(nQ);

  let applicable = 0;
  let withEvidence = 0;
  let reviewed = 0;
  let unknown = 0;
  let answered = 0;
  let answeredReviewed = 0;
  let claims3 = 0;
  let claims3Supported = 0;

  for (let i = 0; i < nQ; i++) {
    const q = questions[i]!;
    const d = domainIndex.get(q.domainId)!;
    qDomain[i] = d;
    const ctx = itemsCtx[q.id] ?? NOT_CRITICAL;
    criticalAt[i] = ctx.critical === true;
    const answer = answerAt[i];
    const flags = flagsAt[i]!;
    let st: ItemStatus;
    let claimed: Level | null = null;
    // The claim after legal-duty rounding: what the evidence rules and the 3+ claim count judge.
    let normalised = 0;
    let eff = 0;
    let cap: CapReason = 'none';

    if (ctx.applicable === false) st = 'excluded_by_profile';
    else if (!answer) st = 'unanswered';
    else if (answer.value === 'unknown') st = 'unknown';
    else if (answer.value === 'not_applicable') st = answer.naApproved === true ? 'not_applicable' : 'na_pending';
    else {
      st = 'answered';
      claimed = answer.value;
      let c: Level = claimed;
      if (q.scale.kind === 'legal_duty' && (c === 1 || c === 3)) {
        // A partial legal duty is not "mostly met": round down to the nearest value the scale defines.
        c = (c - 1) as Level;
        cap = 'legal_duty_rounded';
      }
      normalised = c;
      eff = c;
      if (c >= 3 && (flags & COUNTING) === 0) {
        eff = 2;
        cap = 'no_counting_evidence';
      } else if (c === 4 && q.scale.kind === 'maturity' && (flags & METRICS) === 0) {
        eff = 3;
        cap = 'no_metrics_evidence';
      }
    }
    status[i] = st;
    claimedAt[i] = claimed;
    capAt[i] = cap;
    effAt[i] = eff;

    if (st === 'excluded_by_profile' || st === 'not_applicable') {
      excluded[d]!++;
      continue;
    }
    num[d]! += q.weight * eff;
    den[d]! += q.weight;
    included[d]!++;
    if (eff < minLevel[d]!) minLevel[d] = eff;

    applicable++;
    if (flags !== 0) withEvidence++;
    if (st === 'unknown') unknown++;
    const isReviewed = answer !== undefined && answer.reviewedByOther === true;
    if (isReviewed) reviewed++;
    if (answer !== undefined) {
      answered++;
      if (isReviewed) answeredReviewed++;
    }
    if (normalised >= 3) {
      claims3++;
      if (flags !== 0) claims3Supported++;
    }
  }

  // Domain scores.
  const domainScore = new Array<number | null>(nD);
  let sum = 0;
  let includedDomains = 0;
  for (let d = 0; d < nD; d++) {
    if (den[d] === 0) {
      domainScore[d] = null;
      continue;
    }
    const s = (num[d]! * 25) / den[d]!;
    domainScore[d] = s;
    sum += s;
    includedDomains++;
  }
  // With nothing applicable there is nothing to vouch for, so the assessment reads 0 / red rather than "no score".
  const overallScore = includedDomains === 0 ? 0 : sum / includedDomains;

  // Critical caps, in bank order.
  const criticalCaps: CriticalCap[] = [];
  for (let i = 0; i < nQ; i++) {
    if (!criticalAt[i]) continue;
    const st = status[i];
    if (st === 'excluded_by_profile' || st === 'not_applicable') continue;
    const limit = criticalLimit(effAt[i] as Level);
    if (limit === null) continue;
    const q = questions[i]!;
    criticalCaps.push({ questionId: q.id, domainId: q.domainId, effectiveLevel: effAt[i] as Level, limit });
  }

  const overallRaw = bandOf(overallScore);
  const overallCapped = applyCaps(overallRaw, criticalCaps, null);

  const domainResults: DomainResult[] = new Array<DomainResult>(nD);
  for (let d = 0; d < nD; d++) {
    const dom = domains[d]!;
    const s = domainScore[d]!;
    if (s === null) {
      domainResults[d] = {
        domainId: dom.id,
        title: dom.title,
        score: null,
        rounded: null,
        rawBand: null,
        band: null,
        cappedBy: [],
        achievedLevel: null,
        includedItems: 0,
        excludedItems: excluded[d]!,
      };
      continue;
    }
    const raw = bandOf(s);
    const capped = applyCaps(raw, criticalCaps, dom.id);
    domainResults[d] = {
      domainId: dom.id,
      title: dom.title,
      score: s,
      rounded: Math.round(s),
      rawBand: raw,
      band: capped.band,
      cappedBy: capped.cappedBy,
      achievedLevel: minLevel[d] as Level,
      includedItems: included[d]!,
      excludedItems: excluded[d]!,
    };
  }

  // Items, with the score change if each alone reached its target.
  const items: ItemResult[] = new Array<ItemResult>(nQ);
  for (let i = 0; i < nQ; i++) {
    const q = questions[i]!;
    const d = qDomain[i]!;
    const st = status[i]!;
    const isIncluded = st !== 'excluded_by_profile' && st !== 'not_applicable';
    const critical = criticalAt[i]!;
    const target = resolveTarget(q, critical, targets?.[q.id]);
    const eff = effAt[i]!;
    const gap = isIncluded && target > eff ? target - eff : 0;
    let domainUplift = 0;
    let overallUplift = 0;
    if (gap > 0) {
      const before = domainScore[d]!;
      domainUplift = ((num[d]! + q.weight * gap) * 25) / den[d]! - before;
      overallUplift = domainUplift / includedDomains;
    }
    const answer = answerAt[i];
    items[i] = {
      questionId: q.id,
      domainId: q.domainId,
      status: st,
      included: isIncluded,
      scale: q.scale.kind,
      claimed: claimedAt[i]!,
      effectiveLevel: isIncluded ? (eff as Level) : null,
      capReason: capAt[i]!,
      ratio: isIncluded ? eff / 4 : null,
      weight: q.weight,
      critical,
      target,
      gap,
      uplift: { overall: overallUplift, domain: domainUplift },
      hasCountingEvidence: flagsAt[i] !== 0,
      reviewedByOther: answer !== undefined && answer.reviewedByOther === true,
    };
  }

  const confidence = buildConfidence(input, {
    applicable,
    withCountingEvidence: withEvidence,
    reviewed,
    unknown,
    answered,
    answeredReviewed,
    claimsAt3Plus: claims3,
    claimsAt3PlusWithEvidence: claims3Supported,
  });

  const result: ScoringResult = {
    engineVersion: ENGINE_VERSION,
    bank: { frameworkId: input.bank.frameworkId, version: input.bank.version },
    asOf: input.asOf,
    overall: {
      score: overallScore,
      rounded: Math.round(overallScore),
      rawBand: overallRaw,
      band: overallCapped.band,
      cappedBy: overallCapped.cappedBy,
      includedDomains,
    },
    domains: domainResults,
    items,
    criticalCaps,
    confidence,
    explanation: [],
  };
  result.explanation = explain(result);
  return result;
}

/**
 * Applies critical caps to a raw band. `cappedBy` lists the items whose limit is below the raw band
 * (red limits first, then amber, each in bank order): the items that actually moved the band.
 */
function applyCaps(raw: Band, caps: CriticalCap[], domainId: string | null): { band: Band; cappedBy: string[] } {
  let band = raw;
  const rawRank = bandRank(raw);
  let reds: string[] | undefined;
  let ambers: string[] | undefined;
  for (let c = 0; c < caps.length; c++) {
    const cap = caps[c]!;
    if (domainId !== null && cap.domainId !== domainId) continue;
    if (bandRank(cap.limit) >= rawRank) continue;
    band = lowerBand(band, cap.limit);
    if (cap.limit === 'red') (reds ??= []).push(cap.questionId);
    else (ambers ??= []).push(cap.questionId);
  }
  const cappedBy = reds ? (ambers ? reds.concat(ambers) : reds) : (ambers ?? []);
  return { band, cappedBy };
}

function buildConfidence(input: ScoringInput, counts: Confidence['counts']): Confidence {
  let label: ConfidenceLabel = 'self_attested';
  if (input.lifecycle?.signedOff === true && input.lifecycle.independentlyVerified === true) {
    label = 'independently_verified';
  } else if (
    // "Reviewed" needs something to have been reviewed: with no answers the label stays self-attested.
    counts.answered > 0 &&
    counts.answeredReviewed * REVIEWED_DEN >= counts.answered * REVIEWED_NUM &&
    // With no claim at 3+, no claim is unsupported, so this condition holds.
    counts.claimsAt3PlusWithEvidence * SUPPORTED_DEN >= counts.claimsAt3Plus * SUPPORTED_NUM
  ) {
    label = 'reviewed';
  }
  return {
    label,
    evidencePct: pct(counts.withCountingEvidence, counts.applicable),
    reviewedPct: pct(counts.reviewed, counts.applicable),
    unknownPct: pct(counts.unknown, counts.applicable),
    counts,
  };
}
