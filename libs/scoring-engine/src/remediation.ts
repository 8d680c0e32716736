import type { ItemResult } from './types.js';

/** Remediation rules of docs/PRODUCT.md §7, pure so the API, the web and the PDF agree. */

export type Priority = 'p1' | 'p2' | 'p3' | 'p4';
export type Horizon = 'now' | 'next' | 'later';
export type ActionStatus = 'open' | 'in_progress' | 'blocked' | 'done' | 'risk_accepted';

export const OPEN_STATUSES: readonly ActionStatus[] = ['open', 'in_progress', 'blocked'];
const RANK: Record<Priority, number> = { p1: 1, p2: 2, p3: 3, p4: 4 };

/**
 * P1 for a critical item below target; otherwise weight × gap: ≥ 6 → P2, ≥ 3 → P3, else P4.
 * An action linked to several questions takes the highest. Items that are not included (ruled out
 * or approved N/A) or unknown to the result do not raise it; with none left it is P4.
 */
export function itemPriority(item: Pick<ItemResult, 'included' | 'critical' | 'gap' | 'weight'>): Priority {
  if (!item.included || item.gap <= 0) return 'p4';
  if (item.critical) return 'p1';
  const need = item.weight * item.gap;
  return need >= 6 ? 'p2' : need >= 3 ? 'p3' : 'p4';
}

export function actionPriority(items: readonly ItemResult[], questionIds: readonly string[]): Priority {
  const byId = new Map(items.map((i) => [i.questionId, i]));
  let best: Priority = 'p4';
  for (const id of questionIds) {
    const item = byId.get(id);
    if (!item) continue;
    const p = itemPriority(item);
    if (RANK[p] < RANK[best]) best = p;
  }
  return best;
}

export const priorityRank = (p: Priority): number => RANK[p];

function addMonthsUtc(day: Date, months: number): Date {
  const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day.getUTCDate(), lastDay));
  return d;
}

const utcDay = (iso: string): Date => new Date(`${iso.slice(0, 10)}T00:00:00Z`);

/** Now ≤ 90 days from today, Next ≤ 6 calendar months, Later beyond; past due dates are Now. */
export function horizonOf(dueDate: string, today: string): Horizon {
  const due = utcDay(dueDate).getTime();
  const start = utcDay(today);
  if (due <= start.getTime() + 90 * 86_400_000) return 'now';
  if (due <= addMonthsUtc(start, 6).getTime()) return 'next';
  return 'later';
}

/** Overdue is a state, not an error: an open action whose due date is before today. */
export function isOverdue(status: ActionStatus, dueDate: string | null, today: string): boolean {
  return dueDate !== null && OPEN_STATUSES.includes(status) && utcDay(dueDate).getTime() < utcDay(today).getTime();
}

const MOVES: Record<ActionStatus, readonly ActionStatus[]> = {
  open: ['in_progress', 'blocked', 'done', 'risk_accepted'],
  in_progress: ['blocked', 'done', 'risk_accepted'],
  blocked: ['open', 'in_progress', 'risk_accepted'],
  done: ['open'],
  risk_accepted: ['open'],
};

/** The allowed status moves; `done → open` and `risk_accepted → open` are reopenings and need a reason. */
export function canMove(from: ActionStatus, to: ActionStatus): boolean {
  return MOVES[from].includes(to);
}

export const isReopen = (from: ActionStatus, to: ActionStatus): boolean => to === 'open' && (from === 'done' || from === 'risk_accepted');

/** The statuses an action may move to from `from`, in the table's order. */
export const movesFrom = (from: ActionStatus): readonly ActionStatus[] => MOVES[from];

/**
 * What a move asks the person making it for: `done` a closing note (what was done); risk acceptance
 * and reopening a reason; blocking an optional reason; anything else nothing. The API refuses a move
 * without what it needs, and the web app asks for it before sending.
 */
export function moveNeeds(from: ActionStatus, to: ActionStatus): 'closingNote' | 'reason' | 'optionalReason' | null {
  if (to === 'done') return 'closingNote';
  if (to === 'risk_accepted' || isReopen(from, to)) return 'reason';
  if (to === 'blocked') return 'optionalReason';
  return null;
}
