export {
  OrganisationProfileSchema,
  PROFILE_FACT_KEYS,
  OPTIONAL_PROFILE_FACT_KEYS,
  factsToConfirm,
  SERVICE_TYPES,
  JURISDICTIONS,
  RISK_LEVELS,
  RISK_KINDS,
  AU_SERVICE_CATEGORIES,
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
  AuServiceCategory,
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
  ReferenceCheckSchema,
  REFERENCE_CHECK_STATES,
  BankMappingSchema,
  QuestionMappingSchema,
} from './schema.js';
export type {
  Framework,
  Domain,
  Question,
  Reference,
  Regime,
  EvidenceKind,
  Scale,
  ApplicabilityRule,
  ReferenceCheck,
  ReferenceCheckState,
  BankMapping,
  QuestionMapping,
} from './schema.js';

export { listFrameworks, getFramework, getCurrentFramework, parseFramework, CURRENT_FRAMEWORK } from './frameworks.js';
export type { FrameworkRef, FrameworkSummary } from './frameworks.js';

export { evaluateApplicability, evaluateQuestion } from './applicability.js';
export type { QuestionApplicability } from './applicability.js';
export { exposureMap, EXPOSURE_STATES, EXPOSURE_VERSIONS } from './exposure.js';
export type { ExposureEntry, ExposureState } from './exposure.js';
export { questionReferences, referencesFor, referenceState, referenceMatches, resolveReference } from './references.js';
export type { QuestionReferences, ReferenceWithState } from './references.js';

export { canonicalJson } from './canonical-json.js';

export { HEADLINE_FIGURES } from './figures.js';
export type { HeadlineFigure } from './figures.js';
export { getMapping, listMappings, nextPublishedVersion, publishedSteps, referenceKeys } from './mappings.js';
export { FIGURE_QUESTIONS, isFigureQuestion } from './figure-questions.js';
export { regulationWatch, RegulationWatchSchema, watchForBank } from './regulation-watch.js';
export type { RegulationWatch, WatchEntry, WatchForBank } from './regulation-watch.js';
export {
  drillLibrary,
  drillScenario,
  allowedDrillSources,
  checkDrillLibrary,
  DrillLibrarySchema,
  AllowedSourcesSchema,
  DRILL_SETTINGS,
  DRILL_MILESTONES,
  DRILL_LIBRARY_VERSIONS,
  CURRENT_DRILL_LIBRARY,
} from './drills.js';
export type { DrillLibrary, DrillScenario, DrillInject, DrillDecision, DrillSetting, DrillMilestone, AllowedSources } from './drills.js';
