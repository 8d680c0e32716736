import { bandOf } from './bands.js';
import { explain } from './explain.js';
import { applyCaps, criticalCapsOf } from './rules/critical-caps.js';
import { confidenceOf, countIncluded, emptyCounts } from './rules/confidence.js';
import { achievedLevel, addIncluded, type DomainTally, domainScore, emptyTally, overallScore } from './rules/domains.js';
import { indexInput } from './rules/input-index.js';
import { capReason, effectiveLevel, isIncluded, itemStatus, roundedClaim } from './rules/item-level.js';
import { gapOf, resolveTarget } from './rules/targets.js';
import { itemUplift } from './rules/uplift.js';
import type { CapReason, DomainResult, ItemResult, Level, ScoreDelta, ScoringInput, ScoringResult } from './types.js';
import { ENGINE_VERSION } from './version.js';

export { resolveTarget } from './rules/targets.js';

// An item with no applicability entry counts as applicable and not critical (docs/PRODUCT.md §4.1).
const NOT_CRITICAL = { applicable: true, critical: false } as const;
// Stands in for each item's uplift until every domain is summed; replaced before the result leaves.
const UPLIFT_PENDING: ScoreDelta = Object.freeze({ overall: 0, domain: 0 });

/**
 * Scores one assessment: docs/PRODUCT.md §4, each rule in its own function under ./rules. Reads the
 * input in bank order: each item's status, effective level and target (§4.3, §4.4, §4.11), summed
 * per domain (§4.5) and for confidence (§4.10); then domain and overall scores (§4.6), critical caps
 * on their bands (§4.7, §4.8), each item's uplift (§4.12) and the explanation (§4.13).
 */
export function score(input: ScoringInput): ScoringResult {
  const { domainIndex, answerAt, supportAt } = indexInput(input);
  const { domains, questions } = input.bank;
  const contexts = input.items ?? {};
  const targets = input.targets;
  const tallies: DomainTally[] = domains.map(emptyTally);
  const counts = emptyCounts();

  const items = new Array<ItemResult>(questions.length);
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    const context = contexts[q.id] ?? NOT_CRITICAL;
    const answer = answerAt[i];
    const support = supportAt[i]!;
    const status = itemStatus(context, answer);
    const included = isIncluded(status);
    const claimed = status === 'answered' ? (answer!.value as Level) : null;
    const cap: CapReason = claimed === null ? 'none' : capReason(q.scale.kind, claimed, support);
    // Unanswered, unknown and pending N/A count as level 0 (§4.4).
    const level: Level = claimed === null ? 0 : effectiveLevel(q.scale.kind, claimed, cap);
    const critical = context.critical === true;
    const target = resolveTarget(q, critical, targets?.[q.id]);
    const item: ItemResult = {
      questionId: q.id,
      domainId: q.domainId,
      status,
      included,
      scale: q.scale.kind,
      claimed,
      effectiveLevel: included ? level : null,
      capReason: cap,
      ratio: included ? level / 4 : null,
      weight: q.weight,
      critical,
      target,
      gap: gapOf(included, target, level),
      uplift: UPLIFT_PENDING,
      hasCountingEvidence: support !== 'none',
      reviewedByOther: answer !== undefined && answer.reviewedByOther === true,
    };
    items[i] = item;
    const tally = tallies[domainIndex.get(q.domainId)!]!;
    if (!included) {
      tally.excludedItems++;
      continue;
    }
    addIncluded(tally, q.weight, level);
    countIncluded(counts, item, answer, claimed !== null && roundedClaim(q.scale.kind, claimed) >= 3);
  }

  const domainScores = tallies.map(domainScore);
  const overall = overallScore(domainScores);
  const criticalCaps = criticalCapsOf(items);
  const overallRaw = bandOf(overall.score);
  const overallCapped = applyCaps(overallRaw, criticalCaps, null);

  const domainResults = new Array<DomainResult>(domains.length);
  for (let d = 0; d < domains.length; d++) {
    const domain = domains[d]!;
    const tally = tallies[d]!;
    const s = domainScores[d]!;
    const raw = s === null ? null : bandOf(s);
    const capped = raw === null ? null : applyCaps(raw, criticalCaps, domain.id);
    domainResults[d] = {
      domainId: domain.id,
      title: domain.title,
      score: s,
      rounded: s === null ? null : Math.round(s),
      rawBand: raw,
      band: capped === null ? null : capped.band,
      cappedBy: capped === null ? [] : capped.cappedBy,
      achievedLevel: achievedLevel(tally),
      includedItems: tally.includedItems,
      excludedItems: tally.excludedItems,
    };
  }

  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    item.uplift = itemUplift(tallies[domainIndex.get(item.domainId)!]!, item.weight, item.gap, overall.includedDomains);
  }

  const result: ScoringResult = {
    engineVersion: ENGINE_VERSION,
    bank: { frameworkId: input.bank.frameworkId, version: input.bank.version },
    asOf: input.asOf,
    overall: {
      score: overall.score,
      rounded: Math.round(overall.score),
      rawBand: overallRaw,
      band: overallCapped.band,
      cappedBy: overallCapped.cappedBy,
      includedDomains: overall.includedDomains,
    },
    domains: domainResults,
    items,
    criticalCaps,
    confidence: confidenceOf(input.lifecycle, counts),
    explanation: [],
  };
  result.explanation = explain(result);
  return result;
}
