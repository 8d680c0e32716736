/**
 * Questions whose answer carries detection figures (issue 22, item 2: the closing question of
 * hoh-csam 1.2.0, "in the last 12 months, was every detection actioned and every reportable one
 * reported?"). Kept in code rather than in the bank's JSON because 1.2.0's content is hash-pinned and
 * immutable; a later bank can declare it in its content and this list then reads it from there.
 * The API accepts `figures` only on these questions, and the attestation check reads them
 * (docs/PRODUCT.md §5.1 and §8).
 */
export const FIGURE_QUESTIONS: readonly string[] = ['TRN-06'];

export const isFigureQuestion = (questionId: string): boolean => FIGURE_QUESTIONS.includes(questionId);
