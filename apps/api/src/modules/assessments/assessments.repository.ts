import { Injectable } from '@nestjs/common';

import type { AssessmentResponse, Period } from '@hoh/contracts';
import type { OrganisationProfile } from '@hoh/question-bank';

import { currentMember, tenantManager } from '../../database/tenant-context.js';
import type { AnswerRow } from './answers.service.js';

/** One assessment row as the assessments module reads it (docs/ARCHITECTURE.md: SQL repositories). */
export interface AssessmentRow {
  id: string;
  title: string;
  status: 'draft' | 'in_review' | 'signed';
  framework_id: string;
  framework_version: string;
  from_assessment_id: string | null;
  profile_snapshot: OrganisationProfile | null;
  version: number;
  created_at: Date;
  submitted_at: Date | null;
  signed_at: Date | null;
  signature: AssessmentResponse['signature'];
  /** The covered period's dates as PostgreSQL's text (YYYY-MM-DD), never a Date that a time zone could shift. */
  period_start: string;
  period_end: string;
  /** PostgreSQL's full-precision text of created_at, for keyset cursors (only selected by page). */
  created_key?: string;
}

/** A target, evidence link or assignment as an upgrade reads and rewrites it (camelCase: the engine's planUpgrade rows). */
export interface TargetRow {
  questionId: string;
  target: number;
  reason: string;
  setBy: string;
  setAt: string;
}
export interface AssignmentRow {
  questionId: string;
  assigneeId: string;
  assignedBy: string;
  assignedAt: string;
}
/** An answer row to write back whole (an upgrade's rewrite: moved, re-scaled or losing its review). */
export type RewrittenAnswer = Omit<AnswerRow, 'answered_at' | 'reviewed_at'> & { answered_at: Date | string; reviewed_at: Date | string | null };

export type CopiedAnswer = Pick<AnswerRow, 'question_id' | 'value' | 'justification' | 'comment' | 'version'>;

const COLUMNS =
  'id, title, status, framework_id, framework_version, from_assessment_id, profile_snapshot, version, created_at, submitted_at, signed_at, signature, period_start::text AS period_start, period_end::text AS period_end';

/**
 * The SQL of an assessment and the rows that hang off it (answers as a whole, assignments, target
 * overrides, verifications), for the assessments service. Every statement runs in the caller's tenant
 * transaction (tenantManager) and names the organisation explicitly as well as through RLS. Single
 * answer writes, the hot path, keep their prepared statements in answers.service.ts.
 */
@Injectable()
export class AssessmentsRepository {
  /**
   * `update`: the caller changes the row or everything under it (review, upgrade). `bank`: the caller
   * writes a row for one of its questions, so the bank version it checked holds until commit (an
   * upgrade waits for it, or it waits and sees the new version); KEY SHARE, so such writes never
   * wait on each other.
   */
  async find(assessmentId: string, lock: 'update' | 'bank' | false = false): Promise<AssessmentRow | undefined> {
    const clause = lock === 'update' ? ' FOR UPDATE' : lock === 'bank' ? ' FOR KEY SHARE' : '';
    const [row] = await tenantManager().query<AssessmentRow[]>(`SELECT ${COLUMNS} FROM assessments WHERE organisation_id = $1 AND id = $2${clause}`, [
      currentMember().organisationId,
      assessmentId,
    ]);
    return row;
  }

