import type { Action, AnswerResponse, AssessmentResponse, DashboardResponse, EvidenceResponse, Member, ProfileResponse, Report, ScoreResponse } from '@hoh/contracts';
import { defaultProfile, getCurrentFramework } from '@hoh/question-bank';
import type { Framework } from '@hoh/question-bank';

import { aMe } from './fetch-stub';

// Test data built on the real published bank, so descriptors and ids are the ones users see.
export const framework: Framework = getCurrentFramework();

export const ORG_ID = aMe().memberships[0]!.organisationId;
export const ME_ID = aMe().user.id;
export const OTHER_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
export const ASSESSMENT_ID = '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c';
export const NOW = '2026-11-28T09:30:00.000Z';

export const question = (id: string) => {
  const q = framework.questions.find((x) => x.id === id);
  if (!q) throw new Error(`No question ${id} in the bank`);
  return q;
};

export const aLegalDutyQuestion = () => {
  const q = framework.questions.find((x) => x.scale.kind === 'legal_duty');
  if (!q) throw new Error('The bank has no legal-duty question');
  return q;
};

export const anAnswer = (overrides: Partial<AnswerResponse> = {}): AnswerResponse => ({
  assessmentId: ASSESSMENT_ID,
  questionId: 'GOV-01',
  answered: true,
  value: 3,
  justification: null,
  comment: null,
  figures: null,
  version: 1,
  authorId: ME_ID,
  answeredAt: NOW,
  review: { status: 'pending', reviewerId: null, reviewedAt: null, comment: null, naApproved: false },
  assigneeId: null,
  evidenceIds: [],
  ...overrides,
});

export const anAssessment = (overrides: Partial<AssessmentResponse> = {}): AssessmentResponse => ({
  id: ASSESSMENT_ID,
  title: 'CSAM controls review 2026',
  status: 'draft',
  framework: { id: framework.id, version: framework.version },
  fromAssessmentId: null,
  period: { start: '2026-01-01', end: '2026-12-31', label: '2026' },
  version: 1,
  createdAt: NOW,
  submittedAt: null,
  signedAt: null,
  score: 0,
  band: 'red',
  confidence: 'self_attested',
  profileSnapshot: defaultProfile(),
  signature: null,
  verifications: [],
  targets: [],
  answers: [],
  ...overrides,
});

export const summaryOf = (a: AssessmentResponse) => {
  const { profileSnapshot: _p, signature: _s, verifications: _v, targets: _t, answers: _a, ...summary } = a;
  return summary;
};

type Item = ScoreResponse['items'][number];

export const aScore = (overrides: { overall?: Partial<ScoreResponse['overall']>; items?: Partial<Record<string, Partial<Item>>> } = {}): ScoreResponse => ({
  engineVersion: '1.0.0',
  bank: { frameworkId: framework.id, version: framework.version },
  asOf: NOW,
  overall: { score: 0, rounded: 0, rawBand: 'red', band: 'red', cappedBy: [], includedDomains: framework.domains.length, ...overrides.overall },
  domains: framework.domains.map((d) => ({
    domainId: d.id,
    title: d.title,
    score: 0,
    rounded: 0,
    rawBand: 'red',
    band: 'red',
    cappedBy: [],
    achievedLevel: 0,
    includedItems: 1,
    excludedItems: 0,
  })),
  items: framework.questions.map(
    (q): Item => ({
      questionId: q.id,
      domainId: q.domainId,
      status: 'unanswered',
      included: true,
      scale: q.scale.kind,
      claimed: null,
      effectiveLevel: null,
      capReason: 'none',
      ratio: 0,
      weight: q.weight,
      critical: q.critical === true,
      target: 3,
      gap: 3,
      uplift: { overall: 0, domain: 0 },
      hasCountingEvidence: false,
      reviewedByOther: false,
      ...overrides.items?.[q.id],
    }),
  ),
  criticalCaps: [],
  confidence: {
    label: 'self_attested',
    evidencePct: 0,
    reviewedPct: 0,
    unknownPct: 0,
    counts: { applicable: 51, withCountingEvidence: 0, reviewed: 0, unknown: 0, answered: 0, answeredReviewed: 0, claimsAt3Plus: 0, claimsAt3PlusWithEvidence: 0 },
  },
  explanation: ['Red: score 0 is below 50.'],
});

export const aMember = (overrides: Partial<Member> = {}): Member => ({
  userId: ME_ID,
  name: 'Alex Morgan',
  email: 'ciso@example.org',
  role: 'owner',
  accountableIndividual: true,
  joinedAt: NOW,
  ...overrides,
});

export const aProfileResponse = (overrides: Partial<ProfileResponse> = {}): ProfileResponse => ({
  profile: null,
  version: 0,
  updatedAt: null,
  updatedBy: null,
  ...overrides,
});

export const ACTION_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
export const ACTION_ID_2 = 'a1b2c3d4-0000-4000-8000-000000000002';
export const REPORT_ID = 'b1b2c3d4-0000-4000-8000-000000000001';

