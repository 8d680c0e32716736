import { Injectable } from '@nestjs/common';

import { actionNumberLabel } from '@hoh/contracts';
import { type BankMapping, getFramework, getMapping, isFigureQuestion, nextPublishedVersion } from '@hoh/question-bank';
import { chainMoves, movedQuestionLinks, planUpgrade, type QuestionLinks } from '@hoh/scoring-engine';

import { AppError } from '../../common/app-error.js';
import { prepared } from '../../database/prepared-statements.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { ActionsRepository } from '../actions/actions.repository.js';
import { auditChainLock, AuditService } from '../audit/audit.service.js';
import type { AnswerRow } from './answers.service.js';
import { AssessmentsRepository } from './assessments.repository.js';

/**
 * The published steps between two bank versions. An injectable of its own so a test can offer
 * steps the published content does not have yet (split, merged, rescaled, retired).
 */
@Injectable()
export class BankMappings {
  /** Each published step from `from` up to `to`, oldest first; null when `to` is not reached going up. */
  steps(frameworkId: string, from: string, to: string): BankMapping[] | null {
    const steps: BankMapping[] = [];
    for (let version = from; version !== to;) {
      const next = nextPublishedVersion(frameworkId, version);
      const step = next ? getMapping(frameworkId, version, next) : undefined;
      if (!next || !step) return null;
      steps.push(step);
      version = next;
    }
    return steps;
  }
}

/** The assessment's ETag: its scoring-input version, which every answer, evidence-link and target write changes (triggers, migration 1764346700000). */
const INPUT_VERSION_SQL = prepared(
  'SELECT coalesce((SELECT v.version FROM scoring_input_versions v WHERE v.organisation_id = $1 AND v.assessment_id = $2), 0)::text AS version',
);

/** `If-Match: "<version>"` for an assessment; the version is a bigint, so it stays text. */
export function parseAssessmentIfMatch(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"(\d{1,19})"\s*$/.exec(value ?? '');
  if (!match) {
    throw new AppError('VALIDATION_FAILED', 'If-Match must be the quoted ETag of GET …/assessments/{id}, e.g. If-Match: "42".', {
      details: [{ path: 'If-Match', message: 'Expected the quoted version from the assessment’s ETag' }],
    });
  }
  return BigInt(match[1]!).toString();
}

type Value = number | string;
const toValue = (v: string): Value => (/^[0-4]$/.test(v) ? Number(v) : v);

interface LinkRow {
  questionId: string;
  evidenceId: string;
  linkedBy: string;
  linkedAt: string;
}

/**
 * Moves an assessment's rows to a later bank version (docs/PRODUCT.md §3.4), by the published
 * mappings and the engine's move rule (bank-moves.ts). Used by the upgrade route and by next year's
 * review started from an assessment on an older version (assessments.service.ts).
 */
@Injectable()
export class BankUpgrade {
  constructor(
    private readonly audit: AuditService,
    readonly mappings: BankMappings,
    private readonly actions: ActionsRepository,
    private readonly repo: AssessmentsRepository,
  ) {}

  /** The assessment's ETag value (see INPUT_VERSION_SQL). */
  async inputVersion(assessmentId: string): Promise<string> {
    const [row] = await tenantManager().query<{ version: string }[]>(INPUT_VERSION_SQL, [currentMember().organisationId, assessmentId]);
    return row!.version;
  }

  /**
   * Locks what an upgrade reads, after the caller locked the assessment row: its answers, then the
   * audit chain, which every input write takes in its trigger. Lock order as the review path, so
   * no answer, link or target write is half done while the upgrade reads; returns the input version
   * (the ETag) as of now.
   */
  async lockInput(assessmentId: string): Promise<string> {
    await this.repo.lockAnswers(assessmentId);
    await tenantManager().query(`SELECT ${auditChainLock('$1')}`, [currentMember().organisationId]);
    return this.inputVersion(assessmentId);
  }

  /**
   * Moves every answer, target, evidence link and assignment of the assessment through `steps`,
   * sets its bank version, and chains the written rows' state in the audit log. The caller checked
   * that the assessment may move and called lockInput (or created the assessment in this transaction).
   */
  async apply(assessmentId: string, framework: { id: string; from: string; to: string }, steps: readonly BankMapping[]): Promise<void> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const row = { framework_id: framework.id };
    const { from, to } = framework;
    await m.query(`SELECT ${auditChainLock('$1')}`, [organisationId]);
    const { answers, targets, assignments } = await this.repo.upgradeRows(assessmentId);
    const links = await m.query<LinkRow[]>(
      `SELECT question_id AS "questionId", evidence_id AS "evidenceId", linked_by AS "linkedBy", linked_at::text AS "linkedAt" FROM answer_evidence WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id, linked_at, evidence_id`,
      [organisationId, assessmentId],
    );
    const plan = planUpgrade(steps, {
      answers: answers.map((a) => ({ ...a, questionId: a.question_id, value: toValue(a.value) })),
      targets,
      links,
      assignments,
    });
    const newIds = new Set(getFramework(row.framework_id, to)!.questions.map((q) => q.id));
    for (const id of [
      ...plan.answers.map((a) => a.to.questionId),
      ...plan.targets.map((t) => t.questionId),
      ...plan.links.map((l) => l.questionId),
      ...plan.assignments.map((a) => a.questionId),
    ]) {
      if (!newIds.has(id)) throw new Error(`The ${from} → ${to} mapping sends a row to ${id}, which ${to} does not have.`);
    }

