export {
  OrganisationProfileSchema,
  PROFILE_FACT_KEYS,
  SERVICE_TYPES,
  JURISDICTIONS,
  RISK_LEVELS,
  RISK_KINDS,
  LARGE_SERVICE_UK_USERS,
  C9_C10_UK_USERS,
  ukUsersBand,
  defaultProfile,
} from './profile.js';
export type {
  OrganisationProfile,
  ProfileFactKey,
  ProfileOverrides,
  ServiceType,
  Jurisdiction,
  RiskLevel,
  RiskKind,
  UkUsersBand,
} from './profile.js';

export {
  FrameworkSchema,
  DomainSchema,
  QuestionSchema,
  ReferenceSchema,
  RegimeSchema,
  EvidenceKindSchema,
  ScaleSchema,
  MaturityScaleSchema,
  LegalDutyScaleSchema,
  ApplicabilityRuleSchema,
  REGIMES,
  EVIDENCE_KINDS,
  QUESTION_ID,
} from './schema.js';
export type { Framework, Domain, Question, Reference, Regime, EvidenceKind, Scale, ApplicabilityRule } from './schema.js';

export { listFrameworks, getFramework, getCurrentFramework, parseFramework, CURRENT_FRAMEWORK } from './frameworks.js';
export type { FrameworkRef, FrameworkSummary } from './frameworks.js';

export { evaluateApplicability, evaluateQuestion } from './applicability.js';
export type { QuestionApplicability } from './applicability.js';
export { exposureMap } from './exposure.js';
export type { ExposureEntry } from './exposure.js';

export { canonicalJson } from './canonical-json.js';
