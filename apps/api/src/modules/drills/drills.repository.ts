import { Injectable } from '@nestjs/common';

import type { DrillRating, DrillRecord, DrillStatus } from '@hoh/contracts';
import type { DrillMilestone } from '@hoh/question-bank';

import { currentMember, tenantManager } from '../../database/tenant-context.js';

/** The drill tables' SQL, in one place (migration 1764347310000); every statement runs in the tenant transaction. */

export interface DrillRow {
  id: string;
  scenario_id: string;
  library_version: string;
  status: DrillStatus;
  facilitator_id: string;
  facilitator_name: string;
  started_at: Date;
  paused_at: Date | null;
  paused_ms: number;
  revealed: number;
  finished_at: Date | null;
  lessons: string[];
  follow_ups: string[];
  evidence_id: string | null;
  assessment_id: string | null;
  linked_question_ids: string[];
  pdf_sha256: string | null;
  manifest: DrillRecord['manifest'] | null;
  signature: string | null;
  key_id: string | null;
  version: number;
}

export interface ParticipantRow {
  user_id: string;
  name: string;
  role_id: string;
}

export interface EventRow {
  seq: number;
  kind: 'started' | 'revealed' | 'decision' | 'note' | 'paused' | 'resumed' | 'finished';
  at: Date;
  elapsed_ms: number;
  actor_id: string;
  actor_name: string;
  inject_id: string | null;
  decision_id: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  text: string | null;
  rating: DrillRating | null;
  mistakes: string[];
  milestone: DrillMilestone | null;
}

export type NewEvent = Pick<EventRow, 'kind' | 'at' | 'elapsed_ms' | 'actor_id'> & Partial<Pick<EventRow, 'inject_id' | 'decision_id' | 'decided_by' | 'text' | 'rating' | 'mistakes' | 'milestone'>>;

const DRILL_COLUMNS = `d.id, d.scenario_id, d.library_version, d.status, d.facilitator_id, u.name AS facilitator_name, d.started_at, d.paused_at,
  d.paused_ms::float8 AS paused_ms, d.revealed, d.finished_at, d.lessons, d.follow_ups, d.evidence_id, d.assessment_id, d.linked_question_ids,
  d.pdf_sha256, d.manifest, d.signature, d.key_id, d.version`;

@Injectable()
export class DrillsRepository {
  async list(): Promise<DrillRow[]> {
    return tenantManager().query(
      `SELECT ${DRILL_COLUMNS} FROM drills d JOIN users u ON u.id = d.facilitator_id WHERE d.organisation_id = $1 ORDER BY d.started_at DESC, d.id DESC LIMIT 200`,
      [currentMember().organisationId],
    );
  }

  /** Every finished drill's scenario, finish and record: what the schedule is computed from (§15.5). */
  async finished(): Promise<{ id: string; scenario_id: string; finished_at: Date; evidence_id: string | null }[]> {
    return tenantManager().query(
      `SELECT DISTINCT ON (scenario_id) id, scenario_id, finished_at, evidence_id FROM drills
       WHERE organisation_id = $1 AND status = 'finished' ORDER BY scenario_id, finished_at DESC, id DESC`,
      [currentMember().organisationId],
    );
  }

  /** One drill; `lock` takes the row for the rest of the transaction, so writes to one drill run one at a time. */
  async find(id: string, lock = false): Promise<DrillRow | undefined> {
    const rows: DrillRow[] = await tenantManager().query(
      `SELECT ${DRILL_COLUMNS} FROM drills d JOIN users u ON u.id = d.facilitator_id WHERE d.organisation_id = $1 AND d.id = $2${lock ? ' FOR UPDATE OF d' : ''}`,
      [currentMember().organisationId, id],
    );
    return rows[0];
  }

  async participants(drillId: string): Promise<ParticipantRow[]> {
    return tenantManager().query(
      `SELECT p.user_id, u.name, p.role_id FROM drill_participants p JOIN users u ON u.id = p.user_id
       WHERE p.organisation_id = $1 AND p.drill_id = $2 ORDER BY u.name, p.user_id, p.role_id`,
      [currentMember().organisationId, drillId],
    );
  }

  async events(drillId: string): Promise<EventRow[]> {
    return tenantManager().query(
      `SELECT e.seq, e.kind, e.at, e.elapsed_ms::float8 AS elapsed_ms, e.actor_id, a.name AS actor_name, e.inject_id, e.decision_id, e.decided_by,
              b.name AS decided_by_name, e.text, e.rating, e.mistakes, e.milestone
       FROM drill_events e JOIN users a ON a.id = e.actor_id LEFT JOIN users b ON b.id = e.decided_by
       WHERE e.organisation_id = $1 AND e.drill_id = $2 ORDER BY e.seq`,
      [currentMember().organisationId, drillId],
    );
  }

  /** Which of these users are members of the organisation. */
  async members(userIds: string[]): Promise<Set<string>> {
    const rows: { user_id: string }[] = await tenantManager().query(`SELECT user_id FROM memberships WHERE organisation_id = $1 AND user_id = ANY($2::uuid[])`, [
      currentMember().organisationId,
      userIds,
    ]);
    return new Set(rows.map((r) => r.user_id));
  }