export const anAction = (overrides: Partial<Action> = {}): Action => ({
  id: ACTION_ID,
  number: 'A-001',
  title: 'Deploy hash matching on uploads',
  description: '',
  ownerId: ME_ID,
  dueDate: '2026-12-31',
  status: 'open',
  priority: 'p1',
  computedPriority: 'p1',
  priorityOverride: null,
  horizon: 'now',
  overdue: false,
  questionIds: ['HASH-01'],
  bankVersion: '1.2.0',
  questionLinks: [{ bankVersion: '1.2.0', questionIds: ['HASH-01'] }],
  domains: ['HASH'],
  predictedUplift: { overall: 4.2, domains: { HASH: 12 } },
  readyToClose: false,
  statusReason: null,
  closingNote: null,
  closingEvidenceId: null,
  suggested: true,
  suggestedOwnerIds: [],
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});

export const anActionList = (items: Action[]) => ({
  items,
  nextCursor: null,
  counts: {
    open: items.filter((a) => a.status === 'open').length,
    in_progress: items.filter((a) => a.status === 'in_progress').length,
    blocked: items.filter((a) => a.status === 'blocked').length,
    done: items.filter((a) => a.status === 'done').length,
    risk_accepted: items.filter((a) => a.status === 'risk_accepted').length,
    overdue: items.filter((a) => a.overdue).length,
  },
});

export const aDashboard = (overrides: Partial<DashboardResponse> = {}): DashboardResponse => ({
  organisation: { id: ORG_ID, name: 'Northwind Social' },
  profile: { described: true, updatedAt: NOW },
  current: {
    assessment: { id: ASSESSMENT_ID, title: 'CSAM controls review 2026', status: 'draft', period: { start: '2026-01-01', end: '2026-12-31', label: '2026' }, createdAt: NOW, signedAt: null, framework: { id: 'hoh-csam', version: '1.2.0', next: null, watch: { registerVersion: '2026-12-07', checkedUpTo: '2026-10-10', changedSince: [], pending: [] } } },
    score: 42.4,
    rounded: 42,
    band: 'red',
    rawBand: 'red',
    cappedBy: ['HASH-01'],
    explanation: ['Red: HASH-01 is critical and counts as level 1.'],
    confidence: { label: 'self_attested', evidencePct: 10, reviewedPct: 20, unknownPct: 5 },
    progress: { applicable: 40, answered: 12 },
    domains: framework.domains.map((d) => ({ domainId: d.id, title: d.title, score: 40, rounded: 40, band: 'red' as const, achievedLevel: 1 })),
    criticalControls: [{ questionId: 'HASH-01', domainId: framework.domains[0]!.id, claimed: 3, effectiveLevel: 1, target: 3, gap: 2, capReason: 'no_counting_evidence' }],
    readyToAttest: { ready: false, exceptionCount: 3 },
    comparison: null,
  },
  trend: [
    {
      assessmentId: OTHER_ID,
      title: 'Review 2025',
      status: 'signed',
      period: { start: '2025-01-01', end: '2025-12-31', label: '2025' },
      label: '2025',
      createdAt: '2025-11-01T09:00:00.000Z',
      signedAt: '2025-11-20T09:00:00.000Z',
      score: 31,
      band: 'red',
      change: null,
      bankVersion: '1.2.0',
      bankChange: null,
    },
    {
      assessmentId: ASSESSMENT_ID,
      title: 'CSAM controls review 2026',
      status: 'draft',
      period: { start: '2026-01-01', end: '2026-12-31', label: '2026' },
      label: '2026',
      createdAt: NOW,
      signedAt: null,
      score: 42.4,
      band: 'red',
      change: { before: 31, after: 42.4, delta: 11, direction: 'improved' },
      bankVersion: '1.2.0',
      bankChange: null,
    },
  ],
  actions: {
    counts: { open: 4, in_progress: 1, blocked: 0, done: 2, risk_accepted: 0 },
    overdue: 1,
    openByPriority: { p1: 1, p2: 2, p3: 1, p4: 1 },
    topOverdue: [{ id: ACTION_ID, number: 'A-001', title: 'Deploy hash matching on uploads', priority: 'p1', dueDate: '2026-10-01', ownerId: ME_ID }],
  },
  drills: [],
  ...overrides,
});

export const aReport = (overrides: Partial<Report> = {}): Report => ({
  id: REPORT_ID,
  assessmentId: ASSESSMENT_ID,
  status: 'queued',
  draft: true,
  requestedAt: NOW,
  requestedBy: ME_ID,
  ...overrides,
});

/** A pending PDF someone else uploaded, never opened by the caller; tests override what they are about. */
export const anEvidence = (overrides: Partial<EvidenceResponse> = {}): EvidenceResponse => ({
  id: 'e1b2c3d4-0000-4000-8000-000000000001',
  title: 'Hash-matching policy v3',
  kind: 'policy',
  source: 'file',
  fileName: 'hash-policy.pdf',
  mediaType: 'application/pdf',
  sizeBytes: 1234,
  sha256: 'a'.repeat(64),
  externalRef: null,
  issuedAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
  expiryExplicit: false,
  expired: false,
  status: 'pending',
  counts: false,
  reviewReason: null,
  reviewer: null,
  uploadedBy: { userId: OTHER_ID, name: 'Sam Patel' },
  createdAt: NOW,
  version: 1,
  linkedAnswers: [],
  openedByYouAt: null,
  ...overrides,
});
