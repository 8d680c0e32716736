export type Level = 0 | 1 | 2 | 3 | 4;
export type Band = 'green' | 'amber' | 'red';
export type ConfidenceLabel = 'self_attested' | 'reviewed' | 'independently_verified';
export type ScaleKind = 'maturity' | 'legal_duty';

// ---------------------------------------------------------------- input

/** The part of a question-bank question the engine reads; bank questions are assignable to it. */
export interface ScoringQuestion {
  id: string;
  domainId: string;
  weight: 1 | 2 | 3;
  scale: { kind: ScaleKind };
  targetLevel: number;
}

export interface ScoringEvidence {
  id: string;
  status: 'accepted' | 'rejected' | 'pending';
  /** `metrics` is the kind that lifts a maturity claim to 4. */
  kind: string;
  /** ISO 8601 with a zone (`Z` or `±hh:mm`), or a bare date read as UTC midnight. */
  issuedAt: string;
  /** Absent or null: the evidence expires 12 calendar months after `issuedAt`. */
  expiresAt?: string | null;
}

export interface ScoringAnswer {
  questionId: string;
  value: Level | 'unknown' | 'not_applicable';
  naApproved?: boolean;
  authorId?: string;
  reviewedByOther: boolean;
  evidence: ScoringEvidence[];
}

export interface ScoringItemContext {
  applicable: boolean;
  critical: boolean;
}

export interface ScoringInput {
  /** The instant evidence expiry is judged against; ISO 8601 with a zone. */
  asOf: string;
  bank: {
    frameworkId: string;
    version: string;
    domains: { id: string; title: string }[];
    questions: ScoringQuestion[];
  };
  /** Applicability and criticality resolved from the organisation profile; missing = applicable, not critical. */
  items: Record<string, ScoringItemContext>;
  /** Organisation target overrides, by question id. */
  targets?: Record<string, number>;
  answers: ScoringAnswer[];
  lifecycle?: { signedOff: boolean; independentlyVerified: boolean };
}

// ---------------------------------------------------------------- output

export type ItemStatus = 'answered' | 'unanswered' | 'unknown' | 'not_applicable' | 'na_pending' | 'excluded_by_profile';

export type CapReason =
  | 'none'
  | 'no_counting_evidence'
  | 'no_metrics_evidence'
  /** An odd value on a legal-duty (4/2/0) question, rounded down. */
  | 'legal_duty_rounded';

export interface ScoreDelta {
  overall: number;
  domain: number;
}

export interface ItemResult {
  questionId: string;
  domainId: string;
  status: ItemStatus;
  /** False when the profile rules the item out or its N/A was approved. */
  included: boolean;
  scale: ScaleKind;
  /** The level as answered; null for unknown, N/A and unanswered. */
  claimed: Level | null;
  /** Null when the item is not included. */
  effectiveLevel: Level | null;
  capReason: CapReason;
  /** effectiveLevel / 4; null when not included. */
  ratio: number | null;
  weight: 1 | 2 | 3;
  critical: boolean;
  target: Level;
  gap: number;
  /** Score change (points, unrounded) if this item alone reached its target. */
  uplift: ScoreDelta;
  hasCountingEvidence: boolean;
  reviewedByOther: boolean;
}

export interface CriticalCap {
  questionId: string;
  domainId: string;
  effectiveLevel: Level;
  /** The best band this item allows: level ≤ 1 → red, level 2 → amber. */
  limit: 'red' | 'amber';
}

export interface DomainResult {
  domainId: string;
  title: string;
  /** Weighted mean of item ratios × 100, unrounded; null when no item in the domain is included. */
  score: number | null;
  rounded: number | null;
  rawBand: Band | null;
  band: Band | null;
  /** Critical items in this domain whose cap lowered the domain band, most severe first. */
  cappedBy: string[];
  /** Highest L such that every included item is at L or above; null when nothing is included. */
  achievedLevel: Level | null;
  includedItems: number;
  excludedItems: number;
}

export interface OverallResult {
  /** Mean of domain scores over domains with an included item, unrounded. 0 when none. */
  score: number;
  rounded: number;
  rawBand: Band;
  band: Band;
  /** Critical items whose cap lowered the overall band, most severe first. */
  cappedBy: string[];
  includedDomains: number;
}

export interface ConfidenceCounts {
  /** Included items (applicable and not approved N/A). */
  applicable: number;
  withCountingEvidence: number;
  reviewed: number;
  unknown: number;
  /** Included items that carry an answer of any kind (level, unknown or N/A awaiting approval). */
  answered: number;
  answeredReviewed: number;
  /** Included items whose claimed level (after legal-duty rounding) is 3 or 4. */
  claimsAt3Plus: number;
  claimsAt3PlusWithEvidence: number;
}

export interface Confidence {
  label: ConfidenceLabel;
  evidencePct: number;
  reviewedPct: number;
  unknownPct: number;
  counts: ConfidenceCounts;
}

export interface ScoringResult {
  engineVersion: string;
  bank: { frameworkId: string; version: string };
  asOf: string;
  overall: OverallResult;
  domains: DomainResult[];
  items: ItemResult[];
  /** Every included critical item at level 2 or below, in bank order. */
  criticalCaps: CriticalCap[];
  confidence: Confidence;
  explanation: string[];
}

export interface ScoreChange {
  before: number;
  after: number;
  delta: number;
}

export interface DomainScoreChange {
  before: number | null;
  after: number | null;
  delta: number;
}

export interface Uplift {
  overall: ScoreChange;
  domains: Record<string, DomainScoreChange>;
  band: { before: Band; after: Band };
  projected: ScoringResult;
}

export interface InputIssue {
  path: string;
  message: string;
}
