import { exposureMap } from './exposure.js';
import type { ExposureEntry, ExposureState } from './exposure.js';
import type { OrganisationProfile } from './profile.js';
import type { Framework, Question, Reference } from './schema.js';
import { evaluateQuestion } from './applicability.js';

/** A question's reference as it stands for one organisation. */
export interface ReferenceWithState extends Reference {
  state: ExposureState;
  /** Why, from the exposure map (or why a reference outside the map is voluntary). */
  reason: string;
  /** The exposure entries the reference resolves to under the sub-id rule (empty for guidance). */
  exposureIds: string[];
}

export interface QuestionReferences {
  questionId: string;
  applicable: boolean;
  /** From hoh-csam 1.1.0, follows the measures that apply (the critical condition names them). */
  critical: boolean;
  /** Ordered for display: applies, voluntary, then the rest (condition not met, not in force, elsewhere). */
  references: ReferenceWithState[];
}

/**
 * The one rule for sub-ids. A question's reference and an exposure entry of the same regime match when
 * their ids are equal, or when one is the other immediately followed by a sub-division that starts
 * with "." or "(": ICU "C9.1" and "C9.2" fall within "C9"; OSA "s.66" covers "s.66(1)–(2)"
 * and "s.66(3)–(4)"; §2258A "(a)(1)(B)(i)" falls within "(a)(1)(B)"; DSA "Art 16(2)(c)" within
 * "Art 16". "C1" never matches "C10", nor "VP 1" "VP 10", nor BOSE "s.6" its "s.6 (2024 amendment)".
 */
export function referenceMatches(referenceId: string, entryId: string): boolean {
  const ref = referenceId.trim();
  const entry = entryId.trim();
  if (ref === entry) return true;
  const within = (inner: string, outer: string) => inner.startsWith(outer) && ['.', '('].includes(inner.charAt(outer.length));
  return within(ref, entry) || within(entry, ref);
}

/** The exposure entries a reference resolves to: the exact id if present, else every sub-id match. */
export function resolveReference(reference: Pick<Reference, 'regime' | 'id'>, entries: readonly ExposureEntry[]): ExposureEntry[] {
  const sameRegime = entries.filter((e) => e.regime === reference.regime);
  const exact = sameRegime.filter((e) => e.id === reference.id);
  return exact.length > 0 ? exact : sameRegime.filter((e) => referenceMatches(reference.id, e.id));
}

const PRECEDENCE: ExposureState[] = ['applies', 'voluntary', 'condition_not_met', 'not_in_force', 'elsewhere'];

/** A 1.0.0 map has no states; read them off its reasons so 1.0.0 questions can be shown the same way. */
function stateOf(entry: ExposureEntry): ExposureState {
  if (entry.state !== undefined) return entry.state;
  if (entry.regime === 'five-eyes-vp') return 'voluntary';
  if (entry.reason.startsWith('Not in force')) return 'not_in_force';
  return entry.applies ? 'applies' : 'condition_not_met';
}

export function referenceState(reference: Reference, entries: readonly ExposureEntry[]): ReferenceWithState {
  const matched = resolveReference(reference, entries);
  if (matched.length === 0) {
    if (reference.regime === 'other') {
      return {
        ...reference,
        state: 'voluntary',
        reason: 'Not a legal duty on the organisation: guidance, industry practice or a watch item',
        exposureIds: [],
      };
    }
    // Only possible for a bank whose map missed a measure (1.0.0); the linkage spec rules it out later.
    return {
      ...reference,
      state: 'condition_not_met',
      reason: 'This bank version’s exposure map has no entry for it, so whether it applies was not decided; check it against your services',
      exposureIds: [],
    };
  }
  const best = [...matched].sort((a, b) => PRECEDENCE.indexOf(stateOf(a)) - PRECEDENCE.indexOf(stateOf(b)))[0]!;
  const prefix = matched.length > 1 || best.id !== reference.id ? `${best.id}: ` : '';
  return { ...reference, state: stateOf(best), reason: `${prefix}${best.reason}`, exposureIds: matched.map((e) => e.id) };
}

/**
 * Joins each question's references with the exposure map of its bank version for one profile. Pure.
 * `applies` first, then `voluntary`, then the others, each group in content order.
 */
export function questionReferences(framework: Framework, profile: OrganisationProfile): QuestionReferences[] {
  const entries = exposureMap(profile, framework.version);
  return framework.questions.map((question) => referencesFor(question, profile, framework.version, entries));
}

export function referencesFor(
  question: Question,
  profile: OrganisationProfile,
  bankVersion: string,
  entries: readonly ExposureEntry[] = exposureMap(profile, bankVersion),
): QuestionReferences {
  const evaluated = evaluateQuestion(question, profile, bankVersion, entries);
  const references = question.references
    .map((r) => referenceState(r, entries))
    .map((r, index) => ({ r, index }))
    .sort((a, b) => PRECEDENCE.indexOf(a.r.state) - PRECEDENCE.indexOf(b.r.state) || a.index - b.index)
    .map(({ r }) => r);
  return { questionId: question.id, applicable: evaluated.applicable, critical: evaluated.critical, references };
}
