import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (courseware): captions per lecture and language, and the words said for search.
 *
 * - One live row per lecture and language (`archived_at IS NULL`). Saving new text never overwrites: the live
 *   row is archived with `archive_reason = 'replaced'` and a new row is inserted, so every earlier text stays
 *   readable. Archiving a language sets `archive_reason = 'archived'`; nothing is deleted.
 * - `vtt` is the normalised WebVTT we serve (captions.ts `toWebVtt`), whatever the editor uploaded (SRT, GBK).
 * - `search_text` is everything said as one plain text; `search_vector` its CJK bigrams and lower-cased words
 *   (see search-terms.ts), so the catalog's lecture search finds "乡村振兴" said in a lecture.
 */
export class Captions1732000034000 implements MigrationInterface {
  name = 'Captions1732000034000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE lecture_captions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lecture_id uuid NOT NULL REFERENCES lectures(id),
        lang text NOT NULL CHECK (lang IN ('zh-CN', 'en')),
        vtt text NOT NULL,
        cue_count integer NOT NULL CHECK (cue_count >= 0),
        search_text text NOT NULL DEFAULT '',
        search_vector tsvector NOT NULL DEFAULT ''::tsvector,
        source_name text CHECK (source_name IS NULL OR length(source_name) BETWEEN 1 AND 255),
        source_format text NOT NULL CHECK (source_format IN ('vtt', 'srt')),
        source_encoding text NOT NULL CHECK (source_encoding IN ('utf-8', 'gbk')),
        updated_by uuid NOT NULL REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        archived_by uuid REFERENCES users(id),
        archive_reason text CHECK (archive_reason IN ('replaced', 'archived')),
        CONSTRAINT lecture_captions_archived_why CHECK ((archived_at IS NULL) = (archive_reason IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX lecture_captions_live ON lecture_captions (lecture_id, lang) WHERE archived_at IS NULL`);
    await db.query(`CREATE INDEX lecture_captions_history ON lecture_captions (lecture_id, lang, updated_at DESC)`);
    await db.query(`CREATE INDEX lecture_captions_search ON lecture_captions USING gin (search_vector) WHERE archived_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE lecture_captions`);
  }
}