    // Answers: a row that moves, changes value or loses its review is rewritten (delete, then insert
    // under its new question id, its version one up, so an If-Match read before the upgrade is
    // stale); one that carries as it is stays untouched.
    const rewritten = plan.answers.filter(({ from: a, to: b }) => {
      const loses = !b.keepsReview && (a.review_status !== 'pending' || a.reviewer_id !== null || a.na_approved);
      return a.question_id !== b.questionId || String(a.value) !== String(b.value) || loses;
    });
    const removed = [...rewritten.map((r) => r.from.question_id), ...plan.dropped.map((d) => d.from.question_id)];
    await this.repo.deleteAnswers(assessmentId, removed);
    await this.repo.insertAnswers(
      assessmentId,
      rewritten.map(({ from: a, to: b }) => ({
              question_id: b.questionId,
              value: String(b.value),
              justification: a.justification,
              comment: a.comment,
              figures: figuresOn(b.questionId, a.figures),
              version: a.version + 1,
              author_id: a.author_id,
              answered_at: a.answered_at,
              ...(b.keepsReview
                ? {
                    review_status: a.review_status,
                    reviewer_id: a.reviewer_id,
                    reviewed_at: a.reviewed_at,
                    review_comment: a.review_comment,
                    na_approved: a.na_approved,
                  }
          : { review_status: 'pending' as const, reviewer_id: null, reviewed_at: null, review_comment: null, na_approved: false }),
      })),
    );

    // Targets, links and assignments: only the difference is written, keeping who set each and when.
    const targetKey = (t: { questionId: string; target: number }) => `${t.questionId}\u0000${t.target}`;
    const keptTargets = new Set(plan.targets.map(targetKey));
    const oldTargets = new Set(targets.map(targetKey));
    const goneTargets = targets.filter((t) => !keptTargets.has(targetKey(t))).map((t) => t.questionId);
    const newTargets = plan.targets.filter((t) => !oldTargets.has(targetKey(t)));
    await this.repo.deleteTargets(assessmentId, goneTargets);
    await this.repo.insertTargets(assessmentId, newTargets);

    const linkKey = (l: { questionId: string; evidenceId: string }) => `${l.questionId}\u0000${l.evidenceId}`;
    const keptLinks = new Set(plan.links.map(linkKey));
    const oldLinks = new Set(links.map(linkKey));
    const goneLinks = links.filter((l) => !keptLinks.has(linkKey(l)));
    const newLinks = plan.links.filter((l) => !oldLinks.has(linkKey(l)));
    if (goneLinks.length > 0) {
      await m.query(
        `DELETE FROM answer_evidence l USING jsonb_to_recordset($3::jsonb) AS r ("questionId" text, "evidenceId" uuid)
         WHERE l.organisation_id = $1 AND l.assessment_id = $2 AND l.question_id = r."questionId" AND l.evidence_id = r."evidenceId"`,
        [organisationId, assessmentId, JSON.stringify(goneLinks)],
      );
    }
    if (newLinks.length > 0) {
      await m.query(
        `INSERT INTO answer_evidence (organisation_id, assessment_id, question_id, evidence_id, linked_by, linked_at)
         SELECT $1, $2, r."questionId", r."evidenceId", r."linkedBy", r."linkedAt" FROM jsonb_to_recordset($3::jsonb) AS r ("questionId" text, "evidenceId" uuid, "linkedBy" uuid, "linkedAt" timestamptz)`,
        [organisationId, assessmentId, JSON.stringify(newLinks)],
      );
    }

    const assignmentKey = (a: { questionId: string; assigneeId: string }) => `${a.questionId}\u0000${a.assigneeId}`;
    const keptAssignments = new Set(plan.assignments.map(assignmentKey));
    const oldAssignments = new Set(assignments.map(assignmentKey));
    const goneAssignments = assignments.filter((a) => !keptAssignments.has(assignmentKey(a))).map((a) => a.questionId);
    const newAssignments = plan.assignments.filter((a) => !oldAssignments.has(assignmentKey(a)));
    await this.repo.unassign(assessmentId, goneAssignments);
    await this.repo.insertAssignments(assessmentId, newAssignments);

