// The public surface of features/evidence: what other features may import (eslint: feature boundaries).
export { useEvidenceItem } from './api/evidence';
export { evidenceKeys } from './api/evidence';
export { getEvidenceItem } from './api/evidence';
export { EvidenceSummary } from './components/evidence-summary';
export { RefusalMessage } from './components/refusal-message';
export { EVIDENCE_KIND_LABELS } from './vocabulary';
