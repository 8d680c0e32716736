import type { AssessmentSummary } from '@hoh/contracts';

import { STATUS_LABELS } from '@/config/vocabulary';
import { useCurrentAssessment } from '../hooks/use-current-assessment';

import './assessment-picker.css';

/** Newest period first, then newest created: the order people think of their years in. */
export function byPeriod(items: readonly AssessmentSummary[]): AssessmentSummary[] {
  return [...items].sort((a, b) => b.period.start.localeCompare(a.period.start) || b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

export const pickerLabel = (a: AssessmentSummary): string => `${a.title} · ${a.period.label} · ${STATUS_LABELS[a.status]}`;

/**
 * Which assessment this screen shows, on every assessment screen (issue 24): switching sets
 * `?assessment=<id>` (useCurrentAssessment), so the choice survives reloads and can be linked to,
 * and an older signed year is never reachable only by editing the URL.
 */
export function AssessmentPicker({ orgId }: { orgId: string }) {
  const { list, current, open } = useCurrentAssessment(orgId);
  const items = byPeriod(list.data ?? []);
  // One assessment leaves nothing to choose; the screen's title already names it.
  if (items.length < 2 || !current) return null;
  return (
    <div className="assessment-picker">
      <label className="assessment-picker__label" htmlFor="assessment-picker">
        Assessment
      </label>
      <select id="assessment-picker" className="field__input assessment-picker__select" value={current.id} onChange={(e) => open(e.target.value)}>
        {items.map((a) => (
          <option key={a.id} value={a.id}>
            {pickerLabel(a)}
          </option>
        ))}
      </select>
    </div>
  );
}
