import { Injectable } from '@nestjs/common';

import type { Priority, QuestionLinks, ActionStatus } from '@hoh/scoring-engine';

import { prepared } from '../../database/prepared-statements.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';

/**
 * The SQL of the actions table, in one place: other modules call these methods rather than copy
 * the statements. Every statement runs in the caller's tenant transaction and names the caller's
 * organisation. The rules that judge an action live in the engine and action-view.ts, not here.
 */

export interface ActionRow {
  id: string;
  /** Per-organisation, assigned by the database at insert (migration 1764347200000), never reused. */
  number: number;
  title: string;
  description: string;
  owner_id: string | null;
  due_date: string | null;
  status: ActionStatus;
  status_reason: string | null;
  closing_note: string | null;
  closing_evidence_id: string | null;
  priority_override: Priority | null;
  priority_override_reason: string | null;
  /** The links on `bank_version` (docs/PRODUCT.md §7.1). */
  question_ids: string[];
  bank_version: string;
  /** Links on earlier bank versions, oldest first, kept when a bank upgrade added links on a newer one. */
  earlier_question_links: QuestionLinks[];
  suggestion_key: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/**
 * What a summary reads of an action. The dashboard aggregates these columns inside its one
 * statement (one round trip for the whole overview), so the column list is exported with its row type.
 */
export const ACTION_SUMMARY_COLUMNS = `id, number, title, status, priority_override, question_ids, bank_version, earlier_question_links, to_char(due_date, 'YYYY-MM-DD') AS due_date, owner_id`;
export type ActionSummaryRow = Pick<
  ActionRow,
  | 'id'
  | 'number'
  | 'title'
  | 'status'
  | 'priority_override'
  | 'question_ids'
  | 'bank_version'
  | 'earlier_question_links'
  | 'due_date'
  | 'owner_id'
>;

/** An action as created: the number comes from the database. */
export interface NewAction {
  id: string;
  title: string;
  description: string;
  ownerId: string | null;
  dueDate: string | null;
  questionIds: readonly string[];
  bankVersion: string;
  /** Set on suggestions: the question suggested for, so suggesting again is idempotent. */
  suggestionKey?: string;
  createdBy: string;
}

/** Every field an update may write, as it will be after the update. */
export interface ActionWrite {
  title: string;
  description: string;
  ownerId: string | null;
  dueDate: string | null;
  status: ActionStatus;
  statusReason: string | null;
  closingNote: string | null;
  closingEvidenceId: string | null;
  override: { priority: Priority; reason: string } | null;
  questionIds: readonly string[];
}

const SELECT = `SELECT id, number, title, description, owner_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, status_reason, closing_note, closing_evidence_id,
  priority_override, priority_override_reason, question_ids, bank_version, earlier_question_links, suggestion_key, version, created_at, updated_at FROM actions`;

// By number: creation order, and for a batch of suggestions made in one transaction (one created_at), questionnaire order.
const ROWS_SQL = prepared(`${SELECT} WHERE organisation_id = $1 ORDER BY number`);
const ROW_SQL = prepared(`${SELECT} WHERE organisation_id = $1 AND id = $2`);

// The latest assessment and its assignees who may own an action, in one statement.
const LATEST_SQL = prepared(`SELECT a.id, COALESCE((
    SELECT json_object_agg(s.question_id, s.assignee_id) FROM assignments s
    JOIN memberships m ON m.organisation_id = s.organisation_id AND m.user_id = s.assignee_id AND m.role <> 'auditor'
    WHERE s.organisation_id = a.organisation_id AND s.assessment_id = a.id), '{}') AS assignees
  FROM assessments a WHERE a.organisation_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 1`);
const ASSIGNEES_SQL = prepared(`SELECT s.question_id, s.assignee_id FROM assignments s
  JOIN memberships m ON m.organisation_id = s.organisation_id AND m.user_id = s.assignee_id AND m.role <> 'auditor'
  WHERE s.organisation_id = $1 AND s.assessment_id = $2`);

@Injectable()
export class ActionsRepository {
  private static org(): string {
    return currentMember().organisationId;
  }

  async all(): Promise<ActionRow[]> {
    return await tenantManager().query<ActionRow[]>(ROWS_SQL, [ActionsRepository.org()]);
  }

  async find(id: string): Promise<ActionRow | undefined> {
    const [row] = await tenantManager().query<ActionRow[]>(ROW_SQL, [ActionsRepository.org(), id]);
    return row;
  }

