import { HEADLINE_FIGURES } from '@hoh/question-bank';
import {
  actionPriority,
  bandOf,
  ENGINE_VERSION,
  evidenceCounts,
  horizonOf,
  predictUplift,
  score,
  type ScoringAnswer,
  type ScoringInput,
  type ScoringResult,
} from '@hoh/scoring-engine';

import type {
  ReportAction,
  ReportActionStatus,
  ReportDomain,
  ReportEvidence,
  ReportExposureEntry,
  ReportItemStatus,
  ReportLevel,
  ReportModel,
  ReportQuestion,
  ReportReference,
  ReportTrendPoint,
} from '../model.js';

// Deterministic test and bench models: a seeded generator, so every run renders the same report.
// The generator draws the bank, answers, evidence and actions; the scoring engine scores them (as
// the API's report gatherer does), so statuses, effective levels, caps, bands, uplift, priority and
// horizon follow the product's one copy of each rule (docs/PRODUCT.md §4, §7.3, §7.4).

export interface ReportModelOptions {
  seed?: number;
  questions?: number;
  actions?: number;
  earlierAssessments?: number;
  signed?: boolean;
  organisationName?: string;
  /** Adds very long titles, owners, comments and unbroken strings, to test that nothing spills. */
  longText?: boolean;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS: [string, string][] = [
  ['GOV', 'Governance and accountability'],
  ['RA', 'Risk assessment and applicability'],
  ['HASH', 'Known-CSAM detection: hash matching'],
  ['URL', 'URL, keyword, search and network controls'],
  ['NOV', 'New CSAM, grooming, livestreaming and GenAI'],
  ['OPS', 'Moderation operations and user reporting'],
  ['REP', 'Mandatory reporting and law-enforcement cooperation'],
  ['ENT', 'Enterprise devices and workplace'],
  ['TRN', 'Transparency, collaboration and improvement'],
];
const PER_DOMAIN_60 = [6, 6, 7, 7, 7, 7, 7, 6, 7];

const QUESTION_TEXTS: Record<string, string[]> = {
  GOV: [
    'Is one named senior individual accountable for preventing and responding to CSAM, with this recorded and known internally?',
    'Does the board review CSAM risk and control performance at least annually, with minutes?',
    'Are CSAM-related responsibilities of senior staff written down (RACI), including deputies?',
    'Do the terms of service clearly prohibit CSAM, including AI-generated material, and say it will be reported?',
  ],
  RA: [
    'Is there a documented CSAM risk assessment covering image-based CSAM, CSAM URLs and grooming, with a risk level for each?',
    'Is the risk assessment reviewed at least every 12 months and before significant changes such as E2EE or livestreaming?',
    'Are the service facts that decide which Code measures apply kept current (UK users, file sharing, children likely)?',
  ],
  HASH: [
    'Are user-uploaded images checked at upload with perceptual hash matching against an established third-party CSAM hash list?',
    'Is video covered by hash matching too (for example TMK+PDQF, vPDQ or PhotoDNA for video)?',
    'Is stored content re-scanned when hash lists update, with lists pulled at least daily?',
  ],
  URL: [
    'Are URLs on the IWF URL List blocked or removed from search results and user content?',
    'Are known CSAM search terms blocked or warned against, with deterrence messaging?',
    'Does the network layer block access to known CSAM domains for users and staff?',
  ],
  NOV: [
    'Are classifiers used to detect previously unseen CSAM, with human review of every positive?',
    'Are grooming signals (age-gap contact patterns, rapid escalation) detected and acted on?',
    'Do generative AI features refuse prompts for sexualised images of minors, with red-team testing before launch?',
  ],
  OPS: [
    'Do users have an easy, always-available way to report suspected CSAM, with acknowledgement?',
    'Are moderators trained, supported with wellbeing measures, and is their exposure limited?',
    'Are CSAM reports triaged within a defined time, with queue metrics reviewed weekly?',
  ],
  REP: [
    'Is every confirmed CSAM detection reported to the NCA (UK) or NCMEC (US) within the required time?',
    'Is reported content and associated data preserved for the period the law requires?',
    'Is the reporting process drilled at least yearly, with the outcome recorded?',
  ],
  ENT: [
    'Are managed devices protected with web filtering that blocks the IWF URL List?',
    'Does the acceptable use policy for staff prohibit CSAM and explain the consequences?',
    'Is there a process for handling suspected CSAM found on company devices without further distribution?',
  ],
  TRN: [
    'Is a transparency report published at least annually, with CSAM detection and reporting figures?',
    'Does the organisation take part in industry hash and signal sharing?',
    'Are lessons from incidents and audits fed back into the controls within a set time?',
  ],
};

// With the states the product's exposure map gives a UK/EU file-sharing service (issue 22 item 3):
// what applies, a voluntary principle, a measure whose condition is not met and one elsewhere.
const applies = (reason: string) => ({ state: 'applies' as const, reason });
const REGIMES: ReportReference[] = [
  { regime: 'ofcom-icu', id: 'A2', title: 'Named accountable individual', verified: true, ...applies('UK user-to-user service') },
  { regime: 'ofcom-icu', id: 'C9', title: 'Perceptual hash matching for CSAM', verified: true, ...applies('file-storage service with public content') },
  { regime: 'ofcom-icu', id: 'C10', title: 'Detection of CSAM URLs', verified: true, ...applies('more than 700,000 monthly UK users') },
  { regime: 'ofcom-icu', id: 'D1', title: 'Enabling complaints', verified: false, ...applies('UK user-to-user service') },
  { regime: 'uk-osa', id: 's.66', title: 'Reporting CSEA content to the NCA', verified: true, ...applies('UK-linked regulated service') },
  { regime: 'uk-osa', id: 's.9', title: 'Illegal content risk assessment', verified: true, ...applies('UK user-to-user service') },
  { regime: 'us-2258a', id: '(a)', title: 'Duty to report to NCMEC CyberTipline', verified: true, ...applies('US electronic communication service provider') },
  { regime: 'eu-dsa', id: 'Art 16', title: 'Notice and action mechanisms', verified: true, ...applies('hosting service offered in the EU') },
  {
    regime: 'eu-csam-interim',
    id: 'Art 3',
    title: 'Voluntary detection conditions',
    verified: false,
    state: 'condition_not_met',
    reason: 'Covers number-independent interpersonal communications services only',
  },
  { regime: 'au-bose', id: 's.6', title: 'Reasonable steps to ensure safe use', verified: true, state: 'elsewhere', reason: 'Australia is not among the jurisdictions served' },
  { regime: 'five-eyes-vp', id: 'VP 1', title: 'Prevent known CSAM', verified: true, state: 'voluntary', reason: 'Voluntary principles endorsed by industry' },
  { regime: 'uk-pca-1978', id: 's.1', title: 'Indecent photographs of children', verified: true, ...applies('offence that binds every organisation in England and Wales') },
];

const PEOPLE = ['Amara Okafor', 'Jonas Lindqvist', 'Priya Raman', 'Zoë Ødegård-Łukasiewicz', 'Ţara Vasilescu', 'Seán Ó Briain', 'Dvořák Kateřina'];
const ROLES = ['Head of Trust & Safety', 'CISO', 'Policy Lead', 'IT Operations Manager', 'General Counsel'];
const ACTION_VERBS = ['Implement', 'Document', 'Extend', 'Review', 'Automate', 'Train staff on', 'Evidence', 'Procure'];
const ACTION_OBJECTS = [
  'perceptual hash matching for video uploads',
  'the NCA reporting runbook and escalation rota',
  'moderator wellbeing and exposure limits',
  'IWF URL List blocking on managed devices',
  'annual board review of CSAM risk',
  'grooming-signal detection in private messaging',
  'daily hash-list refresh and re-scan of stored content',
  'the transparency report with detection figures',
];

const DAY = 86_400_000;
const ISSUED_AT = '2026-06-30T12:00:00Z';
const issuedMs = Date.parse(ISSUED_AT);
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function hex(rand: () => number, length = 64): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(rand() * 16).toString(16);
  return out;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

const LONG_WORD = 'Unbreakable'.repeat(14);

function makeQuestions(rand: () => number, count: number, longText: boolean): ReportQuestion[] {
  const perDomain =
    count === 60 ? PER_DOMAIN_60 : DOMAINS.map((_, i) => Math.floor(count / DOMAINS.length) + (i < count % DOMAINS.length ? 1 : 0));
  const questions: ReportQuestion[] = [];
  DOMAINS.forEach(([domainId], d) => {
    for (let k = 1; k <= (perDomain[d] ?? 0); k++) {
      const legal = rand() < 0.15;
      const weight = (1 + Math.floor(rand() * 3)) as 1 | 2 | 3;
      const critical = weight === 3 && rand() < 0.35;
      const target = (legal ? 4 : critical ? 3 + Math.floor(rand() * 2) : 2 + Math.floor(rand() * 3)) as ReportLevel;
      const r = rand();
      const status: ReportItemStatus =
        r < 0.04 ? 'unanswered' : r < 0.08 ? 'unknown' : r < 0.11 ? 'not_applicable' : r < 0.13 ? 'excluded_by_profile' : 'answered';
      const included = status !== 'not_applicable' && status !== 'excluded_by_profile';
      const claimed: ReportLevel | null =
        status === 'answered' ? (legal ? pick(rand, [0, 2, 4, 4, 4] as const) : pick(rand, [1, 2, 2, 3, 3, 3, 4, 4] as const)) : null;
      const evidence: ReportEvidence[] = [];
      const evidenceCount = status === 'answered' ? Math.floor(rand() * 3.6) : 0;
      for (let e = 0; e < evidenceCount; e++) {
        const issued = issuedMs - Math.floor(rand() * 500) * DAY;
        const s = rand();
        const external = rand() < 0.25;
        const evStatus = s < 0.82 ? 'accepted' : s < 0.93 ? 'pending' : 'rejected';
        const expires = rand() < 0.5 ? null : issued + Math.floor(rand() * 700) * DAY;
        evidence.push({
          id: `EV-${String(questions.length * 4 + e + 1).padStart(4, '0')}`,
          kind: pick(rand, ['policy', 'procedure', 'configuration', 'metrics', 'minutes', 'training_record'] as const),
          status: evStatus,
          sha256: external ? null : hex(rand),
          externalRef: external ? (longText && e === 0 ? `https://docs.example.org/${LONG_WORD}` : `DMS-${1000 + Math.floor(rand() * 9000)}`) : null,
          issuedAt: isoDay(issued),
          expiresAt: expires === null ? null : isoDay(expires),
          // Set from the engine by scoreQuestions().
          counts: false,
        });
      }
      const refs = [pick(rand, REGIMES)];
      const second = pick(rand, REGIMES);
      if (second !== refs[0]) refs.push(second);
      const texts = QUESTION_TEXTS[domainId] ?? [];
      const text = texts[(k - 1) % Math.max(1, texts.length)] ?? '';
      questions.push({
        questionId: `${domainId}-${String(k).padStart(2, '0')}`,
        domainId,
        text: longText && k === 1 ? `${text} ${text} ${LONG_WORD}` : text,
        scale: legal ? 'legal_duty' : 'maturity',
        weight,
        critical,
        status,
        included,
        claimed,
        // The scored fields below are set from the engine's result by scoreQuestions().
        effectiveLevel: null,
        capReason: 'none',
        target,
        gap: 0,
        upliftPoints: 0,
        reviewedByOther: rand() < 0.7,
        answeredBy: status === 'unanswered' ? null : pick(rand, PEOPLE),
        answeredAt: status === 'unanswered' ? null : isoDay(issuedMs - Math.floor(rand() * 60) * DAY),
        comment:
          status === 'not_applicable'
            ? 'No livestreaming feature is offered; the product roadmap was checked with the CPO.'
            : longText && rand() < 0.2
              ? `Long comment: ${'The control owner notes that the rollout depends on the vendor contract renewal. '.repeat(6)}`
              : null,
        references: refs,
        evidence,
      });
    }
  });
  return questions;
}

/** The generated questions as the engine's input: the bank, applicability, answers and their evidence. */
function scoringInputOf(questions: ReportQuestion[], asOf: string): ScoringInput {
  const answers: ScoringAnswer[] = [];
  for (const q of questions) {
    if (q.status === 'unanswered' || q.status === 'excluded_by_profile') continue;
    answers.push({
      questionId: q.questionId,
      value: q.status === 'answered' ? (q.claimed ?? 0) : q.status === 'unknown' ? 'unknown' : 'not_applicable',
      naApproved: q.status === 'not_applicable',
      reviewedByOther: q.reviewedByOther,
      evidence: q.evidence.map((e) => ({ id: e.id, status: e.status, kind: e.kind, issuedAt: e.issuedAt, expiresAt: e.expiresAt })),
    });
  }
  return {
    asOf,
    bank: {
      frameworkId: 'hoh-csam',
      version: '2026.1',
      domains: DOMAINS.map(([id, title]) => ({ id, title })),
      questions: questions.map((q) => ({ id: q.questionId, domainId: q.domainId, weight: q.weight, scale: { kind: q.scale }, targetLevel: q.target })),
    },
    items: Object.fromEntries(questions.map((q) => [q.questionId, { applicable: q.status !== 'excluded_by_profile', critical: q.critical }])),
    answers,
    lifecycle: { signedOff: false, independentlyVerified: false },
  };
}

/**
 * Scores the generated questions with the engine and copies its result onto them, the way the
 * API's report gatherer maps a result into the model; returns the input and result for the rest.
 */
function scoreQuestions(questions: ReportQuestion[], asOf: string): { input: ScoringInput; result: ScoringResult; domains: ReportDomain[] } {
  const input = scoringInputOf(questions, asOf);
  const result = score(input);
  questions.forEach((q, i) => {
    const item = result.items[i]!;
    q.status = item.status;
    q.included = item.included;
    q.effectiveLevel = item.effectiveLevel;
    q.capReason = item.capReason;
    q.target = item.target;
    q.gap = item.gap;
    q.upliftPoints = item.uplift.overall;
    q.reviewedByOther = item.reviewedByOther;
    for (const e of q.evidence) e.counts = evidenceCounts({ status: e.status, kind: e.kind, id: e.id, issuedAt: e.issuedAt, expiresAt: e.expiresAt }, asOf);
  });
  const domains: ReportDomain[] = result.domains.map((d) => {
    const included = result.items.filter((i) => i.domainId === d.domainId && i.included);
    return {
      domainId: d.domainId,
      title: d.title,
      score: d.score,
      band: d.band,
      achievedLevel: d.achievedLevel,
      targetLevel: included.length === 0 ? null : (Math.min(...included.map((i) => i.target)) as ReportLevel),
      evidenceCoveragePct: included.length === 0 ? 0 : Math.round((included.filter((i) => i.hasCountingEvidence).length / included.length) * 100),
      cappedBy: d.cappedBy,
    };
  });
  return { input, result, domains };
}

function makeActions(
  rand: () => number,
  questions: ReportQuestion[],
  count: number,
  longText: boolean,
  scored: { input: ScoringInput; result: ScoringResult },
): ReportAction[] {
  const gaps = questions.filter((q) => q.gap > 0);
  const pool = gaps.length > 0 ? gaps : questions;
  const actions: ReportAction[] = [];
  for (let i = 0; i < count; i++) {
    const q = pool[i % pool.length] as ReportQuestion;
    const dueOffset = Math.floor(rand() * 420) - 60;
    const due = issuedMs + dueOffset * DAY;
    const s = rand();
    const status: ReportActionStatus =
      s < 0.45 ? 'open' : s < 0.7 ? 'in_progress' : s < 0.78 ? 'blocked' : s < 0.95 ? 'done' : q.critical ? 'open' : 'risk_accepted';
    const title = `${pick(rand, ACTION_VERBS)} ${pick(rand, ACTION_OBJECTS)} (${q.questionId})`;
    // Drawn in this order so a seed gives the same actions as before the engine scored them.
    const owner = rand() < 0.08 ? null : longText && i % 11 === 0 ? `${pick(rand, PEOPLE)} and the Extended Trust and Safety Working Group` : pick(rand, PEOPLE);
    const questionIds = rand() < 0.2 && pool.length > 1 ? [q.questionId, (pool[(i + 1) % pool.length] as ReportQuestion).questionId] : [q.questionId];
    actions.push({
      // Real action ids are UUIDs; the board reads the short number.
      id: `0e7d1c3a-5b2f-4c1d-9a8e-${String(i + 1).padStart(12, '0')}`,
      number: `A-${String(i + 1).padStart(3, '0')}`,
      title: longText && i % 7 === 0 ? `${title}: ${'coordinate with vendor, legal and the platform team before rollout; '.repeat(5)}${LONG_WORD}` : title,
      owner,
      dueDate: isoDay(due),
      status,
      priority: actionPriority(scored.result.items, questionIds),
      horizon: horizonOf(isoDay(due), ISSUED_AT),
      questionIds,
      predictedUpliftPoints: predictUplift(scored.input, questionIds, scored.result).overall.delta,
    });
  }
  return actions;
}

function makeTrend(rand: () => number, count: number, overall: number, domains: ReportDomain[]): ReportTrendPoint[] {
  const points: ReportTrendPoint[] = [];
  for (let i = count; i >= 1; i--) {
    const score = Math.max(5, Math.min(95, overall - i * (4 + rand() * 6)));
    const year = 2026 - i;
    points.push({
      assessmentId: `asm-${year}`,
      label: `FY${year}`,
      assessedAt: `${year}-06-28T10:00:00Z`,
      score,
      band: bandOf(score),
      bankVersion: i === count && count > 2 ? '2024.1' : '2026.1',
      domainScores: Object.fromEntries(domains.map((d) => [d.domainId, d.score === null ? null : Math.max(0, d.score - i * (rand() * 12 - 3))])),
    });
  }
  return points;
}

const EXPOSURE: ReportExposureEntry[] = [
  { ...(REGIMES[0] as ReportReference), applies: true, reason: 'All regulated user-to-user services' },
  { ...(REGIMES[1] as ReportReference), applies: true, reason: 'File-storage/sharing service (ICU C9)' },
  { ...(REGIMES[2] as ReportReference), applies: true, reason: 'Over 700k UK monthly users and high CSAM URL risk' },
  { ...(REGIMES[3] as ReportReference), applies: true, reason: 'All regulated user-to-user services' },
  { ...(REGIMES[4] as ReportReference), applies: true, reason: 'UK service with UK users' },
  { ...(REGIMES[5] as ReportReference), applies: true, reason: 'UK regulated service' },
  { ...(REGIMES[6] as ReportReference), applies: true, reason: 'US users; electronic service provider' },
  { ...(REGIMES[7] as ReportReference), applies: true, reason: 'Hosting service offered in the EU' },
  { ...(REGIMES[8] as ReportReference), applies: false, reason: 'No voluntary scanning of private messages in the EU' },
  { ...(REGIMES[9] as ReportReference), applies: false, reason: 'Australia not served' },
  { ...(REGIMES[10] as ReportReference), applies: true, reason: 'Voluntary commitment adopted by the board' },
  { ...(REGIMES[11] as ReportReference), applies: true, reason: 'UK criminal law; staff and devices in the UK' },
];

export function buildReportModel(options: ReportModelOptions = {}): ReportModel {
  const rand = prng(options.seed ?? 20260630);
  const longText = options.longText ?? false;
  const signed = options.signed ?? true;
  const scoredAsOf = signed ? '2026-06-29T16:45:00Z' : ISSUED_AT;
  const questions = makeQuestions(rand, options.questions ?? 60, longText);
  const scored = scoreQuestions(questions, scoredAsOf);
  const { overall, confidence } = scored.result;
  const actions = makeActions(rand, questions, options.actions ?? 40, longText, scored);
  const trend = makeTrend(rand, options.earlierAssessments ?? 3, overall.score, scored.domains);
  const last = trend[trend.length - 1];
  const name = options.organisationName ?? (longText ? `Zoë Ødegård-Łukasiewicz, Ţara & Partners Holdings ${'International '.repeat(8)}Ltd` : 'Northwind Media Ltd');
  return {
    reportId: 'rpt-7f3c2a91',
    issuedAt: ISSUED_AT,
    confidentiality: 'CONFIDENTIAL — prepared for the board and its auditors. Do not forward.',
    organisation: {
      id: 'org-5d1e',
      name,
      scope: longText
        ? `All consumer services ${'and every subsidiary platform operated under licence '.repeat(10)}`
        : 'Northwind Share (file sharing), Northwind Chat (private messaging) and corporate managed devices',
      services: ['user_to_user', 'file_storage_sharing', 'private_messaging', 'enterprise_devices'],
      jurisdictions: ['UK', 'EU', 'US'],
    },
    assessment: {
      id: 'asm-2026',
      status: signed ? 'signed' : 'in_review',
      periodStart: '2025-07-01',
      periodEnd: '2026-06-30',
      scoredAsOf,
    },
    bank: {
      frameworkId: 'hoh-csam',
      title: 'Hand on Heart CSAM controls',
      version: '2026.1',
      regulationSnapshotDate: '2026-03-31',
      engineVersion: ENGINE_VERSION,
    },
    integrity: {
      resultsSha256: hex(rand),
      keyId: signed ? 'ed25519-2026-01' : null,
      publicUrl: 'https://handonheart.example',
    },
    summary: {
      score: overall.score,
      band: overall.band,
      rawBand: overall.rawBand,
      confidence: {
        label: confidence.label,
        evidencePct: confidence.evidencePct,
        reviewedPct: confidence.reviewedPct,
        unknownPct: confidence.unknownPct,
      },
      cappedBy: overall.cappedBy,
      narrative: [
        'Controls for known CSAM are in place for images but not yet for video, and reporting to the NCA is documented but untested.',
        'Evidence coverage has improved since last year, but several critical controls still rest on claims without accepted evidence.',
        longText ? `${'The remediation plan is resourced for the next two quarters. '.repeat(12)}` : 'The remediation plan below closes the critical gaps within two quarters if resourced.',
      ],
      boardDecisions: [
        'Approve budget for video hash matching (HASH-02) and a daily hash-list refresh.',
        'Confirm the Head of Trust & Safety as the accountable individual under Ofcom ICU A2.',
        'Require a tested NCA reporting drill before the next board meeting.',
        ...(longText ? Array.from({ length: 6 }, (_, i) => `Additional decision ${i + 1}: ${'note the dependency on the vendor contract renewal; '.repeat(4)}`) : []),
      ],
    },
    previous: last ? { assessmentId: last.assessmentId, assessedAt: last.assessedAt, score: last.score, band: last.band } : null,
    exposure: EXPOSURE,
    domains: scored.domains,
    questions,
    actions,
    trend,
    accountability: {
      accountableIndividual: 'Zoë Ødegård-Łukasiewicz',
      accountableRole: 'Head of Trust & Safety',
      reviewers: ['Ţara Vasilescu (Policy Lead)', 'Seán Ó Briain (CISO)'],
      nextReviewDue: '2027-06-30',
      signOff: signed
        ? {
            statement:
              'I confirm that, to the best of my knowledge and belief, this self-assessment fairly represents the controls Northwind Media Ltd has in place to prevent child sexual abuse material being stored, shared, processed or traded on its platforms and devices, and that the exceptions listed below are known to me and to the board.',
            signerName: 'Zoë Ødegård-Łukasiewicz',
            signerRole: pick(rand, ROLES),
            signedAt: '2026-06-29T16:45:00Z',
            acknowledgedExceptions: [
              { id: 'exc-1', kind: 'critical_below_target', message: 'HASH-01 is at level 2 against a target of 3: video is not yet covered.' },
              { id: 'exc-2', kind: 'overdue_action', message: 'Action "Run an NCA reporting drill" (P2) is overdue.' },
              { id: 'exc-3', kind: 'unreviewed_answer', message: 'Four answers in ENT were not reviewed by someone other than their author.' },
            ],
          }
        : null,
      verifiedBy: null,
    },
    attestation: signed
      ? {
          status: 'qualified',
          exceptions: [
            { id: 'exc-1', kind: 'critical_below_target', message: 'HASH-01 is at level 2 against a target of 3: video is not yet covered.' },
            { id: 'exc-2', kind: 'overdue_action', message: 'Action "Run an NCA reporting drill" (P2) is overdue.' },
            { id: 'exc-3', kind: 'unreviewed_answer', message: 'Four answers in ENT were not reviewed by someone other than their author.' },
          ],
        }
      : {
          status: 'not_signed',
          exceptions: [
            { id: 'critical_below_target:HASH-01', kind: 'critical_below_target', message: 'HASH-01 is a critical control and counts at level 2; it must reach at least level 3.' },
            { id: 'unsupported_claim:GOV-01', kind: 'unsupported_claim', message: 'GOV-01 claims level 3 without counting evidence.' },
          ],
        },
    figures: HEADLINE_FIGURES.map((f) => ({ ...f })),
  };
}

/** The bench's realistic model: 60 questions in 9 domains, 40 actions, 3 earlier assessments. */
export function buildSampleReportModel(options: ReportModelOptions = {}): ReportModel {
  return buildReportModel({ questions: 60, actions: 40, earlierAssessments: 3, ...options });
}

/** 200 questions and 200 actions with long strings everywhere: pagination and bounds. */
export function buildStressReportModel(options: ReportModelOptions = {}): ReportModel {
  return buildReportModel({ questions: 200, actions: 200, earlierAssessments: 3, longText: true, ...options });
}
