import { Injectable } from '@nestjs/common';

import type { EvidenceKind, EvidenceStatus } from '@hoh/contracts';

import { currentMember, tenantManager } from '../../database/tenant-context.js';
import type { ObjectLocation } from '../storage/encrypted-objects.js';

/**
 * The SQL of the evidence tables (evidence, evidence_objects, evidence_content, evidence_opens, answer_evidence), in
 * one place: other modules call these methods rather than copy the statements. Every statement runs
 * in the caller's tenant transaction and names the caller's organisation.
 */

/** One evidence item as the evidence routes read it, with its uploader, reviewer, links and the caller's last open. */
export interface EvidenceRow {
  id: string;
  title: string;
  kind: EvidenceKind;
  source: 'file' | 'external';
  file_name: string | null;
  media_type: string | null;
  size_bytes: string | null;
  sha256: string | null;
  external_ref: string | null;
  issued_at: Date;
  expires_at: Date | null;
  status: EvidenceStatus;
  review_reason: string | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  reviewed_at: Date | null;
  uploaded_by: string;
  uploader_name: string;
  created_at: Date;
  /** created_at in PostgreSQL's full-precision text, for keyset cursors (common/keyset-cursor.ts). */
  created_key: string;
  version: number;
  linked: { assessmentId: string; questionId: string; linkedAt: string }[];
  /** When the calling user last opened it (evidence_opens), null if never. */
  opened_by_you_at: Date | null;
}

/** Who linked evidence to an answer, and when. */
export interface EvidenceLinkRow {
  linked_by: string;
  linked_at: Date;
}

/** One evidence link of an assessment: the answer's question and the evidence. */
export interface QuestionEvidenceRow {
  question_id: string;
  evidence_id: string;
}

/** How an open was recorded: the file downloaded, the link followed through the redirect, a document id looked up. */
export type EvidenceOpenHow = 'content' | 'link' | 'declared';

export interface EvidenceListFilter {
  status: EvidenceStatus | null;
  kind: EvidenceKind | null;
  /** Keyset position (created_at text, id) of the last row already returned, newest first. */
  after: readonly [string, string] | null;
  limit: number;
}

interface NewEvidence {
  id: string;
  title: string;
  kind: EvidenceKind;
  issuedAt: string;
  expiresAt: string | null;
  uploadedBy: string;
}

export interface ReviewWrite {
  status: EvidenceStatus;
  reason: string | null;
  reviewerId: string;
  at: Date;
}

const SELECT_EVIDENCE = `
  SELECT e.*, e.created_at::text AS created_key, u.name AS uploader_name, r.name AS reviewer_name,
    COALESCE((SELECT json_agg(json_build_object('assessmentId', l.assessment_id, 'questionId', l.question_id, 'linkedAt', l.linked_at) ORDER BY l.linked_at, l.question_id)
              FROM answer_evidence l WHERE l.organisation_id = e.organisation_id AND l.evidence_id = e.id), '[]'::json) AS linked,
    (SELECT o.opened_at FROM evidence_opens o
      WHERE o.organisation_id = e.organisation_id AND o.evidence_id = e.id
        AND o.user_id = NULLIF(current_setting('app.user_id', true), '')::uuid) AS opened_by_you_at
  FROM evidence e
  JOIN users u ON u.id = e.uploaded_by
  LEFT JOIN users r ON r.id = e.reviewer_id`;

const org = (): string => currentMember().organisationId;

@Injectable()
export class EvidenceRepository {
  /** A page of the organisation's evidence, newest first, keyset on (created_at, id); `limit` rows at most. */
  async list(filter: EvidenceListFilter): Promise<EvidenceRow[]> {
    return tenantManager().query(
      `${SELECT_EVIDENCE}
       WHERE e.organisation_id = $1
         AND ($2::text IS NULL OR e.status = $2) AND ($3::text IS NULL OR e.kind = $3)
         AND ($4::timestamptz IS NULL OR (e.created_at, e.id) < ($4::timestamptz, $5::uuid))
       ORDER BY e.created_at DESC, e.id DESC LIMIT $6`,
      [org(), filter.status, filter.kind, filter.after?.[0] ?? null, filter.after?.[1] ?? null, filter.limit],
    );
  }

