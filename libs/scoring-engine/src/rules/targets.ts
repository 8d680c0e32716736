import type { Level, ScoringQuestion } from '../types.js';

/**
 * docs/PRODUCT.md §4.11: the level an item is working towards. A critical item never aims below 3,
 * and an organisation override that would take it below 3 is ignored (the bank target stands).
 * Legal-duty items only take 0/2/4, so an odd target rounds up to the next reachable value.
 */
export function resolveTarget(question: ScoringQuestion, critical: boolean, override: number | undefined): Level {
  let target = question.targetLevel;
  if (override !== undefined && (!critical || override >= 3)) target = override;
  if (critical && target < 3) target = 3;
  if (question.scale.kind === 'legal_duty' && target % 2 === 1) target += 1;
  return target as Level;
}

/** docs/PRODUCT.md §4.11: gap = max(0, target − effective level); 0 for items left out. */
export function gapOf(included: boolean, target: Level, effective: Level): number {
  return included && target > effective ? target - effective : 0;
}
