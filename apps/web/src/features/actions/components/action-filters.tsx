import type { Member } from '@hoh/contracts';

import { SelectField } from '@/components/ui/select-field';
import type { ActionFilters } from '../api/keys';
import { ACTION_STATUS_LABELS, ACTION_STATUSES, HORIZON_LABELS, PRIORITY_HINTS } from '../vocabulary';

const SORTS = [
  { value: 'priority', label: 'Priority' },
  { value: 'due', label: 'Due date' },
  { value: 'uplift', label: 'Predicted uplift' },
  { value: 'created', label: 'Newest first' },
  { value: 'title', label: 'Title' },
];

/** The board's filters and sort; every change goes to the URL so a filtered board can be shared. */
export function ActionFiltersBar({
  filters,
  onChange,
  members,
  domains,
}: {
  filters: ActionFilters;
  /** A change to some filters; the caller merges it into the current ones. */
  onChange: (patch: ActionFilters) => void;
  members: readonly Member[];
  domains: readonly { id: string; title: string }[];
}) {
  const set = (key: keyof ActionFilters) => (e: { target: { value: string } }) => onChange({ [key]: e.target.value === '' ? undefined : e.target.value });
  const any = 'Any';
  const active = Object.entries(filters).some(([k, v]) => k !== 'sort' && v !== undefined);
  return (
    <form className="filters" aria-label="Filter and sort actions" onSubmit={(e) => e.preventDefault()}>
      <SelectField label="Status" value={filters.status ?? ''} onChange={set('status')} options={[{ value: '', label: any }, ...ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] }))]} />
      <SelectField
        label="Owner"
        value={filters.ownerId ?? ''}
        onChange={set('ownerId')}
        options={[{ value: '', label: any }, ...members.map((m) => ({ value: m.userId, label: m.name }))]}
      />
      <SelectField label="Horizon" value={filters.horizon ?? ''} onChange={set('horizon')} options={[{ value: '', label: any }, ...(['now', 'next', 'later'] as const).map((h) => ({ value: h, label: HORIZON_LABELS[h] }))]} />
      <SelectField label="Priority" value={filters.priority ?? ''} onChange={set('priority')} options={[{ value: '', label: any }, ...(['p1', 'p2', 'p3', 'p4'] as const).map((p) => ({ value: p, label: PRIORITY_HINTS[p] }))]} />
      <SelectField label="Domain" value={filters.domain ?? ''} onChange={set('domain')} options={[{ value: '', label: any }, ...domains.map((d) => ({ value: d.id, label: d.title }))]} />
      <div className="field filters__check">
        <label className="choice">
          <input type="checkbox" checked={filters.overdue === 'true'} onChange={(e) => onChange({ overdue: e.target.checked ? 'true' : undefined })} />
          <span>Overdue only</span>
        </label>
      </div>
      <SelectField label="Sort by" value={filters.sort ?? 'priority'} onChange={set('sort')} options={SORTS} />
      {active ? (
        <div className="field filters__reset">
          <button type="button" className="btn btn--ghost" onClick={() => onChange(CLEARED)}>
            Clear filters
          </button>
        </div>
      ) : null}
    </form>
  );
}

const KEYS = ['status', 'ownerId', 'horizon', 'priority', 'domain', 'overdue', 'sort'] as const;

/** Every filter off (the sort stays). */
export const CLEARED: ActionFilters = { status: undefined, ownerId: undefined, horizon: undefined, priority: undefined, domain: undefined, overdue: undefined };

export function filtersFromParams(params: URLSearchParams): ActionFilters {
  const out: ActionFilters = {};
  for (const k of KEYS) {
    const v = params.get(k);
    if (v) (out as Record<string, string>)[k] = v;
  }
  if (out.overdue !== undefined && out.overdue !== 'true') delete out.overdue;
  return out;
}

/** Merges a change into the filters held in the address (read afresh, so quick changes do not undo each other). */
export function applyFiltersToParams(params: URLSearchParams, patch: ActionFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const k of KEYS) {
    if (!(k in patch)) continue;
    const v = patch[k];
    if (v) next.set(k, v);
    else next.delete(k);
  }
  return next;
}
