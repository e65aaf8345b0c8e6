import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: issued personal study records. Each download of a member's study record (PDF) keeps
 * a row with what the PDF says (`snapshot`), under the random code its QR code links to, so a printed
 * record can be checked against the system's copy. Rows are never changed or deleted: a trigger refuses
 * both, and the member's key is `ON DELETE RESTRICT`.
 */
export class StudyRecords1732000015000 implements MigrationInterface {
  name = 'StudyRecords1732000015000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE study_records (
        code text PRIMARY KEY CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{26}$'),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        issued_at timestamptz NOT NULL DEFAULT now(),
        lang text NOT NULL CHECK (lang IN ('zh-CN', 'en')),
        time_zone text NOT NULL,
        content_hash text NOT NULL,
        snapshot jsonb NOT NULL
      )`);
    await db.query(`CREATE INDEX study_records_user ON study_records (user_id, issued_at DESC)`);
    await db.query(`
      CREATE FUNCTION study_records_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'issued study records are kept as issued' USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER study_records_keep BEFORE UPDATE OR DELETE ON study_records
        FOR EACH ROW EXECUTE FUNCTION study_records_keep()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE study_records`);
    await db.query(`DROP FUNCTION study_records_keep()`);
  }
}
