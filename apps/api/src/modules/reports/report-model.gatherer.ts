import { Injectable } from '@nestjs/common';

import { cohortLabel, periodLabel, ScoringResultSchema, type AssessmentResponse } from '@hoh/contracts';
import {
  canonicalJson,
  exposureMap,
  getFramework,
  HEADLINE_FIGURES,
  publishedSteps,
  referenceKeys,
  type Framework,
  type OrganisationProfile,
} from '@hoh/question-bank';
import type { ReportAction, ReportBankStep, ReportEvidenceStatus, ReportExceptionKind, ReportModel } from '@hoh/report-pdf';
import {
  ATTESTATION_EXCEPTION_KINDS,
  bankChanges,
  type BankChanges,
  compareResults,
  type QuestionChangeEffect,
  score,
  type ScoringInput,
  type ScoringResult,
} from '@hoh/scoring-engine';

import { notFound } from '../../common/app-error.js';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { ActionsService } from '../actions/actions.service.js';
import { AttestationService } from '../assessments/attestation.service.js';
import { drillsHeldIn } from '../drills/drill-report.js';
import { PeersService } from '../peers/peers.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { boardDecisionsOf, domainsOf, type EarlierRow, questionsOf, trendOf } from './report-model.sections.js';
import { sha256Hex } from './signing-key.service.js';

interface AssessmentRow {
  id: string;
  title: string;
  status: 'draft' | 'in_review' | 'signed';
  framework_id: string;
  framework_version: string;
  profile_snapshot: OrganisationProfile | null;
  created_at: Date;
  signed_at: Date | null;
  signature: AssessmentResponse['signature'];
  /** YYYY-MM-DD: the period the assessment covers (issue 24). */
  period_start: string;
  period_end: string;
}

interface AnswerRow {
  question_id: string;
  value: string;
  justification: string | null;
  comment: string | null;
  author_id: string;
  answered_at: Date;
  review_status: 'pending' | 'approved' | 'returned';
  reviewer_id: string | null;
}

interface EvidenceRow {
  question_id: string;
  id: string;
  kind: string;
  status: ReportEvidenceStatus;
  sha256: string | null;
  external_ref: string | null;
  issued_at: Date;
  expires_at: Date | null;
}

/** Everything read for one assessment; exports and the report share it so they never disagree. */
export interface AssessmentSnapshot {
  organisationId: string;
  organisationName: string;
  assessment: AssessmentRow;
  framework: Framework;
  profile: OrganisationProfile | null;
  input: ScoringInput;
  result: ScoringResult;
  answers: Map<string, AnswerRow>;
  evidence: Map<string, EvidenceRow[]>;
  people: Map<string, string>;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const EXCEPTION_KINDS: ReadonlySet<string> = new Set<ReportExceptionKind>(ATTESTATION_EXCEPTION_KINDS);
const isExceptionKind = (kind: string): kind is ReportExceptionKind => EXCEPTION_KINDS.has(kind);

/** The engine result exactly as the API serves it; its canonical JSON is what `resultsSha256` hashes. */
export function wireResults(result: ScoringResult) {
  return ScoringResultSchema.parse(result);
}

export const resultsSha256 = (result: ScoringResult) => sha256Hex(canonicalJson(wireResults(result)));

/**
 * Reads an assessment into the renderer's ReportModel, inside the caller's tenant transaction.
 * Signed assessments use the result frozen at sign-off; drafts are scored as of now. Evidence
 * appears as ids and SHA-256 only, never content.
 */
@Injectable()
export class ReportModelGatherer {
  constructor(
    private readonly scoring: ScoringService,
    private readonly actions: ActionsService,
    private readonly clock: Clock,
    private readonly attestation: AttestationService,
    private readonly config: AppConfig,
    private readonly peers: PeersService,
  ) {}

