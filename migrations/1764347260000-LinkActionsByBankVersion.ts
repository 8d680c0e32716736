import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 23: an action links to questions as (bank version, question id) (docs/PRODUCT.md §7.1).
 * `question_ids` stay the links on `bank_version`, the version of the assessment the action is judged
 * against; a bank upgrade of that assessment adds links on the new version and keeps the old ones in
 * `earlier_question_links` ([{bankVersion, questionIds}], oldest first), so a report on an older
 * assessment still names the questions of its own bank.
 *
 * Existing actions take the version of their organisation's latest assessment (the one they were
 * judged against until now), or the current bank's when it has none. Their ids were checked against
 * the current bank at the time, which an upgrade keeps where the new version has them.
 */
export class LinkActionsByBankVersion1764347260000 implements MigrationInterface {
  name = 'LinkActionsByBankVersion1764347260000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE actions ADD COLUMN bank_version text`);
    await q.query(`ALTER TABLE actions ADD COLUMN earlier_question_links jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(earlier_question_links) = 'array')`);
    await q.query(`
      UPDATE actions a SET bank_version = COALESCE((
        SELECT s.framework_version FROM assessments s WHERE s.organisation_id = a.organisation_id ORDER BY s.created_at DESC, s.id DESC LIMIT 1), '1.2.0')`);
    await q.query(`ALTER TABLE actions ALTER COLUMN bank_version SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE actions DROP COLUMN earlier_question_links, DROP COLUMN bank_version`);
  }
}