    const actions = await this.moveActions(assessmentId, row.framework_id, to, newIds);

    await this.repo.setBankVersion(assessmentId, to);
    // The input's bank changed even when no row moved: a new version, so the ETag (and any cached input) moves on. The chain lock is held (lock order of the triggers).
    await m.query(
      `INSERT INTO scoring_input_versions (organisation_id, assessment_id, version) VALUES ($1, $2, nextval('scoring_input_version_seq'))
       ON CONFLICT (organisation_id, assessment_id) DO UPDATE SET version = EXCLUDED.version`,
      [organisationId, assessmentId],
    );

    // One entry chains the state of every row written above (the capture trigger's rows:
    // audited-state.ts), so verify sees no drift; one more per rewritten or dropped answer keeps
    // each answer's history readable.
    const member = currentMember();
    await this.audit.append(
      {
        action: 'assessment.upgraded',
        entityType: 'assessment',
        entityId: assessmentId,
        data: {
          framework: { id: row.framework_id, from, to },
          steps: steps.map((s) => `${s.from} → ${s.to}`),
          answersCarried: plan.answers.length,
          answersRewritten: rewritten.length,
          answersDropped: plan.dropped.map((d) => ({ questionId: d.from.question_id, carry: d.carry, to: d.to })),
          targets: plan.targets.length,
          evidenceLinks: { kept: plan.links.length, removed: goneLinks.length, added: newLinks.length },
          assignments: plan.assignments.length,
          actions,
        },
      },
      m,
      member,
      { chainLocked: true },
    );
    for (const { from: a, to: b, carry } of rewritten) {
      await this.audit.append(
        {
          action: 'answer.upgraded',
          entityType: 'answer',
          entityId: `${assessmentId}/${b.questionId}`,
          data: {
            assessmentId,
            questionId: b.questionId,
            fromQuestionId: a.question_id,
            bank: { from, to },
            carry,
            reviewKept: b.keepsReview,
            before: {
              value: String(a.value),
              justification: a.justification,
              comment: a.comment,
              ...figuresOf(a.figures),
              version: a.version,
            },
            after: {
              value: String(b.value),
              justification: a.justification,
              comment: a.comment,
              ...figuresOf(figuresOn(b.questionId, a.figures)),
              version: a.version + 1,
            },
          },
        },
        m,
        member,
        { chainLocked: true },
      );
    }
    for (const d of plan.dropped) {
      await this.audit.append(
        {
          action: 'answer.dropped',
          entityType: 'answer',
          entityId: `${assessmentId}/${d.from.question_id}`,
          data: {
            assessmentId,
            questionId: d.from.question_id,
            bank: { from, to },
            carry: d.carry,
            newQuestions: d.to,
            before: {
              value: String(d.from.value),
              justification: d.from.justification,
              comment: d.from.comment,
              ...figuresOf(d.from.figures),
              version: d.from.version,
            },
            after: null,
          },
        },
        m,
        member,
        { chainLocked: true },
      );
    }
  }

  /**
   * Actions follow the assessment they are judged against, the organisation's latest (§7.1): when
   * that is the one upgraded, each action on an older bank gets links on `to` (its questions through
   * the published steps from its own version), and its old links are kept in earlier_question_links.
   * Its version moves on, so an edit read before the upgrade is stale. Answers what moved, for the audit entry.
   */
  private async moveActions(
    assessmentId: string,
    frameworkId: string,
    to: string,
    newIds: ReadonlySet<string>,
  ): Promise<{ number: string; from: QuestionLinks; to: string[] }[]> {
    if ((await this.repo.latestId()) !== assessmentId) return [];
    const moved: { id: string; number: string; from: QuestionLinks; questionIds: string[] }[] = [];
    for (const r of await this.actions.lockOffVersion(to)) {
      // An action on a version `to` does not follow (a newer one) keeps its links.
      const steps = this.mappings.steps(frameworkId, r.bank_version, to);
      if (!steps || steps.length === 0) continue;
      moved.push({
        id: r.id,
        number: actionNumberLabel(r.number),
        from: { bankVersion: r.bank_version, questionIds: r.question_ids },
        questionIds: movedQuestionLinks(chainMoves(steps), r.question_ids, newIds),
      });
    }
    await this.actions.addLinksOnVersion(to, moved);
    return moved.map(({ number, from, questionIds }) => ({ number, from, to: questionIds }));
  }
}

/** Detection figures belong to the question that asks for them; an answer moved to another question leaves them behind. */
const figuresOn = (questionId: string, figures: AnswerRow['figures']): AnswerRow['figures'] =>
  isFigureQuestion(questionId) ? figures : null;
// Audit entries name figures only when there are some (as answers.service.ts writes them).
const figuresOf = (figures: AnswerRow['figures']): { figures?: NonNullable<AnswerRow['figures']> } => (figures ? { figures } : {});