  async snapshot(assessmentId: string): Promise<AssessmentSnapshot> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const [assessment] = await m.query<AssessmentRow[]>(
      'SELECT id, title, status, framework_id, framework_version, profile_snapshot, created_at, signed_at, signature, period_start::text AS period_start, period_end::text AS period_end FROM assessments WHERE organisation_id = $1 AND id = $2',
      [organisationId, assessmentId],
    );
    if (!assessment) throw notFound('assessment');
    const framework = getFramework(assessment.framework_id, assessment.framework_version);
    if (!framework)
      throw new Error(`assessment ${assessmentId} uses unknown framework ${assessment.framework_id}@${assessment.framework_version}`);
    const { input } = await this.scoring.loadInput(organisationId, assessmentId, this.clock.now());
    const result = assessment.status === 'signed' ? await this.scoring.scoreAssessment(organisationId, assessmentId) : score(input);

    // One connection per transaction: these run one after another (pg warns on overlapping queries).
    const [org] = await m.query<{ name: string }[]>('SELECT name FROM organisations WHERE organisation_id = $1', [organisationId]);
    const [profileRow] = await m.query<{ profile: OrganisationProfile; updated_at: Date }[]>(
      'SELECT profile, updated_at FROM organisation_profiles WHERE organisation_id = $1',
      [organisationId],
    );
    const answers = await m.query<AnswerRow[]>(
      'SELECT question_id, value, justification, comment, author_id, answered_at, review_status, reviewer_id FROM answers WHERE organisation_id = $1 AND assessment_id = $2',
      [organisationId, assessmentId],
    );
    const evidence = await m.query<EvidenceRow[]>(
      `SELECT l.question_id, e.id, e.kind, e.status, e.sha256, e.external_ref, e.issued_at, e.expires_at
       FROM answer_evidence l JOIN evidence e ON e.organisation_id = l.organisation_id AND e.id = l.evidence_id
       WHERE l.organisation_id = $1 AND l.assessment_id = $2 ORDER BY l.linked_at, e.id`,
      [organisationId, assessmentId],
    );
    const people = await m.query<{ id: string; name: string }[]>(
      'SELECT u.id, u.name FROM memberships mb JOIN users u ON u.id = mb.user_id WHERE mb.organisation_id = $1',
      [organisationId],
    );
    // A signed report describes the organisation as it was when signed, unless the profile is older.
    const signedAt = assessment.signed_at;
    const profile =
      profileRow && (!signedAt || profileRow.updated_at <= signedAt)
        ? profileRow.profile
        : (assessment.profile_snapshot ?? profileRow?.profile ?? null);
    const byQuestion = new Map<string, EvidenceRow[]>();
    for (const e of evidence) byQuestion.set(e.question_id, [...(byQuestion.get(e.question_id) ?? []), e]);
    return {
      organisationId,
      organisationName: org?.name ?? '',
      assessment,
      framework,
      profile,
      input,
      result,
      answers: new Map(answers.map((a) => [a.question_id, a])),
      evidence: byQuestion,
      people: new Map(people.map((p) => [p.id, p.name])),
    };
  }