  /** The actions of `ids` that exist here; FOR UPDATE (in id order, so two callers never deadlock) when `lock`. */
  async findMany(ids: readonly string[], lock = false): Promise<ActionRow[]> {
    return await tenantManager().query<ActionRow[]>(
      `${SELECT} WHERE organisation_id = $1 AND id = ANY($2::uuid[]) ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
      [ActionsRepository.org(), ids],
    );
  }

  /** The assessment actions are judged against (the organisation's latest) with its assignees who may own an action. */
  async latestAssessment(): Promise<{ id: string; assignees: Record<string, string> } | undefined> {
    const [latest] = await tenantManager().query<{ id: string; assignees: Record<string, string> }[]>(LATEST_SQL, [
      ActionsRepository.org(),
    ]);
    return latest;
  }

  /** Question id → assignee in one assessment, for members who may own an action (not auditors). */
  async assignees(assessmentId: string): Promise<Map<string, string>> {
    const rows = await tenantManager().query<{ question_id: string; assignee_id: string }[]>(ASSIGNEES_SQL, [
      ActionsRepository.org(),
      assessmentId,
    ]);
    return new Map(rows.map((r) => [r.question_id, r.assignee_id]));
  }

  /** Whether a user is a member here (an owner must be). */
  async isMember(userId: string): Promise<boolean> {
    const found = await tenantManager().query<unknown[]>('SELECT 1 FROM memberships WHERE organisation_id = $1 AND user_id = $2', [
      ActionsRepository.org(),
      userId,
    ]);
    return found.length > 0;
  }

  /** Each member's name and email by user id, for the CSV's owner column. */
  async memberNames(): Promise<Map<string, string>> {
    const rows = await tenantManager().query<{ user_id: string; name: string; email: string }[]>(
      'SELECT m.user_id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1',
      [ActionsRepository.org()],
    );
    return new Map(rows.map((m) => [m.user_id, `${m.name} <${m.email}>`]));
  }

  /**
   * Inserts an action and answers its number; undefined when it is a suggestion for a question that
   * already has one (the unique suggestion key, whoever made it first).
   */
  async insert(a: NewAction): Promise<number | undefined> {
    const [row] = await tenantManager().query<{ number: number }[]>(
      `INSERT INTO actions (organisation_id, id, title, description, owner_id, due_date, question_ids, bank_version, suggestion_key, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (organisation_id, suggestion_key) DO NOTHING RETURNING number`,
      [
        ActionsRepository.org(),
        a.id,
        a.title,
        a.description,
        a.ownerId,
        a.dueDate,
        [...new Set(a.questionIds)],
        a.bankVersion,
        a.suggestionKey ?? null,
        a.createdBy,
      ],
    );
    return row?.number;
  }

  /** Writes every field if the action is still at `version` (one version up); false when someone else wrote first. */
  async update(id: string, version: number, w: ActionWrite): Promise<boolean> {
    const updated = await tenantManager().query<unknown[]>(
      `WITH u AS (
         UPDATE actions SET title = $3, description = $4, owner_id = $5, due_date = $6, status = $7, status_reason = $8, closing_note = $9,
                closing_evidence_id = $10, priority_override = $11, priority_override_reason = $12, question_ids = $13, version = version + 1, updated_at = now()
         WHERE organisation_id = $1 AND id = $2 AND version = $14 RETURNING id)
       SELECT id FROM u`,
      [
        ActionsRepository.org(),
        id,
        w.title,
        w.description,
        w.ownerId,
        w.dueDate,
        w.status,
        w.statusReason,
        w.closingNote,
        w.closingEvidenceId,
        w.override?.priority ?? null,
        w.override?.reason ?? null,
        [...w.questionIds],
        version,
      ],
    );
    return updated.length > 0;
  }

  /** Owner and due date only (bulk changes), if still at `version`. */
  async setOwnerAndDue(id: string, version: number, ownerId: string | null, dueDate: string | null): Promise<boolean> {
    const updated = await tenantManager().query<unknown[]>(
      `WITH u AS (UPDATE actions SET owner_id = $3, due_date = $4, version = version + 1, updated_at = now()
         WHERE organisation_id = $1 AND id = $2 AND version = $5 RETURNING id) SELECT id FROM u`,
      [ActionsRepository.org(), id, ownerId, dueDate, version],
    );
    return updated.length > 0;
  }

  /** Actions whose links are on another bank version than `version`, locked for a bank upgrade to move them. */
  async lockOffVersion(version: string): Promise<Pick<ActionRow, 'id' | 'number' | 'question_ids' | 'bank_version'>[]> {
    return await tenantManager().query<Pick<ActionRow, 'id' | 'number' | 'question_ids' | 'bank_version'>[]>(
      'SELECT id, number, question_ids, bank_version FROM actions WHERE organisation_id = $1 AND bank_version <> $2 ORDER BY number FOR UPDATE',
      [ActionsRepository.org(), version],
    );
  }

  /**
   * Links each action on `version` (§7.1): the current links join earlier_question_links, the new
   * ones become the current, and the version moves on (an edit read before is stale).
   */
  async addLinksOnVersion(version: string, moves: readonly { id: string; questionIds: readonly string[] }[]): Promise<void> {
    if (moves.length === 0) return;
    await tenantManager().query(
      `UPDATE actions a SET earlier_question_links = a.earlier_question_links || jsonb_build_array(jsonb_build_object('bankVersion', a.bank_version, 'questionIds', to_jsonb(a.question_ids))),
              question_ids = ARRAY(SELECT jsonb_array_elements_text(r.ids)), bank_version = $3, version = a.version + 1, updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS r (id uuid, ids jsonb)
       WHERE a.organisation_id = $1 AND a.id = r.id`,
      [ActionsRepository.org(), JSON.stringify(moves.map((m) => ({ id: m.id, ids: m.questionIds }))), version],
    );
  }
}
