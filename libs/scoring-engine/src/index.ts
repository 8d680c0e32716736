export { ENGINE_VERSION } from './version.js';
export { score, resolveTarget } from './score.js';
export { evidenceCounts, evidenceExpiry } from './rules/evidence.js';
export { scoreStableUntil } from './stable.js';
export { deepFreeze, ScoreMemo } from './memo.js';
export { predictUplift, raiseToTargets } from './predict-uplift.js';
export { ScoringInputError } from './errors.js';
export { bandOf, GREEN_FROM, AMBER_FROM } from './bands.js';
export { formatScore } from './explain.js';
export type * from './types.js';
export {
  actionPriority,
  canMove,
  moveNeeds,
  movesFrom,
  horizonOf,
  isOverdue,
  isReopen,
  itemPriority,
  OPEN_STATUSES,
  priorityRank,
  type ActionStatus,
  type Horizon,
  type Priority,
} from './remediation.js';
export {
  needsSuggestion,
  suggestActions,
  suggestedTitle,
  SUGGESTION_DUE_DAYS,
  SUGGESTION_TITLE_MAX,
  type Suggestion,
  type SuggestionQuestion,
} from './suggestions.js';
export {
  ATTESTATION_EXCEPTION_KINDS,
  ATTESTATION_EXCEPTION_KIND_LABELS,
  attestationCheck,
  UNQUALIFIED_PHRASE,
  type AttestationAction,
  type AttestationCheck,
  type AttestationException,
  type AttestationExceptionKind,
  type AttestationInput,
  type DetectionFigures,
} from './attestation.js';
export {
  CHANGE_DIRECTIONS,
  CHANGE_LABEL,
  compareResults,
  itemDifference,
  scoreMovement,
  type ChangeDirection,
  type ComparableResult,
  type Comparison,
  type DomainMovement,
  type ScoreMovement,
} from './trend.js';
export {
  bankChanges,
  QUESTION_CHANGE_EFFECTS,
  type AnswerCarry,
  type BankChanges,
  type BankChangesInput,
  type QuestionChange,
  type QuestionChangeEffect,
} from './bank-changes.js';
export {
  chainMoves,
  followRows,
  moveOf,
  movedAnswer,
  movedLevel,
  movedQuestionLinks,
  movedTarget,
  planUpgrade,
  questionLinksOn,
  type LevelMap,
  type QuestionLinks,
  type QuestionMove,
  type UpgradePlan,
  type UpgradeRows,
} from './bank-moves.js';
