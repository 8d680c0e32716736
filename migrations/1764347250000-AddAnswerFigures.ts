import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 22 item 2: the closing question (TRN-06) is backed by figures stored with its answer
 * (detections, reportable, reported, median hours to report). One nullable column on the answer
 * row, so the figures are part of the answer: written by the same conditional UPDATE (a change bumps
 * the version), captured by the answers' audit trigger with the rest of the row (migration
 * 1764346800000 records whole rows; AUDITED_STATE lists `figures`, so verify compares it) and frozen
 * with the answer once the assessment is signed. The API validates the shape (DetectionFiguresSchema);
 * the CHECK only refuses a non-object written from outside it.
 */
export class AddAnswerFigures1764347250000 implements MigrationInterface {
  name = 'AddAnswerFigures1764347250000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE answers ADD COLUMN figures jsonb NULL CONSTRAINT answers_figures_object CHECK (figures IS NULL OR jsonb_typeof(figures) = 'object')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE answers DROP COLUMN IF EXISTS figures`);
  }
}