  async model(snapshot: AssessmentSnapshot, report: { reportId: string; issuedAt: string; keyId: string }): Promise<ReportModel> {
    const { assessment, framework, result, input, profile, organisationId } = snapshot;
    const m = tenantManager();
    const name = (id: string | null | undefined) => (id ? (snapshot.people.get(id) ?? 'Former member') : null);
    const questions = questionsOf(snapshot, name);
    const domains = domainsOf(result);

    const actions: ReportAction[] = (await this.actions.all({ input, result })).map((a) => ({
      id: a.id,
      number: a.number,
      title: a.title,
      owner: name(a.ownerId),
      dueDate: a.dueDate,
      status: a.status,
      priority: a.priority,
      horizon: a.horizon ?? 'later',
      questionIds: a.questionIds,
      predictedUpliftPoints: a.predictedUplift.overall,
    }));

    const earlier = await m.query<EarlierRow[]>(
      `SELECT id, title, period_start::text AS period_start, period_end::text AS period_end, framework_version, signed_at, signed_score, signed_band, signed_scoring_input FROM assessments
       WHERE organisation_id = $1 AND id <> $2 AND status = 'signed' AND signed_score IS NOT NULL AND created_at < $3
       ORDER BY signed_at DESC LIMIT 5`,
      [organisationId, assessment.id, assessment.created_at],
    );
    const { trend, results: earlierResults } = trendOf(earlier);
    const previous = trend.at(-1);
    // Per-domain movements and their causes come from the engine (compareResults), never the renderer.
    const previousResult = previous ? earlierResults.get(previous.assessmentId) : null;
    const comparison = previous && previousResult ? { previousLabel: previous.label, ...compareResults(previousResult, result) } : null;

    const [accountable] = await m.query<{ name: string; role: string }[]>(
      `SELECT u.name, mb.role FROM memberships mb JOIN users u ON u.id = mb.user_id
       WHERE mb.organisation_id = $1 AND mb.accountable_individual ORDER BY mb.created_at LIMIT 1`,
      [organisationId],
    );
    const verifications = await m.query<{ auditor_id: string }[]>(
      'SELECT auditor_id FROM assessment_verifications WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY verified_at LIMIT 1',
      [organisationId, assessment.id],
    );
    const signature = assessment.status === 'signed' ? assessment.signature : null;
    const reviewers = [
      ...new Set(
        [...snapshot.answers.values()].filter((a) => a.review_status === 'approved' && a.reviewer_id).map((a) => name(a.reviewer_id) ?? ''),
      ),
    ].sort();
    const nextReview = signedAtPlusYear(assessment.signed_at);
    const acknowledged = (signature?.exceptions ?? []).flatMap((e) =>
      isExceptionKind(e.kind) ? [{ id: e.id, kind: e.kind, message: e.message }] : [],
    );

    const boardDecisions = boardDecisionsOf(result, actions, signature);

    return {
      reportId: report.reportId,
      issuedAt: report.issuedAt,
      confidentiality: `Confidential: prepared for the board of ${snapshot.organisationName}. Contains no evidence content.`,
      organisation: {
        id: organisationId,
        name: snapshot.organisationName,
        scope: assessment.title,
        services: profile?.services ?? [],
        jurisdictions: profile?.jurisdictions ?? [],
      },
      assessment: {
        id: assessment.id,
        status: assessment.status,
        // The period it covers, as named at creation (issue 24).
        periodStart: assessment.period_start,
        periodEnd: assessment.period_end,
        periodLabel: periodLabel({ start: assessment.period_start, end: assessment.period_end }),
        scoredAsOf: result.asOf,
      },
      bank: {
        frameworkId: framework.id,
        title: framework.title,
        version: framework.version,
        regulationSnapshotDate: framework.regulationSnapshotDate,
        engineVersion: result.engineVersion,
      },
      // Only an address an operator set is printed: a default localhost would send readers nowhere.
      integrity: {
        resultsSha256: resultsSha256(result),
        keyId: report.keyId,
        publicUrl: this.config.publicUrlExplicit ? this.config.publicUrl : null,
      },
      summary: {
        score: result.overall.score,
        band: result.overall.band,
        rawBand: result.overall.rawBand,
        confidence: {
          label: result.confidence.label,
          evidencePct: result.confidence.evidencePct,
          reviewedPct: result.confidence.reviewedPct,
          unknownPct: result.confidence.unknownPct,
        },
        cappedBy: result.overall.cappedBy,
        narrative: result.explanation.slice(0, 3),
        boardDecisions,
      },
      previous: previous
        ? { assessmentId: previous.assessmentId, assessedAt: previous.assessedAt, score: previous.score, band: previous.band }
        : null,
      exposure: profile
        ? // The map of the assessment's own bank version: a re-issued 1.0.0 report keeps 1.0.0's exposure.
          exposureMap(profile, framework.version).map((e) => ({
            regime: e.regime,
            id: e.id,
            title: e.title,
            verified: e.verified,
            applies: e.applies,
            reason: e.reason,
          }))
        : [],
      domains,
      questions,
      actions,
      trend,
      comparison,
      accountability: {
        accountableIndividual: accountable?.name ?? signature?.signerName ?? 'Not designated',
        accountableRole: accountable?.role ?? signature?.signerRole ?? '',
        reviewers,
        nextReviewDue: nextReview,
        signOff: signature
          ? {
              statement: signature.statement,
              signerName: signature.signerName,
              signerRole: signature.signerRole,
              signedAt: signature.signedAt,
              acknowledgedExceptions: acknowledged,
            }
          : null,
        verifiedBy: name(verifications[0]?.auditor_id),
      },
      // Signed: what was acknowledged at sign-off. Not signed: what the hand-on-heart check (the same
      // service GET …/attestation-check answers from) says stands in the way today.
      attestation: signature
        ? { status: (signature.exceptions ?? []).length > 0 ? 'qualified' : 'unqualified', exceptions: acknowledged }
        : { status: 'not_signed', exceptions: await this.currentExceptions(assessment.id, input, result) },
      figures: HEADLINE_FIGURES.map((f) => ({ ...f })),
      bankChanges: previous && profile ? this.bankSteps(framework.id, previous.bankVersion, framework.version, profile, result.asOf) : [],
      ...(await this.peersBlock(domains)),
      // Drills finished in the period the assessment covers (docs/PRODUCT.md §15.8).
      drills: await drillsHeldIn(assessment.period_start, assessment.period_end),
    };
  }

