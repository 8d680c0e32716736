import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 23 item 3: upgrading a draft or in-review assessment to a newer bank version removes the
 * answers and target overrides of questions that were retired, split or merged (they need a fresh
 * answer) and moves renamed ones (a row's key is its question id, so a move is a delete and an
 * insert). The audit capture trigger records the delete, so verify sees the row as deleted through
 * the API rather than "gone". Until now hoh_app could only insert and update these rows.
 * A signed assessment's rows stay refused by the freeze trigger (1764346900000) for every role.
 */
export class AllowBankUpgradeDeletes1764347240000 implements MigrationInterface {
  name = 'AllowBankUpgradeDeletes1764347240000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT DELETE ON answers, target_overrides TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE DELETE ON answers, target_overrides FROM hoh_app`);
  }
}
