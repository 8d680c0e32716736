import { Injectable } from '@nestjs/common';

import type { AnswerResponse, DetectionFigures, PutAnswerRequest } from '@hoh/contracts';
import { getFramework, isFigureQuestion, type Question } from '@hoh/question-bank';

import { AppError, assessmentLocked, notFound } from '../../common/app-error.js';
import { prepared } from '../../database/prepared-statements.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { auditChainLock, AuditService } from '../audit/audit.service.js';
import { toEngineValue } from '../scoring/scoring-input.repository.js';

export interface AnswerRow {
  question_id: string;
  value: string;
  justification: string | null;
  comment: string | null;
  figures: DetectionFigures | null;
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

/** The If-Match / If-None-Match pair of an answer write, as docs/API.md §7 defines it. */
export interface AnswerPreconditions {
  ifMatch: number | undefined;
  ifNoneMatchAny: boolean;
}

/** An answer with its assignee and linked evidence; the answer's columns are null when it has none. */
type CurrentRow = Omit<AnswerRow, 'question_id'> & { question_id: string | null; assignee_id: string | null; evidence_ids: string[] };

// Named, not `*`: the write statements are prepared (see prepared-statements.ts).
const ANSWER_COLUMNS = `question_id, value, justification, comment, figures, version, author_id, answered_at, review_status, reviewer_id, reviewed_at, review_comment, na_approved`;

const ASSIGNEE = 'SELECT s.assignee_id FROM assignments s WHERE s.organisation_id = $1 AND s.assessment_id = $2 AND s.question_id = $3';
const EVIDENCE_IDS = 'ARRAY(SELECT l.evidence_id::text FROM answer_evidence l WHERE l.organisation_id = $1 AND l.assessment_id = $2 AND l.question_id = $3 ORDER BY l.linked_at, l.evidence_id)';

const CURRENT_SQL = `
  SELECT x.*, (${ASSIGNEE}) AS assignee_id, ${EVIDENCE_IDS} AS evidence_ids
  FROM (SELECT 1) one LEFT JOIN answers x ON x.organisation_id = $1 AND x.assessment_id = $2 AND x.question_id = $3`;

/**
 * What an answer write reads before writing, in one statement: the assessment, the answer as it is
 * (its audited fields; version null when there is none), who it is assigned to (a contributor may
 * write only their own) and its evidence links (part of the response; a write does not change them).
 */
interface WriteContextRow extends AssessmentRef {
  before_version: number | null;
  before_value: string | null;
  before_justification: string | null;
  before_comment: string | null;
  before_figures: DetectionFigures | null;
  assignee_id: string | null;
  evidence_ids: string[];
}

const WRITE_CONTEXT_SQL = prepared(`
  SELECT a.id, a.status, a.framework_id, a.framework_version,
    x.version AS before_version, x.value AS before_value, x.justification AS before_justification, x.comment AS before_comment, x.figures AS before_figures,
    (${ASSIGNEE}) AS assignee_id, ${EVIDENCE_IDS} AS evidence_ids
  FROM assessments a LEFT JOIN answers x ON x.organisation_id = a.organisation_id AND x.assessment_id = a.id AND x.question_id = $3
  WHERE a.organisation_id = $1 AND a.id = $2
  -- The bank version this write is checked against holds until it commits: a bank upgrade (which
  -- locks the row FOR UPDATE) waits for it, or it waits for the upgrade and checks the new version.
  -- KEY SHARE, so answer writes never wait on each other, nor on submit.
  FOR KEY SHARE OF a`);

/**
 * Returns the written answer and takes the audit chain lock in the same statement. The lock is taken
 * per returned row, so only once the write holds that row's lock (row first, then chain: the order
 * every audited write keeps, so two writes never wait on each other in opposite order), and not at
 * all when the conditional write changed nothing (412: nothing to audit).
 */
const WRITTEN_THEN_CHAIN_LOCK = `SELECT ${ANSWER_COLUMNS}, ${auditChainLock('$1')}::text AS chain_locked FROM written`;

const INSERT_ANSWER_SQL = prepared(`WITH written AS (
  INSERT INTO answers (organisation_id, assessment_id, question_id, value, justification, comment, author_id, figures)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT DO NOTHING RETURNING ${ANSWER_COLUMNS})
  ${WRITTEN_THEN_CHAIN_LOCK}`);

// Conditional on the version the writer read (If-Match): 0 rows means someone else wrote first.
const UPDATE_ANSWER_SQL = prepared(`WITH written AS (
  UPDATE answers SET value = $4, justification = $5, comment = $6, author_id = $7, figures = $8::jsonb, answered_at = now(), version = version + 1,
         review_status = 'pending', reviewer_id = NULL, reviewed_at = NULL, review_comment = NULL, na_approved = false
  WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3 AND version = $9
  RETURNING ${ANSWER_COLUMNS})
  ${WRITTEN_THEN_CHAIN_LOCK}`);

export function answerResponse(assessmentId: string, questionId: string, row: AnswerRow | undefined, assigneeId: string | null, evidenceIds: string[]): AnswerResponse {
  return {
    assessmentId,
    questionId,
    answered: row !== undefined,
    value: row ? toEngineValue(row.value) : null,
    justification: row?.justification ?? null,
    comment: row?.comment ?? null,
    figures: row?.figures ?? null,
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

export const LOCKED = assessmentLocked;

// Audit entries name figures only when there are some, so entries of every other answer keep their shape.
const figuresOf = (figures: DetectionFigures | null): { figures?: DetectionFigures } => (figures ? { figures } : {});

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
    const [row] = await tenantManager().query<CurrentRow[]>(CURRENT_SQL, [organisationId, assessmentId, questionId]);
    // One row always (LEFT JOIN from a single row); the answer's columns are null when there is no answer.
    const found = row!.question_id === null ? undefined : (row as AnswerRow);
    return answerResponse(assessmentId, questionId, found, row!.assignee_id, row!.evidence_ids);
  }

  /**
   * Writes an answer with optimistic concurrency: the first answer needs `If-None-Match: *` (or
   * `If-Match: "0"`), later ones `If-Match: "<version>"`; the UPDATE is conditional on that version,
   * so of two writers holding the same version exactly one wins and the other gets 412 + current.
   */
  async put(assessmentId: string, questionId: string, body: PutAnswerRequest, pre: AnswerPreconditions): Promise<AnswerResponse> {
    const member = currentMember();
    const m = tenantManager();
    const [assessment] = await m.query<WriteContextRow[]>(WRITE_CONTEXT_SQL, [member.organisationId, assessmentId, questionId]);
    if (!assessment) throw notFound('assessment');
    const question = this.question(assessment, questionId);
    if (assessment.status === 'signed') throw LOCKED();
    if (member.role === 'contributor' && assessment.assignee_id !== member.userId) {
      throw new AppError('FORBIDDEN', `Question ${questionId} is not assigned to you. Ask an assessor to assign it.`);
    }
    if (question.scale.kind === 'legal_duty' && typeof body.value === 'number' && ![0, 2, 4].includes(body.value)) {
      throw new AppError('VALIDATION_FAILED', `${questionId} is a legal duty: answer 4 (yes), 2 (partial) or 0 (no).`, {
        details: [{ path: 'value', message: 'Use 4 (yes), 2 (partial) or 0 (no)' }],
      });
    }
    if (body.figures !== undefined && !isFigureQuestion(questionId)) {
      throw new AppError('VALIDATION_FAILED', `${questionId} does not take detection figures; send figures only with the questions that ask for them (TRN-06).`, {
        details: [{ path: 'figures', message: `Remove figures: ${questionId} does not take detection figures` }],
      });
    }
    if (pre.ifMatch === undefined && !pre.ifNoneMatchAny) {
      throw new AppError('PRECONDITION_REQUIRED', 'Send If-Match: "<version>" from the answer you read (or If-None-Match: * for a first answer), so no one else’s change is overwritten.');
    }
    const stale = async () =>
      new AppError('PRECONDITION_FAILED', 'Someone else changed this answer since you read it. Review their answer (in `current`) and try again.', {
        current: await this.current(assessmentId, questionId),
      });

    const before =
      assessment.before_version === null
        ? undefined
        : { value: assessment.before_value!, justification: assessment.before_justification, comment: assessment.before_comment, figures: assessment.before_figures, version: assessment.before_version };
    const value = String(body.value);
    // A PUT replaces the answer: figures left out are cleared, like a left-out comment.
    const figures = body.figures ? JSON.stringify(body.figures) : null;
    const params = [member.organisationId, assessmentId, questionId, value, body.justification ?? null, body.comment ?? null, member.userId, figures];
    let after: AnswerRow | undefined;
    if (pre.ifNoneMatchAny || pre.ifMatch === 0) {
      if (before) throw await stale();
      [after] = await m.query<AnswerRow[]>(INSERT_ANSWER_SQL, params);
    } else {
      [after] = await m.query<AnswerRow[]>(UPDATE_ANSWER_SQL, [...params, pre.ifMatch]);
    }
    if (!after) throw await stale();
    const record = {
      action: before ? 'answer.updated' : 'answer.created',
      entityType: 'answer',
      entityId: `${assessmentId}/${questionId}`,
      data: {
        assessmentId,
        questionId,
        before: before ? { value: before.value, justification: before.justification, comment: before.comment, ...figuresOf(before.figures), version: before.version } : null,
        after: { value: after.value, justification: after.justification, comment: after.comment, ...figuresOf(after.figures), version: after.version },
      },
    };
    await this.audit.append(record, m, member, { chainLocked: true });
    // The written row came back from the write itself; its assignee and evidence were read with the assessment.
    return answerResponse(assessmentId, questionId, after, assessment.assignee_id, assessment.evidence_ids);
  }
}
