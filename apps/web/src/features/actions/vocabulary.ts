import type { Action } from '@hoh/contracts';

export type ActionStatus = Action['status'];
export type Priority = Action['priority'];
export type Horizon = NonNullable<Action['horizon']>;

export const ACTION_STATUSES = ['open', 'in_progress', 'blocked', 'done', 'risk_accepted'] as const satisfies readonly ActionStatus[];

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
  risk_accepted: 'Risk accepted',
};

export const PRIORITY_LABELS: Record<Priority, string> = { p1: 'P1', p2: 'P2', p3: 'P3', p4: 'P4' };
export const PRIORITY_HINTS: Record<Priority, string> = {
  p1: 'P1 · critical item below target',
  p2: 'P2 · weight × gap ≥ 6',
  p3: 'P3 · weight × gap ≥ 3',
  p4: 'P4 · smaller gaps',
};

export const HORIZON_LABELS: Record<Horizon, string> = { now: 'Now (≤ 90 days)', next: 'Next (≤ 6 months)', later: 'Later' };

/** docs/PRODUCT.md §7.2: the allowed moves (the server enforces the same table). */
const MOVES: Record<ActionStatus, readonly ActionStatus[]> = {
  open: ['in_progress', 'blocked', 'done', 'risk_accepted'],
  in_progress: ['blocked', 'done', 'risk_accepted'],
  blocked: ['open', 'in_progress', 'risk_accepted'],
  done: ['open'],
  risk_accepted: ['open'],
};

export const movesFrom = (status: ActionStatus): readonly ActionStatus[] => MOVES[status];

export const isReopen = (from: ActionStatus, to: ActionStatus): boolean => to === 'open' && (from === 'done' || from === 'risk_accepted');

/** What the move asks for: done a closing note; risk acceptance and reopening a reason; blocking an optional reason. */
export function moveNeeds(from: ActionStatus, to: ActionStatus): 'closingNote' | 'reason' | 'optionalReason' | null {
  if (to === 'done') return 'closingNote';
  if (to === 'risk_accepted' || isReopen(from, to)) return 'reason';
  if (to === 'blocked') return 'optionalReason';
  return null;
}

export const moveLabel = (from: ActionStatus, to: ActionStatus): string =>
  isReopen(from, to) ? 'Reopen' : to === 'done' ? 'Mark done' : to === 'risk_accepted' ? 'Accept the risk' : `Move to ${ACTION_STATUS_LABELS[to].toLowerCase()}`;
