import type { ScoreMovementResponse } from '@hoh/contracts';
import { CHANGE_LABEL } from '@hoh/scoring-engine';

import './trend.css';

const signed = (n: number): string => (n > 0 ? `+${String(n)}` : n < 0 ? `−${String(-n)}` : '0');

/**
 * A movement exactly as the engine labelled it (compareResults / scoreMovement): the label and the
 * whole-point delta it was decided on, so "Unchanged" never sits beside a non-zero number and a
 * reset review is never shown as a deterioration. No arithmetic here.
 */
export function ChangeText({ change }: { change: ScoreMovementResponse }) {
  if (change.delta === null) return <span className="change change--not_comparable">{CHANGE_LABEL[change.direction]}</span>;
  return (
    <span className={`change change--${change.direction}`}>
      {CHANGE_LABEL[change.direction]}
      {change.delta !== 0 ? ` (${signed(change.delta)})` : ''}
    </span>
  );
}
