import type { Action } from '@hoh/contracts';

import { formatDate } from '@/lib/format';
import { HORIZON_LABELS, PRIORITY_LABELS } from '../vocabulary';
import './action-bits.css';
import '../actions.css';

/**
 * An action's short number ("A-014", docs/PRODUCT.md §7.1), the name people and the board pack use
 * for it: one unbroken label, never wrapped mid-number.
 */
export function ActionNumber({ number }: { number: string }) {
  return <span className="action-number">{number}</span>;
}

/** Priority as text, marked when overridden (the reason is in the tooltip and the dialog). */
export function PriorityTag({ action }: { action: Action }) {
  return (
    <span className={`tag tag--priority tag--${action.priority}`} title={action.priorityOverride ? `Overridden from ${PRIORITY_LABELS[action.computedPriority]}: ${action.priorityOverride.reason}` : undefined}>
      {PRIORITY_LABELS[action.priority]}
      {action.priorityOverride ? <span className="small"> (override)</span> : null}
    </span>
  );
}

/** Due date with "Overdue" written out, never shown by colour alone. */
export function DueText({ action }: { action: Action }) {
  return (
    <span className={action.overdue ? 'due due--overdue' : 'due'}>
      {action.overdue ? <span className="tag tag--overdue">Overdue</span> : null} {formatDate(action.dueDate)}
      {action.horizon ? <span className="muted small"> · {HORIZON_LABELS[action.horizon].split(' ')[0]}</span> : null}
    </span>
  );
}

export const upliftText = (action: Action): string =>
  action.predictedUplift.overall > 0 ? `+${action.predictedUplift.overall.toFixed(1)}` : '0';
