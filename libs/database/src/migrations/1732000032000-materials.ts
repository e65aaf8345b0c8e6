import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (courseware): course and lecture materials and their converted PDFs.
 *
 * The upload service inserts a row once an editor's file has passed every check and its original is stored
 * (`source_key`). A PDF is readable at once (`pdf_key = source_key`); an Office document waits in `converting`
 * until the documents worker writes `pdf_key`, `page_count` and `converted_at` (or `failed` with a code and a
 * message); images and plain text are only downloaded (`pdf_key` stays null).
 *
 * Members may have opened or downloaded a material, and reading can count in a plan: rows are archived
 * (`archived_at`, `archived_by`), never deleted. A trigger refuses DELETE and TRUNCATE, and the lecture key is
 * RESTRICT, so removing a lecture that has materials archives it instead (see the studio's lecture removal).
 */
export class Materials1732000032000 implements MigrationInterface {
  name = 'Materials1732000032000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE course_materials (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE RESTRICT,
        lecture_id uuid REFERENCES lectures(id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        kind text NOT NULL CHECK (kind IN ('pdf', 'docx', 'pptx', 'xlsx', 'image', 'text')),
        mime_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        source_key text NOT NULL,
        pdf_key text,
        page_count int CHECK (page_count >= 0),
        state text NOT NULL CHECK (state IN ('converting', 'ready', 'failed')),
        failure_code text,
        failure_message text,
        conversion_attempts int NOT NULL DEFAULT 0 CHECK (conversion_attempts >= 0),
        position int NOT NULL DEFAULT 0 CHECK (position >= 0),
        uploaded_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        converted_at timestamptz,
        archived_at timestamptz,
        archived_by uuid REFERENCES users(id),
        CHECK ((archived_at IS NULL) = (archived_by IS NULL)),
        CHECK (state <> 'failed' OR failure_code IS NOT NULL)
      )`);
    await db.query(`
      CREATE INDEX course_materials_course ON course_materials (course_id, position, created_at)
        WHERE archived_at IS NULL`);
    await db.query(`
      CREATE INDEX course_materials_lecture ON course_materials (lecture_id, position, created_at)
        WHERE archived_at IS NULL AND lecture_id IS NOT NULL`);
    await db.query(`
      CREATE FUNCTION course_materials_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'course materials are kept: archive a material instead of deleting it'
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER course_materials_refuse_delete BEFORE DELETE ON course_materials
        FOR EACH ROW EXECUTE FUNCTION course_materials_refuse_delete()`);
    await db.query(`
      CREATE TRIGGER course_materials_refuse_truncate BEFORE TRUNCATE ON course_materials
        FOR EACH STATEMENT EXECUTE FUNCTION course_materials_refuse_delete()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE course_materials`);
    await db.query(`DROP FUNCTION course_materials_refuse_delete()`);
  }
}