  /** "You vs peers" (docs/PRODUCT.md §16.4), only when the organisation takes part and a cohort of it is published. */
  private async peersBlock(domains: { domainId: string; title: string }[]): Promise<Pick<ReportModel, 'peers'>> {
    const { you, cohort } = await this.peers.comparison();
    if (!you || !cohort) return {};
    const title = new Map(domains.map((d) => [d.domainId, d.title]));
    return {
      peers: {
        score: you.score,
        signedAt: you.signedAt,
        cohortLabel: cohortLabel(cohort),
        bankVersion: cohort.bankVersion,
        size: cohort.size,
        computedAt: cohort.computedAt,
        overall: cohort.overall,
        domains: cohort.domains.map((d) => ({
          title: title.get(d.domainId) ?? d.domainId,
          you: you.domains.find((y) => y.domainId === d.domainId)?.score ?? null,
          q1: d.q1,
          median: d.median,
          q3: d.q3,
        })),
      },
    };
  }

  private async currentExceptions(
    assessmentId: string,
    input: ScoringInput,
    result: ScoringResult,
  ): Promise<ReportModel['attestation']['exceptions']> {
    // The input and result this model is built from: the check neither reloads nor rescores them.
    const check = await this.attestation.check(assessmentId, new Date(result.asOf), { input, result });
    return check.exceptions.flatMap((e) => (isExceptionKind(e.kind) ? [{ id: e.id, kind: e.kind, message: e.message }] : []));
  }

  /**
   * What each published step from the previous assessment's bank to this one changed for this
   * organisation (issue 23 item 4), from the engine's bankChanges on the profile alone: which
   * questions apply does not depend on answers. Empty for the same bank or a chain that does not lead here.
   */
  private bankSteps(frameworkId: string, from: string, to: string, profile: OrganisationProfile, asOf: string): ReportBankStep[] {
    if (from === to) return [];
    return publishedSteps(frameworkId, from, to).flatMap((mapping) => {
      const older = getFramework(frameworkId, mapping.from);
      const newer = getFramework(frameworkId, mapping.to);
      if (!older || !newer) return [];
      const changes = bankChanges({
        mapping,
        before: { asOf, ...this.scoring.bankFor(older, profile), answers: [] },
        after: this.scoring.bankFor(newer, profile),
        referencesBefore: referenceKeys(older),
        referencesAfter: referenceKeys(newer),
      });
      return [
        {
          from: mapping.from,
          to: mapping.to,
          newApplying: withEffect(changes, 'new_applies'),
          nowApplying: withEffect(changes, 'now_applies'),
          noLongerApplying: withEffect(changes, 'no_longer_applies'),
          criticalityChanged: withEffect(changes, 'criticality_changed'),
          referencesCorrected: withEffect(changes, 'references_corrected'),
          retired: withEffect(changes, 'retired'),
        },
      ];
    });
  }
}

/** Question ids with one effect, in the order bankChanges lists them (the newer bank's). */
const withEffect = (changes: BankChanges, effect: QuestionChangeEffect): string[] =>
  changes.questions.filter((q) => q.effects.includes(effect)).map((q) => q.questionId);

function signedAtPlusYear(signedAt: Date | null): string | null {
  if (!signedAt) return null;
  const next = new Date(signedAt);
  next.setUTCFullYear(next.getUTCFullYear() + 1);
  return day(next);
}
