import { Injectable } from '@nestjs/common';

import type { AnswerResponse, PutAnswerRequest } from '@hoh/contracts';
import { getFramework, type Question } from '@hoh/question-bank';

import { AppError, notFound } from '../../common/app-error.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { toEngineValue } from '../scoring/scoring-input.repository.js';

export interface AnswerRow {
  question_id: string;
  value: string;
  justification: string | null;
  comment: string | null;
  version: number;
  author_id: string;
  answered_at: Date;
  review_status: 'pending' | 'approved' | 'returned';
  reviewer_id: string | null;
  reviewed_at: Date | null;
  review_comment: string | null;
  na_approved: boolean;
}

export interface AssessmentRef {
  id: string;
  status: 'draft' | 'in_review' | 'signed';
  framework_id: string;
  framework_version: string;
}

/** The If-Match / If-None-Match pair of an answer write, as API.md defines it. */
export interface AnswerPreconditions {
  ifMatch: number | undefined;
  ifNoneMatchAny: boolean;
}

export function answerResponse(assessmentId: string, questionId: string, row: AnswerRow | undefined, assigneeId: string | null, evidenceIds: string[]): AnswerResponse {
  return {
    assessmentId,
    questionId,
    answered: row !== undefined,
    value: row ? toEngineValue(row.value) : null,
    justification: row?.justification ?? null,
    comment: row?.comment ?? null,
    version: row?.version ?? 0,
    authorId: row?.author_id ?? null,
    answeredAt: row?.answered_at.toISOString() ?? null,
    review: {
      status: row?.review_status ?? 'pending',
      reviewerId: row?.reviewer_id ?? null,
      reviewedAt: row?.reviewed_at?.toISOString() ?? null,
      comment: row?.review_comment ?? null,
      naApproved: row?.na_approved ?? false,
    },
    assigneeId,
    evidenceIds,
  };
}

export const LOCKED = () =>
  new AppError('ASSESSMENT_LOCKED', 'This assessment is signed and locked. Start a new assessment from it to make changes.');

@Injectable()
export class AnswersService {
  constructor(private readonly audit: AuditService) {}

  async assessment(assessmentId: string): Promise<AssessmentRef> {
    const { organisationId } = currentMember();
    const [row] = await tenantManager().query<AssessmentRef[]>(
      'SELECT id, status, framework_id, framework_version FROM assessments WHERE organisation_id = $1 AND id = $2',
      [organisationId, assessmentId],
    );
    if (!row) throw notFound('assessment');
    return row;
  }

  question(assessment: AssessmentRef, questionId: string): Question {
    const question = getFramework(assessment.framework_id, assessment.framework_version)?.questions.find((q) => q.id === questionId);
    if (!question) throw notFound(`question ${questionId} in this assessment's question bank`);
    return question;
  }

  async get(assessmentId: string, questionId: string): Promise<AnswerResponse> {
    const assessment = await this.assessment(assessmentId);
    this.question(assessment, questionId);
    return this.current(assessmentId, questionId);
  }

  private async current(assessmentId: string, questionId: string): Promise<AnswerResponse> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const [row] = await m.query<AnswerRow[]>('SELECT * FROM answers WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3', [
      organisationId,
      assessmentId,
      questionId,
    ]);
    const [assignment] = await m.query<{ assignee_id: string }[]>('SELECT assignee_id FROM assignments WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3', [
      organisationId,
      assessmentId,
      questionId,
    ]);
    const evidence = await m.query<{ evidence_id: string }[]>(
      'SELECT evidence_id FROM answer_evidence WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3 ORDER BY linked_at, evidence_id',
      [organisationId, assessmentId, questionId],
    );
    return answerResponse(assessmentId, questionId, row, assignment?.assignee_id ?? null, evidence.map((e) => e.evidence_id));
  }

  /**
   * Writes an answer with optimistic concurrency: the first answer needs `If-None-Match: *` (or
   * `If-Match: "0"`), later ones `If-Match: "<version>"`; the UPDATE is conditional on that version,
   * so of two writers holding the same version exactly one wins and the other gets 412 + current.
   */
  async put(assessmentId: string, questionId: string, body: PutAnswerRequest, pre: AnswerPreconditions): Promise<AnswerResponse> {
    const member = currentMember();
    const m = tenantManager();
    const assessment = await this.assessment(assessmentId);
    const question = this.question(assessment, questionId);
    if (assessment.status === 'signed') throw LOCKED();
    if (member.role === 'contributor') {
      const assigned = await m.query<unknown[]>('SELECT 1 FROM assignments WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3 AND assignee_id = $4', [
        member.organisationId,
        assessmentId,
        questionId,
        member.userId,
      ]);
      if (assigned.length === 0) throw new AppError('FORBIDDEN', `Question ${questionId} is not assigned to you. Ask an assessor to assign it.`);
    }
    if (question.scale.kind === 'legal_duty' && typeof body.value === 'number' && ![0, 2, 4].includes(body.value)) {
      throw new AppError('VALIDATION_FAILED', `${questionId} is a legal duty: answer 4 (yes), 2 (partial) or 0 (no).`, {
        details: [{ path: 'value', message: 'Use 4 (yes), 2 (partial) or 0 (no)' }],
      });
    }
    if (pre.ifMatch === undefined && !pre.ifNoneMatchAny) {
      throw new AppError('PRECONDITION_REQUIRED', 'Send If-Match: "<version>" from the answer you read (or If-None-Match: * for a first answer), so no one else’s change is overwritten.');
    }
    const stale = async () =>
      new AppError('PRECONDITION_FAILED', 'Someone else changed this answer since you read it. Review their answer (in `current`) and try again.', {
        current: await this.current(assessmentId, questionId),
      });

    const [before] = await m.query<AnswerRow[]>('SELECT * FROM answers WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3', [
      member.organisationId,
      assessmentId,
      questionId,
    ]);
    const value = String(body.value);
    const params = [member.organisationId, assessmentId, questionId, value, body.justification ?? null, body.comment ?? null, member.userId];
    let after: AnswerRow | undefined;
    if (pre.ifNoneMatchAny || pre.ifMatch === 0) {
      if (before) throw await stale();
      [after] = await m.query<AnswerRow[]>(
        `INSERT INTO answers (organisation_id, assessment_id, question_id, value, justification, comment, author_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING *`,
        params,
      );
    } else {
      [after] = await m.query<AnswerRow[]>(
        `WITH updated AS (
           UPDATE answers SET value = $4, justification = $5, comment = $6, author_id = $7, answered_at = now(), version = version + 1,
                  review_status = 'pending', reviewer_id = NULL, reviewed_at = NULL, review_comment = NULL, na_approved = false
           WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3 AND version = $8
           RETURNING *)
         SELECT * FROM updated`,
        [...params, pre.ifMatch],
      );
    }
    if (!after) throw await stale();
    await this.audit.append({
      action: before ? 'answer.updated' : 'answer.created',
      entityType: 'answer',
      entityId: `${assessmentId}/${questionId}`,
      data: {
        assessmentId,
        questionId,
        before: before ? { value: before.value, justification: before.justification, comment: before.comment, version: before.version } : null,
        after: { value: after.value, justification: after.justification, comment: after.comment, version: after.version },
      },
    });
    return this.current(assessmentId, questionId);
  }
}
