import { timeOf } from './format.js';
import type { ReportAction, ReportDomain, ReportExposureEntry, ReportModel, ReportQuestion } from './model.js';

// Figures the report prints in more than one place, derived once so the pages agree with each other.

const OPEN_STATUSES = new Set(['open', 'in_progress', 'blocked']);

/** Overdue as of the issue date, not the rendering clock: the same model prints the same flags. */
export function isOverdue(action: ReportAction, issuedAt: string): boolean {
  if (action.dueDate === null || !OPEN_STATUSES.has(action.status)) return false;
  return timeOf(action.dueDate) < timeOf(issuedAt);
}

export function isCriticalGap(q: ReportQuestion): boolean {
  return q.critical && q.included && (q.effectiveLevel ?? 0) < q.target;
}

/** Red caps (level ≤ 1) first, then amber (level 2), then other gaps; bank order within each. */
export function criticalControls(questions: ReportQuestion[]): ReportQuestion[] {
  const severity = (q: ReportQuestion): number => {
    if (!q.included) return 4;
    const level = q.effectiveLevel ?? 0;
    return level <= 1 ? 0 : level === 2 ? 1 : level < q.target ? 2 : 3;
  };
  return questions
    .map((q, index) => ({ q, index }))
    .filter(({ q }) => q.critical)
    .sort((a, b) => severity(a.q) - severity(b.q) || a.index - b.index)
    .map(({ q }) => q);
}

export function capNote(q: ReportQuestion): string {
  if (!q.included) return 'Not applicable';
  const level = q.effectiveLevel ?? 0;
  if (level <= 1) return `Level ${level} ≤ 1 forces the band to Red`;
  if (level === 2) return 'Level 2 caps the band at Amber';
  if (level < q.target) return `Below target L${q.target}`;
  return 'At or above target';
}

export function concernScore(q: ReportQuestion): number {
  return q.included ? q.weight * q.gap : 0;
}

/** Top questions by weight × gap, ties broken by predicted uplift then bank order. */
export function topConcernQuestions(questions: ReportQuestion[], limit = 10): ReportQuestion[] {
  return questions
    .map((q, index) => ({ q, index }))
    .filter(({ q }) => concernScore(q) > 0)
    .sort((a, b) => concernScore(b.q) - concernScore(a.q) || b.q.upliftPoints - a.q.upliftPoints || a.index - b.index)
    .slice(0, limit)
    .map(({ q }) => q);
}

export function weakestDomains(domains: ReportDomain[], limit = 5): ReportDomain[] {
  return domains
    .filter((d) => d.score !== null)
    .map((d, index) => ({ d, index }))
    .sort((a, b) => (a.d.score ?? 0) - (b.d.score ?? 0) || a.index - b.index)
    .slice(0, limit)
    .map(({ d }) => d);
}

export interface ExposureCounts {
  implemented: number;
  partial: number;
  notAddressed: number;
  notApplicable: number;
}

/** Status of the questions that cite a measure: how far the controls behind it are in place. */
export function exposureCounts(entry: ReportExposureEntry, questions: ReportQuestion[]): ExposureCounts {
  const counts: ExposureCounts = { implemented: 0, partial: 0, notAddressed: 0, notApplicable: 0 };
  for (const q of questions) {
    if (!q.references.some((r) => r.regime === entry.regime && r.id === entry.id)) continue;
    const level = q.effectiveLevel ?? 0;
    if (!q.included) counts.notApplicable++;
    else if (level >= q.target) counts.implemented++;
    else if (level > 0) counts.partial++;
    else counts.notAddressed++;
  }
  return counts;
}

export function isDraft(model: ReportModel): boolean {
  return model.assessment.status !== 'signed' || model.accountability.signOff === null;
}
