import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (courseware): chapters of a lecture.
 *
 * - `lecture_chapter_lists`: every list an editor saved for a lecture, numbered per lecture (`revision`), who saved
 *   it and when. Saving a new list archives the current one (`archived_at`, `archived_by`) instead of deleting it,
 *   so what members saw before stays on record. At most one list per lecture is current (not archived); saving an
 *   empty list is a list with no chapters.
 * - `lecture_chapters`: the chapters of each list, in start order (`position` from 0), start in seconds to the
 *   millisecond and a title of 1–100 characters.
 *
 * Keys onto lectures are RESTRICT, as for every table that refers to one: removing a lecture that has chapter
 * lists archives it (see the studio), and it keeps them.
 */
export class Chapters1732000035000 implements MigrationInterface {
  name = 'Chapters1732000035000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE lecture_chapter_lists (
        lecture_id uuid NOT NULL REFERENCES lectures(id) ON DELETE RESTRICT,
        revision int NOT NULL CHECK (revision >= 1),
        chapter_count int NOT NULL CHECK (chapter_count BETWEEN 0 AND 200),
        saved_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        saved_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        archived_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        PRIMARY KEY (lecture_id, revision),
        CONSTRAINT lecture_chapter_lists_archived CHECK ((archived_at IS NULL) = (archived_by IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX lecture_chapter_lists_current ON lecture_chapter_lists (lecture_id) WHERE archived_at IS NULL`);
    await db.query(`
      CREATE TABLE lecture_chapters (
        lecture_id uuid NOT NULL,
        revision int NOT NULL,
        position int NOT NULL CHECK (position BETWEEN 0 AND 199),
        start_sec double precision NOT NULL CHECK (start_sec >= 0 AND start_sec < 1e9),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
        PRIMARY KEY (lecture_id, revision, position),
        FOREIGN KEY (lecture_id, revision) REFERENCES lecture_chapter_lists (lecture_id, revision) ON DELETE CASCADE
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE lecture_chapters`);
    await db.query(`DROP TABLE lecture_chapter_lists`);
  }
}
