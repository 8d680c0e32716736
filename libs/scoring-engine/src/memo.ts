import { parseInstant } from './time.js';
import { score } from './score.js';
import { scoreStableUntil } from './stable.js';
import type { ScoringInput, ScoringResult } from './types.js';

interface Entry {
  bank: ScoringInput['bank'];
  items: ScoringInput['items'];
  targets: ScoringInput['targets'];
  signedOff: boolean;
  independentlyVerified: boolean;
  from: number;
  until: number;
  shared: ScoringResult;
}

/** Freezes `value` and everything it holds: what ScoreMemo needs of an input's parts before it reuses a result for them. */
export const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};

/**
 * score(), reusing earlier results. A result is reused for an input whose answers, bank, items and
 * targets are the very (frozen) objects it was scored from, with the same lifecycle, and whose asOf
 * lies in [the earlier asOf, scoreStableUntil(earlier input)): nothing else enters the engine, and
 * within that window the result differs only in `asOf` (property-tested). Inputs whose parts are
 * not frozen are scored afresh every time, since a part changed in place would keep its identity.
 * Freezing promises the parts' contents do not change, all the way down: callers that pass frozen
 * parts must freeze them deeply.
 *
 * Entries are keyed weakly on the answers array, so they live exactly as long as the caller keeps
 * that input; at most one entry per answers array (a miss replaces it).
 */
export class ScoreMemo {
  private readonly entries = new WeakMap<ScoringInput['answers'], Entry>();

  /**
   * The engine's result for `input`, and `shared`: the frozen result it was taken from (its `asOf` is
   * that of the call that computed it), the same object for every call it serves so that callers can
   * key values derived from it; null when the input could not be memoised.
   */
  score(input: ScoringInput): { result: ScoringResult; shared: ScoringResult | null } {
    const { answers, bank, items, targets } = input;
    const signedOff = input.lifecycle?.signedOff === true;
    const independentlyVerified = input.lifecycle?.independentlyVerified === true;
    if (!Object.isFrozen(answers) || !Object.isFrozen(bank) || !Object.isFrozen(items) || (targets !== undefined && !Object.isFrozen(targets))) {
      return { result: score(input), shared: null };
    }
    const asOf = parseInstant(input.asOf);
    const entry = this.entries.get(answers);
    if (
      entry &&
      entry.bank === bank &&
      entry.items === items &&
      entry.targets === targets &&
      entry.signedOff === signedOff &&
      entry.independentlyVerified === independentlyVerified &&
      asOf >= entry.from &&
      asOf < entry.until
    ) {
      return { result: { ...entry.shared, asOf: input.asOf }, shared: entry.shared };
    }
    const shared = deepFreeze(score(input));
    this.entries.set(answers, { bank, items, targets, signedOff, independentlyVerified, from: asOf, until: scoreStableUntil(input), shared });
    return { result: { ...shared }, shared };
  }
}
