import type { EvidenceKind, EvidenceStatus } from '@hoh/contracts';

/**
 * The one place evidence kinds get their human names (issue 24: kinds were shown as raw wire
 * values such as "training_record"). Every screen that names a kind reads it from here.
 */
export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  policy: 'Policy',
  procedure: 'Procedure',
  configuration: 'Configuration',
  contract: 'Contract',
  registration: 'Registration',
  training_record: 'Training record',
  audit_report: 'Audit report',
  metrics: 'Metrics (KPI export)',
  minutes: 'Minutes',
  external_reference: 'External reference',
  exercise: 'Drill or exercise record',
  other: 'Other',
};

export const EVIDENCE_STATUS_LABELS: Record<EvidenceStatus, string> = {
  pending: 'Pending review',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export const evidenceKindLabel = (kind: EvidenceKind): string => EVIDENCE_KIND_LABELS[kind];
