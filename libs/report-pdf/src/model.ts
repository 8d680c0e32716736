// The renderer's input: everything the board pack prints, already decided. The API gathers it from
// the stored engine result, the bank, the organisation profile, actions and the sign-off; the
// renderer only lays it out (plus a few derivations that must match what is printed elsewhere in
// the same document: overdue flags, areas of concern, exposure status counts).
// Plain shapes on purpose, so a PDF can be re-rendered from a stored model: the wire vocabulary (docs/API.md
// §15) as string unions; a vocabulary the engine defines as a list (the attestation exception kinds) is
// imported from it, types only. The rest of the unions still repeat the contracts' enums (issue 26, open).
import type { AttestationExceptionKind, Comparison } from '@hoh/scoring-engine';

export type ReportBand = 'green' | 'amber' | 'red';
export type ReportConfidenceLabel = 'self_attested' | 'reviewed' | 'independently_verified';
export type ReportAssessmentStatus = 'draft' | 'in_review' | 'signed';
export type ReportLevel = 0 | 1 | 2 | 3 | 4;
export type ReportRegime =
  | 'ofcom-icu'
  | 'ofcom-ics'
  | 'uk-osa'
  | 'uk-si-2026-268'
  | 'us-2258a'
  | 'au-bose'
  | 'au-dis'
  | 'au-res'
  | 'eu-dsa'
  | 'eu-csam-interim'
  | 'five-eyes-vp'
  | 'uk-pca-1978'
  | 'ofcom-pcu'
  | 'uk-cja-1988'
  | 'uk-soa-2003'
  | 'us-2258b'
  | 'au-osa-2021'
  | 'au-codes'
  | 'eu-e-evidence'
  | 'other';
export type ReportItemStatus = 'answered' | 'unanswered' | 'unknown' | 'not_applicable' | 'na_pending' | 'excluded_by_profile';
export type ReportCapReason = 'none' | 'no_counting_evidence' | 'no_metrics_evidence' | 'legal_duty_rounded';
export type ReportActionStatus = 'open' | 'in_progress' | 'blocked' | 'done' | 'risk_accepted';
export type ReportPriority = 'p1' | 'p2' | 'p3' | 'p4';
export type ReportHorizon = 'now' | 'next' | 'later';
export type ReportEvidenceStatus = 'accepted' | 'rejected' | 'pending';
export type ReportExceptionKind = AttestationExceptionKind;

export interface ReportOrganisation {
  id: string;
  name: string;
  /** Entities and services the assessment covers, in the organisation's words. */
  scope: string;
  /** Profile service types (wire vocabulary, e.g. `file_storage_sharing`). */
  services: string[];
  jurisdictions: string[];
}

export interface ReportAssessment {
  id: string;
  status: ReportAssessmentStatus;
  /** Assessment period, ISO dates (YYYY-MM-DD). */
  periodStart: string;
  periodEnd: string;
  /** The period's short name ("2026", "2026/27"), used on the trend axis; absent in older models. */
  periodLabel?: string;
  /** The instant the scores were computed as of (the signing time once signed). */
  scoredAsOf: string;
}

export interface ReportBank {
  frameworkId: string;
  title: string;
  version: string;
  /** The date up to which regulatory sources were read for this bank version. */
  regulationSnapshotDate: string;
  engineVersion: string;
}

export interface ReportIntegrity {
  /** SHA-256 (hex) of the RFC 8785 canonical results JSON. */
  resultsSha256: string;
  /** Id of the Ed25519 key the issued manifest is signed with; null for an unissued preview. */
  keyId: string | null;
  /**
   * The product's public address (`PUBLIC_URL`, e.g. `https://handonheart.example`), only when it was
   * set explicitly: the report then prints the full URL of the human verify page (`verifyPageUrl`
   * from the contracts) and a QR code opening it. Null: the report says how to verify offline
   * instead, never a relative path (issue 25).
   */
  publicUrl: string | null;
}

export interface ReportConfidence {
  label: ReportConfidenceLabel;
  evidencePct: number;
  reviewedPct: number;
  unknownPct: number;
}

export interface ReportPreviousResult {
  assessmentId: string;
  assessedAt: string;
  score: number;
  band: ReportBand;
}

