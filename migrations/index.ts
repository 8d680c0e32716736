import { CreateIdentityAndTenancy1764345600000 } from './1764345600000-CreateIdentityAndTenancy.js';
import { AddMembershipLookup1764345700000 } from './1764345700000-AddMembershipLookup.js';
import { CreateAuditLog1764345800000 } from './1764345800000-CreateAuditLog.js';
import { CreateOrganisationProfiles1764345900000 } from './1764345900000-CreateOrganisationProfiles.js';
import { CreateAssessmentsAndEvidence1764346000000 } from './1764346000000-CreateAssessmentsAndEvidence.js';
import { CreateThrottleAndTokens1764346100000 } from './1764346100000-CreateThrottleAndTokens.js';
import { CreateInvitationsAndOutbox1764346110000 } from './1764346110000-CreateInvitationsAndOutbox.js';
import { CreateActions1764346300000 } from './1764346300000-CreateActions.js';
import { AddAttestationSettingAndSignedScore1764346400000 } from './1764346400000-AddAttestationSettingAndSignedScore.js';
import { CreateReports1764346500000 } from './1764346500000-CreateReports.js';
import { CreateAuditAnchors1764346600000 } from './1764346600000-CreateAuditAnchors.js';
import { AddScoringInputVersions1764346700000 } from './1764346700000-AddScoringInputVersions.js';
import { CaptureAuditedState1764346800000 } from './1764346800000-CaptureAuditedState.js';
import { BaselineAuditedState1764346810000 } from './1764346810000-BaselineAuditedState.js';
import { FreezeSignedAssessments1764346900000 } from './1764346900000-FreezeSignedAssessments.js';
import { CreateEvidenceOpens1764347000000 } from './1764347000000-CreateEvidenceOpens.js';
import { AddAssessmentPeriods1764347100000 } from './1764347100000-AddAssessmentPeriods.js';
import { AddActionNumbers1764347200000 } from './1764347200000-AddActionNumbers.js';
import { StoreReportModels1764347210000 } from './1764347210000-StoreReportModels.js';
import { CreateJobQueue1764347230000 } from './1764347230000-CreateJobQueue.js';
import { GrantJobQueue1764347231000 } from './1764347231000-GrantJobQueue.js';
import { CreateNotificationsAndReminders1764347232000 } from './1764347232000-CreateNotificationsAndReminders.js';
import { AllowBankUpgradeDeletes1764347240000 } from './1764347240000-AllowBankUpgradeDeletes.js';
import { AddAnswerFigures1764347250000 } from './1764347250000-AddAnswerFigures.js';
import { LinkActionsByBankVersion1764347260000 } from './1764347260000-LinkActionsByBankVersion.js';
import { AddReviewRemindersPreferencesAndDigest1764347270000 } from './1764347270000-AddReviewRemindersPreferencesAndDigest.js';
import { CreateCalendarFeeds1764347280000 } from './1764347280000-CreateCalendarFeeds.js';
import { NotifyReportJobs1764347281000 } from './1764347281000-NotifyReportJobs.js';
import { AddHousekeepingPurges1764347282000 } from './1764347282000-AddHousekeepingPurges.js';
import { DeliverMailAndAccounts1764347290000 } from './1764347290000-DeliverMailAndAccounts.js';
import { ScopeUniqueKeysToOrganisation1764347300000 } from './1764347300000-ScopeUniqueKeysToOrganisation.js';
import { CreateDrills1764347310000 } from './1764347310000-CreateDrills.js';
import { CreateGroups1764347320000 } from './1764347320000-CreateGroups.js';
import { RecordSessionFactors1764347325000 } from './1764347325000-RecordSessionFactors.js';
import { CreateSecondFactors1764347330000 } from './1764347330000-CreateSecondFactors.js';
import { CreatePasskeysAndEmailVerification1764347340000 } from './1764347340000-CreatePasskeysAndEmailVerification.js';
import { CreateSingleSignOn1764347350000 } from './1764347350000-CreateSingleSignOn.js';
import { StoreEvidenceObjects1764347360000 } from './1764347360000-StoreEvidenceObjects.js';
import { VerifyDrillRecords1764347370000 } from './1764347370000-VerifyDrillRecords.js';
import { AddGroupReadGrantsAndReports1764347380000 } from './1764347380000-AddGroupReadGrantsAndReports.js';
import { CreatePeerBenchmark1764347390000 } from './1764347390000-CreatePeerBenchmark.js';
import { BindSsoSessionsToTheirOrganisation1764347400000 } from './1764347400000-BindSsoSessionsToTheirOrganisation.js';
import { RewrapSsoSecrets1764347410000 } from './1764347410000-RewrapSsoSecrets.js';

/** Every migration, oldest first. TypeORM gets classes, not globs (globs break between tsc and jest). */
export const MIGRATIONS = [
  CreateIdentityAndTenancy1764345600000,
  AddMembershipLookup1764345700000,
  CreateAuditLog1764345800000,
  CreateOrganisationProfiles1764345900000,
  CreateAssessmentsAndEvidence1764346000000,
  CreateThrottleAndTokens1764346100000,
  CreateInvitationsAndOutbox1764346110000,
  CreateActions1764346300000,
  AddAttestationSettingAndSignedScore1764346400000,
  CreateReports1764346500000,
  CreateAuditAnchors1764346600000,
  AddScoringInputVersions1764346700000,
  CaptureAuditedState1764346800000,
  BaselineAuditedState1764346810000,
  FreezeSignedAssessments1764346900000,
  CreateEvidenceOpens1764347000000,
  AddAssessmentPeriods1764347100000,
  AddActionNumbers1764347200000,
  StoreReportModels1764347210000,
  CreateJobQueue1764347230000,
  GrantJobQueue1764347231000,
  CreateNotificationsAndReminders1764347232000,
  AllowBankUpgradeDeletes1764347240000,
  AddAnswerFigures1764347250000,
  LinkActionsByBankVersion1764347260000,
  AddReviewRemindersPreferencesAndDigest1764347270000,
  CreateCalendarFeeds1764347280000,
  NotifyReportJobs1764347281000,
  AddHousekeepingPurges1764347282000,
  DeliverMailAndAccounts1764347290000,
  ScopeUniqueKeysToOrganisation1764347300000,
  CreateDrills1764347310000,
  CreateGroups1764347320000,
  RecordSessionFactors1764347325000,
  CreateSecondFactors1764347330000,
  CreatePasskeysAndEmailVerification1764347340000,
  CreateSingleSignOn1764347350000,
  StoreEvidenceObjects1764347360000,
  VerifyDrillRecords1764347370000,
  AddGroupReadGrantsAndReports1764347380000,
  CreatePeerBenchmark1764347390000,
  BindSsoSessionsToTheirOrganisation1764347400000,
  RewrapSsoSecrets1764347410000,
];
