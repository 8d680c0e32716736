import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type {
  AssessmentListResponse,
  AssessmentResponse,
  AssessmentSummary,
  AssignmentsRequest,
  CreateAssessmentRequest,
  ReviewRequest,
  SignOffRequest,
  PutTargetRequest,
  UpgradeAssessmentRequest,
  VerificationRequest,
} from '@hoh/contracts';
import { calendarYear, nextPeriod, type Period, titleForPeriod, withLabel } from '@hoh/contracts';
import { CURRENT_FRAMEWORK, evaluateQuestion, getFramework, listFrameworks, nextPublishedVersion } from '@hoh/question-bank';
import { score, type ScoringResult } from '@hoh/scoring-engine';

import { AppError, notFound } from '../../common/app-error.js';
import { decodeCursor, encodeCursor } from '../../common/keyset-cursor.js';
import { Clock } from '../../config/clock.js';
import { currentMember } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { EvidenceRepository } from '../evidence/evidence.repository.js';
import { OrganisationGroupsService } from '../groups/organisation-groups.service.js';
import { PeersService } from '../peers/peers.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { MembersService } from '../members/members.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { ProfileService } from '../organisations/profile.service.js';
import { answerResponse, AnswersService, LOCKED } from './answers.service.js';
import { type AssessmentRow, AssessmentsRepository } from './assessments.repository.js';
import { AttestationService } from './attestation.service.js';
import { BankUpgrade } from './upgrade.service.js';

@Injectable()
export class AssessmentsService {
  constructor(
    private readonly audit: AuditService,
    private readonly scoring: ScoringService,
    private readonly answers: AnswersService,
    private readonly attestation: AttestationService,
    private readonly clock: Clock,
    private readonly bankUpgrade: BankUpgrade,
    private readonly evidence: EvidenceRepository,
    private readonly groups: OrganisationGroupsService,
    private readonly peers: PeersService,
    private readonly repo: AssessmentsRepository,
    private readonly profiles: ProfileService,
    private readonly organisations: OrganisationsService,
    private readonly members: MembersService,
  ) {}

  /** The assessment or 404; `lock` as AssessmentsRepository.find says. */
  private async row(assessmentId: string, lock: 'update' | 'bank' | false = false): Promise<AssessmentRow> {
    const row = await this.repo.find(assessmentId, lock);
    if (!row) throw notFound('assessment');
    return row;
  }

  private async summary(row: AssessmentRow, scored?: ScoringResult): Promise<AssessmentSummary> {
    const result = scored ?? (await this.scoring.scoreAssessment(currentMember().organisationId, row.id));
    return {
      id: row.id,
      title: row.title,
      status: row.status,
      framework: { id: row.framework_id, version: row.framework_version },
      fromAssessmentId: row.from_assessment_id,
      period: withLabel({ start: row.period_start, end: row.period_end }),
      version: row.version,
      createdAt: row.created_at.toISOString(),
      submittedAt: row.submitted_at?.toISOString() ?? null,
      signedAt: row.signed_at?.toISOString() ?? null,
      score: result.overall.rounded,
      band: result.overall.band,
      confidence: result.confidence.label,
    };
  }

