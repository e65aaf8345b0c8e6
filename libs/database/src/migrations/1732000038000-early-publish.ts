import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (courses): whether a course may publish lectures that are previewable but not yet ready. */
export class EarlyPublish1732000038000 implements MigrationInterface {
  name = 'EarlyPublish1732000038000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE courses ADD COLUMN publish_when_previewable boolean NOT NULL DEFAULT false`);
    await db.query(
      `COMMENT ON COLUMN courses.publish_when_previewable IS 'Members may watch a lecture of this course while its media is still being encoded, once it is previewable; otherwise only once it is ready.'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE courses DROP COLUMN publish_when_previewable`);
  }
}