export interface ReportSummary {
  /** Unrounded overall score 0–100; printed rounded. */
  score: number;
  /** Band after critical caps. */
  band: ReportBand;
  /** Band from the score alone, before caps; printed when a cap lowered it. */
  rawBand: ReportBand;
  confidence: ReportConfidence;
  /** Question ids of critical items that cap the band. */
  cappedBy: string[];
  /** Up to three sentences the assessor wrote for the board. */
  narrative: string[];
  /** Decisions asked of the board, each one sentence. */
  boardDecisions: string[];
}

/** How a cited measure stands for this organisation (the exposure map's state; docs/PRODUCT.md §3.8). */
export type ReportReferenceState = 'applies' | 'voluntary' | 'condition_not_met' | 'not_in_force' | 'elsewhere';

export interface ReportReference {
  regime: ReportRegime;
  id: string;
  title: string;
  verified: boolean;
  /** Absent in a model without a profile, or on bank 1.0.0, whose map has no states: every reference is printed as cited. */
  state?: ReportReferenceState;
  /** Why, from the exposure map; with `state`. */
  reason?: string;
}

export interface ReportExposureEntry extends ReportReference {
  applies: boolean;
  /** Why it applies or not, e.g. "file-storage service". */
  reason: string;
}

export interface ReportDomain {
  domainId: string;
  title: string;
  /** Unrounded 0–100; null when nothing in the domain is included. */
  score: number | null;
  band: ReportBand | null;
  achievedLevel: ReportLevel | null;
  /** The level the domain aims at (lowest item target), for "achieved vs target". */
  targetLevel: ReportLevel | null;
  /** % of included items with counting evidence. */
  evidenceCoveragePct: number;
  cappedBy: string[];
}

export interface ReportEvidence {
  id: string;
  kind: string;
  status: ReportEvidenceStatus;
  /** SHA-256 hex of an uploaded document; null for an external reference. */
  sha256: string | null;
  /** For an external reference: the document id or URL in the customer's own system. */
  externalRef: string | null;
  issuedAt: string;
  expiresAt: string | null;
  /** Accepted and unexpired at the scoring date. */
  counts: boolean;
}

export interface ReportQuestion {
  questionId: string;
  domainId: string;
  text: string;
  scale: 'maturity' | 'legal_duty';
  weight: 1 | 2 | 3;
  critical: boolean;
  status: ReportItemStatus;
  included: boolean;
  claimed: ReportLevel | null;
  effectiveLevel: ReportLevel | null;
  capReason: ReportCapReason;
  target: ReportLevel;
  gap: number;
  /** Points the overall score would gain if this item alone reached its target. */
  upliftPoints: number;
  reviewedByOther: boolean;
  answeredBy: string | null;
  answeredAt: string | null;
  /** N/A justification or comment, printed in the appendix. */
  comment: string | null;
  references: ReportReference[];
  evidence: ReportEvidence[];
}

export interface ReportAction {
  id: string;
  /** Short, stable per-organisation number the UI shows too, e.g. "A-014" (docs/PRODUCT.md, remediation). */
  number: string;
  title: string;
  owner: string | null;
  dueDate: string | null;
  status: ReportActionStatus;
  priority: ReportPriority;
  horizon: ReportHorizon;
  questionIds: string[];
  /** Predicted overall-score uplift in points. */
  predictedUpliftPoints: number;
}

export interface ReportTrendPoint {
  assessmentId: string;
  /** Short label for the axis, e.g. "2024". */
  label: string;
  assessedAt: string;
  score: number;
  band: ReportBand;
  bankVersion: string;
  domainScores: Record<string, number | null>;
}

export interface ReportAcknowledgedException {
  id: string;
  kind: ReportExceptionKind;
  message: string;
}

export interface ReportSignOff {
  /** The exact statement the accountable individual signed. */
  statement: string;
  signerName: string;
  signerRole: string;
  signedAt: string;
  acknowledgedExceptions: ReportAcknowledgedException[];
}

/**
 * The answer the board reads first. Signed: `unqualified` or `qualified` with the exceptions the signer
 * acknowledged. Not signed: `not_signed`, with the exceptions the hand-on-heart check reports now
 * (each must be resolved or acknowledged before an unqualified signature is possible).
 */