  async create(body: CreateAssessmentRequest): Promise<AssessmentResponse> {
    const { userId } = currentMember();
    const { profile } = await this.profiles.get();
    if (!profile) {
      throw new AppError('INVALID_STATE', 'Describe the organisation first (PUT /api/v1/orgs/{orgId}/profile): the questions that apply depend on its services.');
    }
    const from = body.fromAssessmentId ? await this.row(body.fromAssessmentId) : null;
    if (from && from.status === 'draft') {
      // Next year's review starts from a settled year: a draft's answers may still change, and copying
      // them would fork one year's work into two (docs/PRODUCT.md §5.7).
      throw new AppError(
        'INVALID_STATE',
        `"${from.title}" is still a draft. Submit it for review (or sign it off) before starting next year's review from it, or start a blank assessment.`,
      );
    }
    const id = randomUUID();
    // Default period: the year after the source's ("next year's review"), else this calendar year.
    const period: Period = body.period ?? (from ? nextPeriod({ start: from.period_start, end: from.period_end }) : calendarYear(this.clock.now().getUTCFullYear()));
    const title = body.title ?? titleForPeriod(from?.title ?? null, period);
    // A follow-up is copied on its predecessor's bank version, then moved to the current one by the
    // published mappings, as an upgrade would move it (docs/PRODUCT.md §5.7); a new assessment starts
    // on the current bank.
    const bank = from ? { id: from.framework_id, version: from.framework_version } : CURRENT_FRAMEWORK;
    const steps = from && from.framework_id === CURRENT_FRAMEWORK.id ? this.bankUpgrade.mappings.steps(bank.id, bank.version, CURRENT_FRAMEWORK.version) : null;
    await this.repo.insert({ id, title, frameworkId: bank.id, frameworkVersion: bank.version, fromAssessmentId: from?.id ?? null, profile, period });
    let copied = 0;
    if (from) {
      // Next year's review starts from last year's answers and evidence links (for questions the
      // current bank still has); reviews start over, because a new year needs a fresh look.
      const questionIds = getFramework(bank.id, bank.version)!.questions.map((q) => q.id);
      const rows = await this.repo.copyAnswers(from.id, id, questionIds);
      copied = rows.length;
      await this.evidence.copyLinks(from.id, id, questionIds, userId);
      await this.repo.copyTargets(from.id, id);
      for (const r of rows) {
        await this.audit.append({
          action: 'answer.copied',
          entityType: 'answer',
          entityId: `${id}/${r.question_id}`,
          data: { assessmentId: id, questionId: r.question_id, fromAssessmentId: from.id, before: null, after: { value: r.value, justification: r.justification, comment: r.comment, version: r.version } },
        });
      }
    }
    await this.audit.append({ action: 'assessment.created', entityType: 'assessment', entityId: id, data: { title, period, framework: { id: bank.id, version: bank.version }, fromAssessmentId: from?.id ?? null, copiedAnswers: copied } });
    if (steps && steps.length > 0) await this.bankUpgrade.apply(id, { id: bank.id, from: bank.version, to: CURRENT_FRAMEWORK.version }, steps);
    return this.get(id);
  }

  /**
   * Moves a draft or in-review assessment to a later bank version (docs/PRODUCT.md §3.4). Every
   * refusal comes before any write: 404 (assessment or version), 409 signed, 428 without If-Match,
   * 409 same, older or unreachable version, 412 stale If-Match (with the assessment as it is now).
   */
  async upgrade(assessmentId: string, body: UpgradeAssessmentRequest, ifMatch: string | undefined): Promise<AssessmentResponse> {
    const row = await this.row(assessmentId, 'update');
    if (row.status === 'signed') {
      throw new AppError('ASSESSMENT_LOCKED', 'This assessment is signed: it keeps the bank version it was signed on. Start next year’s review from it instead; that starts on the current version.');
    }
    if (ifMatch === undefined) {
      throw new AppError('PRECONDITION_REQUIRED', 'Send If-Match with the ETag of GET …/assessments/{id}, so an upgrade never moves answers you have not seen.');
    }
    const { framework_id: frameworkId, framework_version: from } = row;
    const { to } = body;
    const next = nextPublishedVersion(frameworkId, from);
    if (!getFramework(frameworkId, to)) {
      const known = listFrameworks()
        .filter((f) => f.id === frameworkId)
        .map((f) => f.version);
      throw new AppError('NOT_FOUND', `${frameworkId} has no version ${to}. Published versions: ${known.join(', ')}.`);
    }
    if (to === from) throw new AppError('INVALID_STATE', `This assessment is already on ${frameworkId} ${to}; there is nothing to upgrade.`);
    const steps = this.bankUpgrade.mappings.steps(frameworkId, from, to);
    if (!steps) {
      const older = this.bankUpgrade.mappings.steps(frameworkId, to, from) !== null;
      const hint = next ? `Choose a later version (the next is ${next}).` : `It is on the newest version already.`;
      throw new AppError(
        'INVALID_STATE',
        older ? `${to} is older than this assessment’s ${from}: an assessment only moves to a newer version. ${hint}` : `No published migration leads from ${from} to ${to}. ${hint}`,
      );
    }
    const current = await this.bankUpgrade.lockInput(assessmentId);
    if (current !== ifMatch) {
      throw new AppError('PRECONDITION_FAILED', 'The assessment changed since you read it (an answer, evidence link or target). Review it (in `current`) and upgrade again with its new ETag.', {
        current: await this.get(assessmentId),
      });
    }
    await this.bankUpgrade.apply(assessmentId, { id: frameworkId, from, to }, steps);
    return this.get(assessmentId);
  }

  /** The assessment's ETag: its scoring-input version, which every answer, evidence-link and target write changes. */
  etag(assessmentId: string): Promise<string> {
    return this.bankUpgrade.inputVersion(assessmentId);
  }

