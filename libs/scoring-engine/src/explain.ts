import { AMBER_FROM, GREEN_FROM, bandOf } from './bands.js';
import type { Band, CriticalCap, ItemResult, ScoringResult } from './types.js';

const BAND_WORD: Record<Band, string> = { green: 'Green', amber: 'Amber', red: 'Red' };
const LABEL_WORD = {
  self_attested: 'self-attested',
  reviewed: 'reviewed',
  independently_verified: 'independently verified',
} as const;

function joinList(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Whole numbers, as the product shows scores, except where rounding would cross a band boundary
 * (74.6 → "75" next to "amber" reads as a bug): then one decimal, truncated.
 */
export function formatScore(score: number): string {
  const rounded = Math.round(score);
  if (bandOf(rounded) === bandOf(score)) return String(rounded);
  return (Math.floor(score * 10) / 10).toFixed(1);
}

function percent(value: number): string {
  return `${Math.round(value)}%`;
}

function capPhrase(cap: CriticalCap): string {
  return `${cap.questionId} (critical) is at level ${cap.effectiveLevel}`;
}

function rawBandSentence(band: Band, score: string): string {
  if (band === 'green') return `score ${score} is ${GREEN_FROM} or above`;
  if (band === 'amber') return `score ${score} is at least ${AMBER_FROM} but below ${GREEN_FROM}`;
  return `score ${score} is below ${AMBER_FROM}`;
}

/** Plain sentences in a fixed order: headline, critical items, domains, answers that count 0 or were capped, confidence. */
export function explain(result: ScoringResult): string[] {
  const out: string[] = [];
  const { overall, criticalCaps } = result;
  const capById = new Map<string, CriticalCap>();
  for (const cap of criticalCaps) capById.set(cap.questionId, cap);

  const shown = formatScore(overall.score);
  if (overall.includedDomains === 0) {
    out.push("Red: no question applies to this organisation's profile, so nothing has been assessed.");
  } else if (overall.band === overall.rawBand) {
    out.push(`${BAND_WORD[overall.band]}: ${rawBandSentence(overall.rawBand, shown)}.`);
  } else {
    const binding = overall.cappedBy
      .map((id) => capById.get(id)!)
      .filter((cap) => cap.limit === overall.band)
      .map(capPhrase);
    out.push(`${BAND_WORD[overall.band]} because ${joinList(binding)}; the score ${shown} alone would be ${overall.rawBand}.`);
  }

  // Critical items whose cap did not decide the headline are still worth a line each.
  for (const cap of criticalCaps) {
    const decided = overall.band !== overall.rawBand && cap.limit === overall.band && overall.cappedBy.includes(cap.questionId);
    if (decided) continue;
    const verb = cap.limit === 'red' ? 'forces red' : 'caps the band at amber';
    out.push(`${capPhrase(cap)}, which on its own ${verb}.`);
  }

  for (const domain of result.domains) {
    if (domain.band === null || domain.rawBand === null || domain.band === domain.rawBand) continue;
    const binding = domain.cappedBy
      .map((id) => capById.get(id)!)
      .filter((cap) => cap.limit === domain.band)
      .map(capPhrase);
    out.push(
      `Domain ${domain.domainId} is ${domain.band}, not ${domain.rawBand} (score ${formatScore(domain.score ?? 0)}), because ${joinList(binding)}.`,
    );
  }

  const approvedCriticalNa: string[] = [];
  const pending: string[] = [];
  const unknown: string[] = [];
  const noEvidence: string[] = [];
  const noMetrics: string[] = [];
  const legalRounded: string[] = [];
  const ids = (item: ItemResult) => item.questionId;
  for (const item of result.items) {
    if (item.status === 'not_applicable' && item.critical) approvedCriticalNa.push(ids(item));
    else if (item.status === 'na_pending') pending.push(ids(item));
    else if (item.status === 'unknown') unknown.push(ids(item));
    else if (item.status === 'answered' && item.included) {
      if (item.capReason === 'no_counting_evidence') noEvidence.push(ids(item));
      else if (item.capReason === 'no_metrics_evidence') noMetrics.push(ids(item));
      else if (item.capReason === 'legal_duty_rounded') legalRounded.push(ids(item));
    }
  }
  if (approvedCriticalNa.length > 0) {
    out.push(`Left out as not applicable on an approved justification, although critical: ${joinList(approvedCriticalNa)}.`);
  }
  if (pending.length > 0) out.push(`N/A awaiting a reviewer's approval counts as 0: ${joinList(pending)}.`);
  if (unknown.length > 0) out.push(`Unknown counts as 0: ${joinList(unknown)}.`);
  if (noEvidence.length > 0) {
    out.push(`Capped at level 2 for want of accepted, unexpired evidence: ${joinList(noEvidence)}.`);
  }
  if (noMetrics.length > 0) out.push(`Capped at level 3 for want of metrics evidence: ${joinList(noMetrics)}.`);
  if (legalRounded.length > 0) {
    out.push(`Legal-duty answers take 4, 2 or 0; odd values were rounded down: ${joinList(legalRounded)}.`);
  }

  const c = result.confidence;
  out.push(
    `Confidence: ${LABEL_WORD[c.label]}; ${percent(c.evidencePct)} of applicable items have counting evidence, ` +
      `${percent(c.reviewedPct)} were reviewed by someone other than the author, ${percent(c.unknownPct)} are unknown.`,
  );
  return out;
}