export interface ReportAttestation {
  status: 'unqualified' | 'qualified' | 'not_signed';
  exceptions: ReportAcknowledgedException[];
}

/** A dated headline figure for "why this matters", from the question bank's figures (never the renderer's own). */
export interface ReportFigure {
  /** One sentence with the number in it, e.g. "More than 20 million reports … in 2024". */
  statement: string;
  /** The period the figure covers, e.g. "2024" or "Jan–Jun 2025". */
  period: string;
  publisher: string;
  /** An ISO date, or only the year (YYYY) where the source gives no day. */
  publishedOn: string;
  url: string;
}

export interface ReportAccountability {
  accountableIndividual: string;
  accountableRole: string;
  reviewers: string[];
  nextReviewDue: string | null;
  /** Null until the accountable individual signs; the report then prints "not signed" and a DRAFT watermark. */
  signOff: ReportSignOff | null;
  /** Auditor who recorded the independent verification, if any. */
  verifiedBy: string | null;
}

export interface ReportModel {
  reportId: string;
  /** ISO 8601 with a zone. Drives the PDF dates, overdue flags and "as of" wording. */
  issuedAt: string;
  /** Confidentiality marking printed on the cover and in every footer. */
  confidentiality: string;
  organisation: ReportOrganisation;
  assessment: ReportAssessment;
  bank: ReportBank;
  integrity: ReportIntegrity;
  summary: ReportSummary;
  /** The organisation's latest earlier assessment, for "change since last time"; null for a first one. */
  previous: ReportPreviousResult | null;
  exposure: ReportExposureEntry[];
  domains: ReportDomain[];
  questions: ReportQuestion[];
  actions: ReportAction[];
  /** Earlier assessments, oldest first (the current one is added from the summary). */
  trend: ReportTrendPoint[];
  /**
   * This assessment against the latest earlier one (trend's last point), as the scoring engine's
   * compareResults computed it: per-domain movements labelled improved, deteriorated, unchanged (a
   * printed change of 0), review_reset (only a review state differs) or not comparable. Absent:
   * the renderer falls back to the engine's score-only scoreMovement over `domainScores`.
   */
  comparison?: (Comparison & { previousLabel: string }) | null;
  accountability: ReportAccountability;
  attestation: ReportAttestation;
  figures: ReportFigure[];
  /**
   * Where the previous assessment used an older bank: what each published step to this one changed
   * for this organisation (the engine's bankChanges on its profile). Absent or empty: same bank.
   */
  bankChanges?: ReportBankStep[];
  /** "You vs peers" (docs/PRODUCT.md §16.4); absent when the organisation does not take part or no cohort is published. */
  peers?: ReportPeers | null;
  /**
   * Incident drills finished in the assessment's period, oldest first (docs/PRODUCT.md §15.8). Absent
   * (models stored before drills were reported): nothing printed; empty: the pack says none was held.
   */
  drills?: ReportDrill[];
}

export interface ReportDrill {
  scenario: string;
  finishedAt: string;
  /** The facilitator's role in the organisation ("Owner", "Assessor", "Former member"), never their name. */
  facilitatorRole: string;
  /** Ratings against good practice, milestones reached and follow-ups, in one line. */
  outcome: string;
  /** SHA-256 of the signed drill record PDF (public verification finds it); null if it was never stored. */
  recordSha256: string | null;
}

export interface ReportPeerFigures {
  q1: number;
  median: number;
  q3: number;
}

export interface ReportPeers {
  /** The newest signed score, whole points, and when it was signed. */
  score: number;
  signedAt: string;
  /** The cohort in words ("User-to-user services, several jurisdictions"). */
  cohortLabel: string;
  bankVersion: string;
  size: number;
  computedAt: string;
  overall: ReportPeerFigures;
  domains: (ReportPeerFigures & { title: string; you: number | null })[];
}

export interface ReportBankStep {
  from: string;
  to: string;
  /** Question ids, per effect, in the newer bank's order. */
  newApplying: string[];
  nowApplying: string[];
  noLongerApplying: string[];
  criticalityChanged: string[];
  referencesCorrected: string[];
  retired: string[];
}

export const VERIFY_PATH = '/api/v1/reports/verify';
export const PUBLIC_KEY_PATH = '/api/v1/reports/public-key';