  /** One item; `lock` holds its row for the rest of the transaction, so reviews of one item run one at a time. */
  async find(id: string, lock = false): Promise<EvidenceRow | undefined> {
    const rows: EvidenceRow[] = await tenantManager().query(
      `${SELECT_EVIDENCE} WHERE e.organisation_id = $1 AND e.id = $2${lock ? ' FOR UPDATE OF e' : ''}`,
      [org(), id],
    );
    return rows[0];
  }

  /** The items among `ids` (in no set order); `lock` takes their rows in id order, so overlapping batches cannot deadlock. */
  async findMany(ids: readonly string[], lock = false): Promise<EvidenceRow[]> {
    return tenantManager().query(
      `${SELECT_EVIDENCE} WHERE e.organisation_id = $1 AND e.id = ANY($2::uuid[])${lock ? ' ORDER BY e.id FOR UPDATE OF e' : ''}`,
      [org(), ids],
    );
  }

  async insertExternal(e: NewEvidence & { externalRef: string }): Promise<void> {
    await tenantManager().query(
      `INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, expires_at, uploaded_by)
       VALUES ($1, $2, $3, $4, 'external', $5, $6, $7, $8)`,
      [org(), e.id, e.title, e.kind, e.externalRef, e.issuedAt, e.expiresAt, e.uploadedBy],
    );
  }

  /** A file's row and where its encrypted bytes are (the object store; docs/PRODUCT.md §6.6). */
  async insertFile(e: NewEvidence & { fileName: string; mediaType: string; sha256: string; sizeBytes: number }, location: ObjectLocation): Promise<void> {
    const m = tenantManager();
    await m.query(
      `INSERT INTO evidence (organisation_id, id, title, kind, source, file_name, media_type, size_bytes, sha256, issued_at, expires_at, uploaded_by)
       VALUES ($1, $2, $3, $4, 'file', $5, $6, $7, $8, $9, $10, $11)`,
      [org(), e.id, e.title, e.kind, e.fileName, e.mediaType, e.sizeBytes, e.sha256, e.issuedAt, e.expiresAt, e.uploadedBy],
    );
    await m.query(`INSERT INTO evidence_objects (organisation_id, evidence_id, object_store, object_key) VALUES ($1, $2, $3, $4)`, [org(), e.id, location.store, location.key]);
  }

