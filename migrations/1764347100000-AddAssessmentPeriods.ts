import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 24: an assessment names the period it covers (docs/PRODUCT.md §5.7), so the trend, the
 * picker and default names read "2027", not the year the row happened to be created in.
 *
 * Existing rows are backfilled with the calendar year they were created in, except that a
 * follow-up ("start from…") covers at least the year after its source's (a follow-up started in
 * the same year was next year's review). The defaults only serve inserts that name no period
 * (tools and fixtures); the API always names one.
 *
 * Signed rows are immutable (1764346900000); the period is new data about them, not a change to
 * what was signed, so the freeze trigger is lifted for the backfill only, inside this transaction.
 * Row-level security is forced, so the owner lifts it for the backfill the same way.
 */
export class AddAssessmentPeriods1764347100000 implements MigrationInterface {
  name = 'AddAssessmentPeriods1764347100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE assessments
        ADD COLUMN period_start date NOT NULL DEFAULT date_trunc('year', now())::date,
        ADD COLUMN period_end   date NOT NULL DEFAULT (date_trunc('year', now()) + interval '1 year' - interval '1 day')::date`);
    await q.query(`ALTER TABLE assessments NO FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE assessments DISABLE TRIGGER assessments_freeze_signed`);
    await q.query(`
      WITH RECURSIVE chain AS (
        SELECT organisation_id, id, extract(year FROM created_at AT TIME ZONE 'UTC')::int AS year
        FROM assessments WHERE from_assessment_id IS NULL
        UNION ALL
        SELECT a.organisation_id, a.id, greatest(extract(year FROM a.created_at AT TIME ZONE 'UTC')::int, c.year + 1)
        FROM assessments a JOIN chain c ON a.organisation_id = c.organisation_id AND a.from_assessment_id = c.id
      )
      UPDATE assessments a SET period_start = make_date(c.year, 1, 1), period_end = make_date(c.year, 12, 31)
      FROM chain c WHERE a.organisation_id = c.organisation_id AND a.id = c.id`);
    await q.query(`ALTER TABLE assessments ENABLE TRIGGER assessments_freeze_signed`);
    await q.query(`ALTER TABLE assessments FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE assessments ADD CONSTRAINT assessments_period_order CHECK (period_end >= period_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assessments DROP CONSTRAINT IF EXISTS assessments_period_order`);
    await q.query(`ALTER TABLE assessments DROP COLUMN IF EXISTS period_end, DROP COLUMN IF EXISTS period_start`);
  }
}
