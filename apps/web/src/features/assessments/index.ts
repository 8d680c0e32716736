// The public surface of features/assessments: what other features may import (eslint: feature boundaries).
export { assessmentPath } from './api/keys';
export { useCreateAssessment } from './api/create-assessment';
export { useAssessmentEtag } from './api/upgrade-assessment';
export { useUpgradeAssessment } from './api/upgrade-assessment';
