import type { Action } from '@hoh/contracts';
import { isReopen } from '@hoh/scoring-engine';

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

// The allowed moves and what each asks for are the engine's (docs/PRODUCT.md §7.2), as the server's.
export { moveNeeds, movesFrom } from '@hoh/scoring-engine';

export const moveLabel = (from: ActionStatus, to: ActionStatus): string =>
  isReopen(from, to) ? 'Reopen' : to === 'done' ? 'Mark done' : to === 'risk_accepted' ? 'Accept the risk' : `Move to ${ACTION_STATUS_LABELS[to].toLowerCase()}`;