  /**
   * Bytes of stored files, after waiting for the organisation's quota lock (held to the end of the
   * transaction), so two uploads at once cannot both squeeze under the quota.
   */
  async lockQuotaAndMeasure(): Promise<number> {
    const m = tenantManager();
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('evidence-quota:' || $1, 0))`, [org()]);
    const used: { used: string }[] = await m.query(
      `SELECT COALESCE(sum(size_bytes), 0)::text AS used FROM evidence WHERE organisation_id = $1`,
      [org()],
    );
    return Number(used[0]?.used ?? 0);
  }

  /**
   * Where a file's bytes are: its object in the store, or (written before the store, not yet moved by
   * the storage job) its bytes in evidence_content. One statement, so it sees the move's one
   * transaction whole: either the object or the bytes, never neither.
   */
  async content(id: string): Promise<{ location: ObjectLocation | null; bytes: Buffer | null } | undefined> {
    const rows: { object_store: ObjectLocation['store'] | null; object_key: string | null; bytes: Buffer | null }[] = await tenantManager().query(
      `SELECT o.object_store, o.object_key, c.bytes FROM evidence e
       LEFT JOIN evidence_objects o ON o.organisation_id = e.organisation_id AND o.evidence_id = e.id
       LEFT JOIN evidence_content c ON c.organisation_id = e.organisation_id AND c.evidence_id = e.id
       WHERE e.organisation_id = $1 AND e.id = $2`,
      [org(), id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { location: row.object_store && row.object_key ? { store: row.object_store, key: row.object_key } : null, bytes: row.bytes };
  }

  /** The bytes and recorded SHA-256 of a file still in evidence_content (the storage job's move); undefined once moved. */
  async unmovedContent(id: string): Promise<{ bytes: Buffer; sha256: string } | undefined> {
    const rows: { bytes: Buffer; sha256: string }[] = await tenantManager().query(
      `SELECT c.bytes, e.sha256 FROM evidence_content c JOIN evidence e ON e.organisation_id = c.organisation_id AND e.id = c.evidence_id
       WHERE c.organisation_id = $1 AND c.evidence_id = $2`,
      [org(), id],
    );
    return rows[0];
  }

  /**
   * Records the stored object of an unmoved file and deletes its bytea, in one statement of a narrow
   * SECURITY DEFINER function (hoh_app has no DELETE on evidence_content), only if `objectSha256` — the
   * hash of the object as read back from the store — equals both the row's and the bytea's. False
   * when it did nothing (already moved by another worker, or a hash differed).
   */
  async recordMoved(id: string, objectSha256: string, location: ObjectLocation): Promise<boolean> {
    const rows: { moved: boolean }[] = await tenantManager().query(`SELECT hoh_evidence_content_moved($1, $2, $3, $4, $5) AS moved`, [
      org(),
      id,
      objectSha256,
      location.key,
      location.store,
    ]);
    return rows[0]?.moved === true;
  }

  /** The row the accept check reads (`opened_by_you_at`), moved forward on every open. */
  async recordOpen(evidenceId: string, userId: string, at: Date, how: EvidenceOpenHow): Promise<void> {
    await tenantManager().query(
      `INSERT INTO evidence_opens (organisation_id, evidence_id, user_id, opened_at, how) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organisation_id, evidence_id, user_id) DO UPDATE SET opened_at = EXCLUDED.opened_at, how = EXCLUDED.how`,
      [org(), evidenceId, userId, at, how],
    );
  }

  /**
   * Records a review decision and moves the version on. With `expectedVersion`, only while the row is
   * still at that version: false when someone else changed it first.
   */
  async review(id: string, write: ReviewWrite, expectedVersion?: number): Promise<boolean> {
    const updated: { id: string }[] = await tenantManager().query(
      // UPDATE inside a CTE so the query answers rows (TypeORM answers a bare UPDATE … RETURNING with a count beside them).
      `WITH updated AS (
         UPDATE evidence SET status = $3, review_reason = $4, reviewer_id = $5, reviewed_at = $6, version = version + 1
         WHERE organisation_id = $1 AND id = $2 AND ($7::int IS NULL OR version = $7) RETURNING id)
       SELECT id FROM updated`,
      [org(), id, write.status, write.reason, write.reviewerId, write.at, expectedVersion ?? null],
    );
    return updated.length > 0;
  }

  /** Links evidence to an answer; undefined when it was already linked (nothing changes). */
  async link(assessmentId: string, questionId: string, evidenceId: string, userId: string): Promise<EvidenceLinkRow | undefined> {
    const inserted: EvidenceLinkRow[] = await tenantManager().query(
      `INSERT INTO answer_evidence (organisation_id, assessment_id, question_id, evidence_id, linked_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING linked_by, linked_at`,
      [org(), assessmentId, questionId, evidenceId, userId],
    );
    return inserted[0];
  }

  async findLink(assessmentId: string, questionId: string, evidenceId: string): Promise<EvidenceLinkRow | undefined> {
    const rows: EvidenceLinkRow[] = await tenantManager().query(
      `SELECT linked_by, linked_at FROM answer_evidence WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3 AND evidence_id = $4`,
      [org(), assessmentId, questionId, evidenceId],
    );
    return rows[0];
  }

  /** False when there was no such link. */
  async unlink(assessmentId: string, questionId: string, evidenceId: string): Promise<boolean> {
    const deleted: { evidence_id: string }[] = await tenantManager().query(
      `WITH deleted AS (
         DELETE FROM answer_evidence WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = $3 AND evidence_id = $4 RETURNING evidence_id)
       SELECT evidence_id FROM deleted`,
      [org(), assessmentId, questionId, evidenceId],
    );
    return deleted.length > 0;
  }

  /** Every evidence link of an assessment, in the order they were made. */
  async linksOf(assessmentId: string): Promise<QuestionEvidenceRow[]> {
    return tenantManager().query(
      'SELECT question_id, evidence_id FROM answer_evidence WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY linked_at, evidence_id',
      [org(), assessmentId],
    );
  }

  /**
   * Evidence not rejected whose expiry (docs/PRODUCT.md §4.2, `hoh_evidence_expiry`) is at or after
   * `since`, soonest first, as UTC days; only `uploadedBy`'s own when given (the calendar feed, §14).
   */
  async expiringSince(since: Date, uploadedBy: string | null, limit: number): Promise<{ id: string; title: string; expires: string }[]> {
    return tenantManager().query(
      `SELECT id, title, to_char(hoh_evidence_expiry(issued_at, expires_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS expires FROM evidence
       WHERE organisation_id = $1 AND status <> 'rejected' AND hoh_evidence_expiry(issued_at, expires_at) >= $2
         AND ($3::uuid IS NULL OR uploaded_by = $3)
       ORDER BY hoh_evidence_expiry(issued_at, expires_at), id LIMIT $4`,
      [org(), since, uploadedBy, limit],
    );
  }

  /**
   * Evidence not rejected whose expiry falls in (`after`, `until`], soonest first, at most `limit`,
   * each row with the number in the window (`total`): the weekly digest's list (docs/PRODUCT.md §14).
   */
  async expiringBetween(after: Date, until: Date, limit: number): Promise<{ title: string; expires_at: Date; total: number }[]> {
    return tenantManager().query(
      `SELECT title, hoh_evidence_expiry(issued_at, expires_at) AS expires_at, count(*) OVER ()::int AS total FROM evidence
       WHERE organisation_id = $1 AND status <> 'rejected'
         AND hoh_evidence_expiry(issued_at, expires_at) > $2 AND hoh_evidence_expiry(issued_at, expires_at) <= $3
       ORDER BY 2, title LIMIT $4`,
      [org(), after, until, limit],
    );
  }

  /** The newest accepted evidence linked to `questionId` on any of the organisation's assessments, drill records (exercise) apart: a playbook (docs/PRODUCT.md §15.7). */
  async newestAcceptedLinkedTo(questionId: string): Promise<{ id: string; title: string; kind: string; issued_at: Date; reviewed_at: Date | null } | undefined> {
    const rows: { id: string; title: string; kind: string; issued_at: Date; reviewed_at: Date | null }[] = await tenantManager().query(
      `SELECT e.id, e.title, e.kind, e.issued_at, e.reviewed_at FROM evidence e
       WHERE e.organisation_id = $1 AND e.status = 'accepted' AND e.kind <> 'exercise'
         AND EXISTS (SELECT 1 FROM answer_evidence ae WHERE ae.organisation_id = e.organisation_id AND ae.evidence_id = e.id AND ae.question_id = $2)
       ORDER BY e.issued_at DESC, e.id DESC LIMIT 1`,
      [currentMember().organisationId, questionId],
    );
    return rows[0];
  }

  /** Copies one assessment's links for `questionIds` to another, as made now by `userId` (next year's review, docs/PRODUCT.md §5.7). */
  async copyLinks(fromAssessmentId: string, toAssessmentId: string, questionIds: readonly string[], userId: string): Promise<void> {
    await tenantManager().query(
      `INSERT INTO answer_evidence (organisation_id, assessment_id, question_id, evidence_id, linked_by)
       SELECT organisation_id, $3, question_id, evidence_id, $4 FROM answer_evidence
       WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = ANY($5)`,
      [org(), fromAssessmentId, toAssessmentId, userId, questionIds],
    );
  }
}