  /** Newest first, keyset-paged on (created_at, id) at PostgreSQL's full precision; one row more than `limit` says there is a next page. */
  async page(after: readonly [string, string] | null, limit: number): Promise<AssessmentRow[]> {
    return tenantManager().query<AssessmentRow[]>(
      `SELECT ${COLUMNS}, created_at::text AS created_key FROM assessments WHERE organisation_id = $1
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [currentMember().organisationId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
  }

  async insert(a: { id: string; title: string; frameworkId: string; frameworkVersion: string; fromAssessmentId: string | null; profile: OrganisationProfile; period: Period }): Promise<void> {
    const { organisationId, userId } = currentMember();
    await tenantManager().query(
      `INSERT INTO assessments (organisation_id, id, title, framework_id, framework_version, from_assessment_id, profile_snapshot, created_by, period_start, period_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [organisationId, a.id, a.title, a.frameworkId, a.frameworkVersion, a.fromAssessmentId, JSON.stringify(a.profile), userId, a.period.start, a.period.end],
    );
  }

  /** Copies the answers to `questionIds` (not their reviews: a new year needs a fresh look); answers what was copied. */
  async copyAnswers(fromId: string, toId: string, questionIds: readonly string[]): Promise<CopiedAnswer[]> {
    return tenantManager().query<CopiedAnswer[]>(
      `INSERT INTO answers (organisation_id, assessment_id, question_id, value, justification, comment, author_id, answered_at)
       SELECT organisation_id, $3, question_id, value, justification, comment, author_id, answered_at
       FROM answers WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = ANY($4)
       RETURNING question_id, value, justification, comment, version`,
      [currentMember().organisationId, fromId, toId, questionIds],
    );
  }

  async copyTargets(fromId: string, toId: string): Promise<void> {
    await tenantManager().query(
      `INSERT INTO target_overrides (organisation_id, assessment_id, question_id, target, reason, set_by)
       SELECT organisation_id, $3, question_id, target, reason, set_by FROM target_overrides WHERE organisation_id = $1 AND assessment_id = $2`,
      [currentMember().organisationId, fromId, toId],
    );
  }

  /** What GET …/assessments/{id} shows beside the row: answers, assignments, targets and verifications. */
  async details(assessmentId: string): Promise<{
    answers: AnswerRow[];
    assignments: { question_id: string; assignee_id: string }[];
    targets: { question_id: string; target: number; reason: string }[];
    verifications: { auditor_id: string; verified_at: Date; note: string | null }[];
  }> {
    const m = tenantManager();
    const params = [currentMember().organisationId, assessmentId];
    const answers = await m.query<AnswerRow[]>(
      `SELECT question_id, value, justification, comment, figures, version, author_id, answered_at, review_status, reviewer_id, reviewed_at, review_comment, na_approved
       FROM answers WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id`,
      params,
    );
    const assignments = await m.query<{ question_id: string; assignee_id: string }[]>('SELECT question_id, assignee_id FROM assignments WHERE organisation_id = $1 AND assessment_id = $2', params);
    const targets = await m.query<{ question_id: string; target: number; reason: string }[]>(
      'SELECT question_id, target, reason FROM target_overrides WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id',
      params,
    );
    const verifications = await m.query<{ auditor_id: string; verified_at: Date; note: string | null }[]>(
      'SELECT auditor_id, verified_at, note FROM assessment_verifications WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY verified_at',
      params,
    );
    return { answers, assignments, targets, verifications };
  }

  async markSubmitted(assessmentId: string): Promise<void> {
    await tenantManager().query(`UPDATE assessments SET status = 'in_review', submitted_at = now(), version = version + 1 WHERE organisation_id = $1 AND id = $2`, [
      currentMember().organisationId,
      assessmentId,
    ]);
  }

  /** The answers a review decides on, locked until commit so an answer cannot change under its review. */
  async answersToReview(assessmentId: string, questionIds: readonly string[]): Promise<{ question_id: string; author_id: string; value: string }[]> {
    return tenantManager().query<{ question_id: string; author_id: string; value: string }[]>(
      'SELECT question_id, author_id, value FROM answers WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = ANY($3) FOR UPDATE',
      [currentMember().organisationId, assessmentId, questionIds],
    );
  }

  /** Records a reviewer's decision; approving a "not applicable" answer approves the exclusion too. */
  async recordReview(assessmentId: string, questionId: string, approve: boolean, comment: string | null): Promise<void> {
    const { organisationId, userId } = currentMember();
    await tenantManager().query(
      `UPDATE answers SET review_status = $4, reviewer_id = $5, reviewed_at = now(), review_comment = $6, na_approved = ($4 = 'approved' AND value = 'not_applicable')
       WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3`,
      [organisationId, assessmentId, questionId, approve ? 'approved' : 'returned', userId, comment],
    );
  }

  async markSigned(assessmentId: string, s: { signedAt: Date; signature: unknown; frozenInput: unknown; score: number; band: string }): Promise<void> {
    await tenantManager().query(
      `UPDATE assessments SET status = 'signed', signed_at = $3, signature = $4, signed_scoring_input = $5, signed_score = $6, signed_band = $7, version = version + 1
       WHERE organisation_id = $1 AND id = $2`,
      [currentMember().organisationId, assessmentId, s.signedAt.toISOString(), JSON.stringify(s.signature), JSON.stringify(s.frozenInput), s.score, s.band],
    );
  }

  async insertVerification(id: string, assessmentId: string, note: string | null): Promise<void> {
    const { organisationId, userId } = currentMember();
    await tenantManager().query('INSERT INTO assessment_verifications (organisation_id, id, assessment_id, auditor_id, note) VALUES ($1, $2, $3, $4, $5)', [
      organisationId,
      id,
      assessmentId,
      userId,
      note,
    ]);
  }

  async upsertTarget(assessmentId: string, questionId: string, target: number, reason: string): Promise<void> {
    const { organisationId, userId } = currentMember();
    await tenantManager().query(
      `INSERT INTO target_overrides (organisation_id, assessment_id, question_id, target, reason, set_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (organisation_id, assessment_id, question_id) DO UPDATE SET target = EXCLUDED.target, reason = EXCLUDED.reason, set_by = EXCLUDED.set_by, set_at = now()`,
      [organisationId, assessmentId, questionId, target, reason, userId],
    );
  }

  async assign(assessmentId: string, questionIds: readonly string[], assigneeId: string): Promise<void> {
    const { organisationId, userId } = currentMember();
    await tenantManager().query(
      `INSERT INTO assignments (organisation_id, assessment_id, question_id, assignee_id, assigned_by)
       SELECT $1, $2, q, $4, $5 FROM unnest($3::text[]) AS q
       ON CONFLICT (organisation_id, assessment_id, question_id) DO UPDATE SET assignee_id = EXCLUDED.assignee_id, assigned_by = EXCLUDED.assigned_by, assigned_at = now()`,
      [organisationId, assessmentId, questionIds, assigneeId, userId],
    );
  }

  async unassign(assessmentId: string, questionIds: readonly string[]): Promise<void> {
    if (questionIds.length === 0) return;
    await tenantManager().query('DELETE FROM assignments WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = ANY($3)', [
      currentMember().organisationId,
      assessmentId,
      questionIds,
    ]);
  }

  // ---- A bank upgrade's reads and writes (upgrade.service.ts): the rows under the assessment, in
  // question order, and only the difference written back. ----

  /** Locks the assessment's answers (an upgrade's reads wait for, and block, answer writes). */
  async lockAnswers(assessmentId: string): Promise<void> {
    await tenantManager().query('SELECT question_id FROM answers WHERE organisation_id = $1 AND assessment_id = $2 FOR UPDATE', [currentMember().organisationId, assessmentId]);
  }

  async upgradeRows(assessmentId: string): Promise<{ answers: AnswerRow[]; targets: TargetRow[]; assignments: AssignmentRow[] }> {
    const m = tenantManager();
    const params = [currentMember().organisationId, assessmentId];
    const answers = await m.query<AnswerRow[]>(
      `SELECT question_id, value, justification, comment, figures, version, author_id, answered_at, review_status, reviewer_id, reviewed_at, review_comment, na_approved
       FROM answers WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id`,
      params,
    );
    const targets = await m.query<TargetRow[]>(
      `SELECT question_id AS "questionId", target, reason, set_by AS "setBy", set_at::text AS "setAt" FROM target_overrides WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id`,
      params,
    );
    const assignments = await m.query<AssignmentRow[]>(
      `SELECT question_id AS "questionId", assignee_id AS "assigneeId", assigned_by AS "assignedBy", assigned_at::text AS "assignedAt" FROM assignments WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id`,
      params,
    );
    return { answers, targets, assignments };
  }

  async deleteAnswers(assessmentId: string, questionIds: readonly string[]): Promise<void> {
    if (questionIds.length === 0) return;
    await tenantManager().query('DELETE FROM answers WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = ANY($3)', [currentMember().organisationId, assessmentId, questionIds]);
  }

  /** Inserts whole answer rows (every column given, its version and review included). */
  async insertAnswers(assessmentId: string, rows: readonly RewrittenAnswer[]): Promise<void> {
    if (rows.length === 0) return;
    await tenantManager().query(
      `INSERT INTO answers (organisation_id, assessment_id, question_id, value, justification, comment, figures, version, author_id, answered_at, review_status, reviewer_id, reviewed_at, review_comment, na_approved)
       SELECT $1, $2, r.question_id, r.value, r.justification, r.comment, r.figures, r.version, r.author_id, r.answered_at, r.review_status, r.reviewer_id, r.reviewed_at, r.review_comment, r.na_approved
       FROM jsonb_to_recordset($3::jsonb) AS r (question_id text, value text, justification text, comment text, figures jsonb, version integer, author_id uuid, answered_at timestamptz,
         review_status text, reviewer_id uuid, reviewed_at timestamptz, review_comment text, na_approved boolean)`,
      [currentMember().organisationId, assessmentId, JSON.stringify(rows)],
    );
  }

  async deleteTargets(assessmentId: string, questionIds: readonly string[]): Promise<void> {
    if (questionIds.length === 0) return;
    await tenantManager().query('DELETE FROM target_overrides WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = ANY($3)', [currentMember().organisationId, assessmentId, questionIds]);
  }

  /** Inserts targets keeping who set each and when. */
  async insertTargets(assessmentId: string, rows: readonly TargetRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tenantManager().query(
      `INSERT INTO target_overrides (organisation_id, assessment_id, question_id, target, reason, set_by, set_at)
       SELECT $1, $2, r."questionId", r.target, r.reason, r."setBy", r."setAt" FROM jsonb_to_recordset($3::jsonb) AS r ("questionId" text, target smallint, reason text, "setBy" uuid, "setAt" timestamptz)`,
      [currentMember().organisationId, assessmentId, JSON.stringify(rows)],
    );
  }

  /** Inserts assignments keeping who assigned each and when. */
  async insertAssignments(assessmentId: string, rows: readonly AssignmentRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tenantManager().query(
      `INSERT INTO assignments (organisation_id, assessment_id, question_id, assignee_id, assigned_by, assigned_at)
       SELECT $1, $2, r."questionId", r."assigneeId", r."assignedBy", r."assignedAt" FROM jsonb_to_recordset($3::jsonb) AS r ("questionId" text, "assigneeId" uuid, "assignedBy" uuid, "assignedAt" timestamptz)
       ON CONFLICT (organisation_id, assessment_id, question_id) DO UPDATE SET assignee_id = EXCLUDED.assignee_id, assigned_by = EXCLUDED.assigned_by, assigned_at = EXCLUDED.assigned_at`,
      [currentMember().organisationId, assessmentId, JSON.stringify(rows)],
    );
  }

  async setBankVersion(assessmentId: string, version: string): Promise<void> {
    await tenantManager().query('UPDATE assessments SET framework_version = $3, version = version + 1 WHERE organisation_id = $1 AND id = $2', [
      currentMember().organisationId,
      assessmentId,
      version,
    ]);
  }

  /** The organisation's latest assessment's id (actions are judged against it: docs/PRODUCT.md §7.1). */
  async latestId(): Promise<string | undefined> {
    const [latest] = await tenantManager().query<{ id: string }[]>('SELECT id FROM assessments WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [
      currentMember().organisationId,
    ]);
    return latest?.id;
  }
}
