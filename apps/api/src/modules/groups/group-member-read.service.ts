import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AssessmentStatus, GroupMemberAnswers, GroupMemberEvidence } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { runAsGroupCaller } from './group-context.js';

const NOT_GRANTED =
  'No such organisation in this group, or it has not granted the group full read. Ask the organisation’s owner to grant it under Settings → Groups; until then the group sees its summary only.';

/** The latest issued report of a member, as a group with full read downloads it. */
export interface MemberReportFile {
  reportId: string;
  pdfSha256: string;
  bytes: Buffer;
}

/**
 * What a group reads of a member organisation that granted it full read (docs/PRODUCT.md §16.5):
 * its latest assessment's answers, its evidence list, its latest issued report. Every read goes
 * through a SECURITY DEFINER function keyed on the organisation's own grant row, the acting user's
 * role in the group and the membership being current, so the database, not this service, decides;
 * without all three it returns nothing and the route answers 404 like any route the caller cannot see.
 */
@Injectable()
export class GroupMemberReadService {
  constructor(private readonly dataSource: DataSource) {}

  async answers(userId: string, groupId: string, organisationId: string): Promise<GroupMemberAnswers> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      await this.mayRead(m.query.bind(m), groupId, organisationId);
      const rows: {
        assessment_id: string;
        assessment_title: string;
        assessment_status: AssessmentStatus;
        question_id: string | null;
        value: string | null;
        justification: string | null;
        comment: string | null;
        answered_at: Date | null;
        review_status: string | null;
      }[] = await m.query(`SELECT * FROM hoh_group_member_answers($1, $2)`, [groupId, organisationId]);
      const first = rows[0];
      return {
        organisationId,
        assessment: first ? { id: first.assessment_id, title: first.assessment_title, status: first.assessment_status } : null,
        answers: rows
          .filter((r) => r.question_id !== null)
          .map((r) => ({
            questionId: r.question_id!,
            value: r.value!,
            justification: r.justification,
            comment: r.comment,
            answeredAt: r.answered_at!.toISOString(),
            reviewStatus: r.review_status!,
          })),
      };
    });
  }

  async evidence(userId: string, groupId: string, organisationId: string): Promise<GroupMemberEvidence> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      await this.mayRead(m.query.bind(m), groupId, organisationId);
      const rows: {
        id: string;
        title: string;
        kind: string;
        source: 'file' | 'external';
        file_name: string | null;
        media_type: string | null;
        size_bytes: string | null;
        sha256: string | null;
        issued_at: Date;
        expires_at: Date | null;
        status: string;
      }[] = await m.query(`SELECT * FROM hoh_group_member_evidence($1, $2)`, [groupId, organisationId]);
      return {
        organisationId,
        items: rows.map((r) => ({
          id: r.id,
          title: r.title,
          kind: r.kind,
          source: r.source,
          fileName: r.file_name,
          mediaType: r.media_type,
          sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
          sha256: r.sha256,
          issuedAt: r.issued_at.toISOString(),
          expiresAt: r.expires_at?.toISOString() ?? null,
          status: r.status,
        })),
      };
    });
  }

  async latestReport(userId: string, groupId: string, organisationId: string): Promise<MemberReportFile> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      await this.mayRead(m.query.bind(m), groupId, organisationId);
      const [row]: { report_id: string; pdf_sha256: string; bytes: Buffer }[] = await m.query(
        `SELECT report_id, pdf_sha256, bytes FROM hoh_group_member_report($1, $2)`,
        [groupId, organisationId],
      );
      if (!row) throw new AppError('NOT_FOUND', 'This organisation has issued no report yet. Its owner or managers issue one from its Reports page.');
      return { reportId: row.report_id, pdfSha256: row.pdf_sha256, bytes: row.bytes };
    });
  }

  private async mayRead(query: (sql: string, params: unknown[]) => Promise<{ ok: boolean }[]>, groupId: string, organisationId: string): Promise<void> {
    const [row] = await query(`SELECT hoh_group_full_read($1, $2) AS ok`, [groupId, organisationId]);
    if (!row?.ok) throw new AppError('NOT_FOUND', NOT_GRANTED);
  }
}