  async list(limit: number, cursor: string | undefined): Promise<AssessmentListResponse> {
    const { organisationId } = currentMember();
    const after = decodeCursor(cursor);
    const rows = await this.repo.page(after ? [after[0], after[1]] : null, limit);
    const page = rows.slice(0, limit);
    const items: AssessmentSummary[] = [];
    // The whole page is scored from one statement, not one (or five) per assessment.
    const scores = await this.scoring.scoreMany(organisationId, page.map((r) => r.id));
    for (const row of page) items.push(await this.summary(row, scores.get(row.id)));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last?.created_key ? encodeCursor(last.created_key, last.id) : null };
  }

  async get(assessmentId: string): Promise<AssessmentResponse> {
    const row = await this.row(assessmentId);
    const { answers, assignments, targets, verifications } = await this.repo.details(assessmentId);
    const links = await this.evidence.linksOf(assessmentId);

    const assignee = new Map(assignments.map((a) => [a.question_id, a.assignee_id]));
    const evidence = new Map<string, string[]>();
    for (const l of links) evidence.set(l.question_id, [...(evidence.get(l.question_id) ?? []), l.evidence_id]);
    // Every question that has an answer, an assignee or evidence appears, so nothing attached is hidden.
    const questionIds = [...new Set([...answers.map((a) => a.question_id), ...assignee.keys(), ...evidence.keys()])].sort();
    const byId = new Map(answers.map((a) => [a.question_id, a]));
    return {
      ...(await this.summary(row)),
      profileSnapshot: row.profile_snapshot,
      signature: row.signature,
      verifications: verifications.map((v) => ({ auditorId: v.auditor_id, verifiedAt: v.verified_at.toISOString(), note: v.note })),
      targets: targets.map((t) => ({ questionId: t.question_id, target: t.target, reason: t.reason })),
      answers: questionIds.map((q) => answerResponse(assessmentId, q, byId.get(q), assignee.get(q) ?? null, evidence.get(q) ?? [])),
    };
  }

  async submit(assessmentId: string): Promise<AssessmentResponse> {
    const row = await this.row(assessmentId, 'update');
    if (row.status === 'signed') throw LOCKED();
    if (row.status !== 'draft') throw new AppError('INVALID_STATE', 'Only a draft can be submitted for review; this one is already in review.');
    await this.repo.markSubmitted(assessmentId);
    await this.audit.append({ action: 'assessment.submitted', entityType: 'assessment', entityId: assessmentId, data: { from: 'draft', to: 'in_review' } });
    return this.get(assessmentId);
  }

  /** A reviewer (owner or assessor who did not write the answer) approves or returns items. */
  async review(assessmentId: string, body: ReviewRequest): Promise<AssessmentResponse> {
    const { userId } = currentMember();
    const row = await this.row(assessmentId, 'update');
    if (row.status === 'signed') throw LOCKED();
    for (const item of body.items) this.answers.question(row, item.questionId);
    const answers = await this.repo.answersToReview(
      assessmentId,
      body.items.map((i) => i.questionId),
    );
    const byId = new Map(answers.map((a) => [a.question_id, a]));
    for (const item of body.items) {
      const answer = byId.get(item.questionId);
      if (!answer) throw new AppError('INVALID_STATE', `${item.questionId} has no answer yet; there is nothing to review.`);
      if (answer.author_id === userId) {
        throw new AppError('INVALID_STATE', `You answered ${item.questionId}; a different owner or assessor must review it.`);
      }
    }
    for (const item of body.items) {
      const approve = item.decision === 'approve';
      await this.repo.recordReview(assessmentId, item.questionId, approve, item.comment ?? null);
      await this.audit.append({
        action: approve ? 'answer.approved' : 'answer.returned',
        entityType: 'answer',
        entityId: `${assessmentId}/${item.questionId}`,
        data: { assessmentId, questionId: item.questionId, comment: item.comment ?? null, naApproved: approve && byId.get(item.questionId)!.value === 'not_applicable' },
      });
    }
    return this.get(assessmentId);
  }

  /**
   * The accountable individual signs the statement generated by the hand-on-heart check, exactly as
   * shown, acknowledging every open exception; the engine input is frozen with the signature.
   */
  async signOff(assessmentId: string, body: SignOffRequest): Promise<AssessmentResponse> {
    const member = currentMember();
    const row = await this.row(assessmentId, 'update');
    if (row.status === 'signed') throw LOCKED();
    if (row.status !== 'in_review') throw new AppError('INVALID_STATE', 'Submit the assessment for review before signing it off.');
    const signedAt = this.clock.now();
    const check = await this.attestation.check(assessmentId, signedAt);
    const { settings } = await this.organisations.get();
    if (settings.requireEmptyAttestationCheck && check.exceptions.length > 0) {
      throw new AppError(
        'ATTESTATION_BLOCKED',
        `Your organisation requires an empty hand-on-heart check before signing, and ${check.exceptions.length} exception(s) are open. Resolve them (see details) and sign again.`,
        { details: check.exceptions.map((e) => ({ path: e.id, message: e.message })) },
      );
    }
    const publicCheck = { exceptions: check.exceptions, unqualified: check.unqualified, statement: check.statement };
    if (body.statement !== check.statement) {
      throw new AppError('INVALID_STATE', 'The statement has changed since you read it, because something in the assessment changed. Read the attestation check again and sign the new text.', {
        current: publicCheck,
      });
    }
    const acknowledged = new Set(body.acknowledged);
    const missing = check.exceptions.filter((e) => !acknowledged.has(e.id));
    if (missing.length > 0) {
      throw new AppError('VALIDATION_FAILED', `Acknowledge each open exception before signing (${missing.length} not acknowledged).`, {
        details: missing.map((e) => ({ path: `acknowledged`, message: `Acknowledge ${e.id}: ${e.message}` })),
      });
    }
    const frozen = { ...check.input, lifecycle: { signedOff: true, independentlyVerified: false } };
    const signer = await this.members.member(member.userId);
    const signature = {
      statement: check.statement,
      acknowledged: check.exceptions.map((e) => e.id),
      exceptions: check.exceptions.map((e) => ({ id: e.id, kind: e.kind, message: e.message })),
      unqualified: check.unqualified,
      signerId: member.userId,
      signerName: signer?.name ?? '',
      signerRole: member.role,
      signedAt: signedAt.toISOString(),
    };
    const result = score(frozen);
    await this.repo.markSigned(assessmentId, { signedAt, signature, frozenInput: frozen, score: result.overall.score, band: result.overall.band });
    await this.audit.append({
      action: 'assessment.signed',
      entityType: 'assessment',
      entityId: assessmentId,
      data: { signature, score: result.overall.score, band: result.overall.band, engineVersion: result.engineVersion },
    });
    // Its groups see the signed score from this commit on (docs/PRODUCT.md §16).
    await this.groups.refreshIfGrouped();
    // Taking part in the peer benchmark, it contributes this assessment from this commit on (docs/PRODUCT.md §16.4).
    await this.peers.refreshIfOptedIn();
    return this.get(assessmentId);
  }

  async verify(assessmentId: string, body: VerificationRequest): Promise<AssessmentResponse> {
    const row = await this.row(assessmentId);
    if (row.status !== 'signed') throw new AppError('INVALID_STATE', 'Only a signed assessment can be independently verified.');
    const id = randomUUID();
    await this.repo.insertVerification(id, assessmentId, body.note ?? null);
    await this.audit.append({ action: 'assessment.verified', entityType: 'assessment', entityId: assessmentId, data: { verificationId: id, note: body.note ?? null } });
    return this.get(assessmentId);
  }

  async setTarget(assessmentId: string, questionId: string, body: PutTargetRequest): Promise<AssessmentResponse> {
    const row = await this.row(assessmentId, 'bank');
    if (row.status === 'signed') throw LOCKED();
    const question = this.answers.question(row, questionId);
    const profile = row.profile_snapshot;
    const critical = profile ? evaluateQuestion(question, profile, row.framework_version).critical : question.critical === true;
    if (critical) throw new AppError('INVALID_STATE', `${questionId} is a critical control here; its target stays at the bank's level (at least 3).`);
    await this.repo.upsertTarget(assessmentId, questionId, body.target, body.reason);
    await this.audit.append({ action: 'target.set', entityType: 'answer', entityId: `${assessmentId}/${questionId}`, data: { assessmentId, questionId, bankTarget: question.targetLevel, target: body.target, reason: body.reason } });
    return this.get(assessmentId);
  }

  async assign(assessmentId: string, body: AssignmentsRequest): Promise<AssessmentResponse> {
    const row = await this.row(assessmentId, 'bank');
    if (row.status === 'signed') throw LOCKED();
    for (const q of body.questionIds) this.answers.question(row, q);
    if (body.assigneeId) {
      if (!(await this.members.member(body.assigneeId))) {
        throw new AppError('VALIDATION_FAILED', 'The assignee is not a member of this organisation; invite them first.', { details: [{ path: 'assigneeId', message: 'Not a member' }] });
      }
      await this.repo.assign(assessmentId, body.questionIds, body.assigneeId);
    } else {
      await this.repo.unassign(assessmentId, body.questionIds);
    }
    await this.audit.append({ action: 'assignment.set', entityType: 'assessment', entityId: assessmentId, data: { assigneeId: body.assigneeId, questionIds: body.questionIds } });
    return this.get(assessmentId);
  }
}