  async insert(drill: { id: string; scenarioId: string; libraryVersion: string; facilitatorId: string; startedAt: Date }, participants: { userId: string; roleId: string }[]): Promise<void> {
    const { organisationId } = currentMember();
    const manager = tenantManager();
    await manager.query(`INSERT INTO drills (organisation_id, id, scenario_id, library_version, facilitator_id, started_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      organisationId,
      drill.id,
      drill.scenarioId,
      drill.libraryVersion,
      drill.facilitatorId,
      drill.startedAt,
    ]);
    await manager.query(
      `INSERT INTO drill_participants (organisation_id, drill_id, user_id, role_id) SELECT $1, $2, x.user_id, x.role_id FROM unnest($3::uuid[], $4::text[]) AS x(user_id, role_id)`,
      [organisationId, drill.id, participants.map((p) => p.userId.toLowerCase()), participants.map((p) => p.roleId)],
    );
  }

  /** Appends an event after the drill's last; the caller holds the drill row's lock, so numbers never collide. */
  async addEvent(drillId: string, e: NewEvent): Promise<void> {
    await tenantManager().query(
      `INSERT INTO drill_events (organisation_id, drill_id, seq, kind, at, elapsed_ms, actor_id, inject_id, decision_id, decided_by, text, rating, mistakes, milestone)
       SELECT $1, $2, COALESCE(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM drill_events WHERE organisation_id = $1 AND drill_id = $2`,
      [
        currentMember().organisationId,
        drillId,
        e.kind,
        e.at,
        Math.round(e.elapsed_ms),
        e.actor_id,
        e.inject_id ?? null,
        e.decision_id ?? null,
        e.decided_by ?? null,
        e.text ?? null,
        e.rating ?? null,
        e.mistakes ?? [],
        e.milestone ?? null,
      ],
    );
  }

  /** Moves the drill's row and its version; answers false when the version moved meanwhile. */
  async update(
    id: string,
    version: number,
    set: Partial<{ status: DrillStatus; paused_at: Date | null; paused_ms: number; revealed: number; finished_at: Date; lessons: string[]; follow_ups: string[] }>,
  ): Promise<boolean> {
    // Wrapped in a CTE: TypeORM answers a bare UPDATE … RETURNING as [rows, count], a SELECT as rows.
    const rows: { id: string }[] = await tenantManager().query(
      `WITH moved AS (UPDATE drills SET
         status = COALESCE($3, status),
         paused_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE paused_at END,
         paused_ms = COALESCE($6, paused_ms),
         revealed = COALESCE($7, revealed),
         finished_at = COALESCE($8, finished_at),
         lessons = COALESCE($9::jsonb, lessons),
         follow_ups = COALESCE($10::jsonb, follow_ups),
         version = version + 1
       WHERE organisation_id = $1 AND id = $2 AND version = $11 RETURNING id) SELECT id FROM moved`,
      [
        currentMember().organisationId,
        id,
        set.status ?? null,
        'paused_at' in set,
        set.paused_at ?? null,
        set.paused_ms === undefined ? null : Math.round(set.paused_ms),
        set.revealed ?? null,
        set.finished_at ?? null,
        set.lessons === undefined ? null : JSON.stringify(set.lessons),
        set.follow_ups === undefined ? null : JSON.stringify(set.follow_ups),
        version,
      ],
    );
    return rows.length === 1;
  }

  async storeRecord(id: string, record: Omit<DrillRecord, 'linkedQuestionIds'> & { linkedQuestionIds: string[] }): Promise<void> {
    await tenantManager().query(
      `UPDATE drills SET evidence_id = $3, assessment_id = $4, linked_question_ids = $5, pdf_sha256 = $6, manifest = $7, signature = $8, key_id = $9
       WHERE organisation_id = $1 AND id = $2`,
      [
        currentMember().organisationId,
        id,
        record.evidenceId,
        record.assessmentId,
        record.linkedQuestionIds,
        record.pdfSha256,
        JSON.stringify(record.manifest),
        record.signature,
        record.keyId,
      ],
    );
  }

  /** The organisation's open assessment (draft or in review), newest first: where a drill record is linked. */
  async openAssessment(): Promise<{ id: string; title: string; framework_id: string; framework_version: string; status: string } | undefined> {
    const rows: { id: string; title: string; framework_id: string; framework_version: string; status: string }[] = await tenantManager().query(
      `SELECT id, title, framework_id, framework_version, status FROM assessments
       WHERE organisation_id = $1 AND status IN ('draft', 'in_review') ORDER BY created_at DESC, id DESC LIMIT 1`,
      [currentMember().organisationId],
    );
    return rows[0];
  }

  async organisationName(): Promise<string> {
    const rows: { name: string }[] = await tenantManager().query(`SELECT name FROM organisations WHERE organisation_id = $1`, [currentMember().organisationId]);
    return rows[0]?.name ?? '';
  }
}
