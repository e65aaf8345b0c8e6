import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CaptionLang } from '#contracts';
import { MEMBERS_MAY_PLAY, VISIBLE_TO_MEMBER } from '../courses/courses.repository.js';

export interface CaptionLectureRow {
  id: string;
  title: string;
  course_id: string;
  course_title: string;
  course_status: 'draft' | 'published' | 'archived';
  owner_path: string;
  /** Whether members may play the lecture (`membersMayPlay`). */
  members_may_play: boolean;
  visible: boolean;
}

export interface LiveCaptionRow {
  id: string;
  lang: CaptionLang;
  vtt: string;
  cue_count: number;
  source_name: string | null;
  source_format: 'vtt' | 'srt';
  source_encoding: 'utf-8' | 'gbk';
  updated_at: Date;
  updated_by_name: string;
  earlier_versions: number;
}

export interface NewCaption {
  lectureId: string;
  lang: CaptionLang;
  vtt: string;
  cueCount: number;
  searchText: string;
  searchTerms: string;
  sourceName: string | null;
  sourceFormat: 'vtt' | 'srt';
  sourceEncoding: 'utf-8' | 'gbk';
  userId: string;
}

/** One text of a language as the history lists it; `vtt` only when one version is read. */
export interface CaptionVersionRow {
  id: string;
  lang: CaptionLang;
  cue_count: number;
  bytes: number;
  source_name: string | null;
  updated_at: Date;
  updated_by_name: string;
  archived_at: Date | null;
  archive_reason: 'replaced' | 'archived' | null;
  vtt?: string;
}

/** What a restore did: saved, or refused because the live text is no longer the one the editor saw. */
export type CaptionRestoreResult = { restored: true } | { restored: false; reason: 'stale' | 'missing' | 'current' };

// Two int4 keys for pg_advisory_xact_lock: "CAPT" and the lecture and language hashed, so saves of one track take turns.
const SAVE_LOCK = 0x43415054;

/** SQL over `lecture_captions`: the live track per language and the earlier texts kept behind it. */
@Injectable()
export class CaptionsRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  /** A lecture that is not archived, with what the access rules need; `unitPath` is the caller's unit. */
  async lecture(lectureId: string, unitPath: string): Promise<CaptionLectureRow | null> {
    const [row] = await this.db.query(
      `SELECT l.id, l.title, l.course_id, c.title AS course_title, c.status AS course_status, o.path AS owner_path,
              ${MEMBERS_MAY_PLAY} AS members_may_play, ${VISIBLE_TO_MEMBER} AS visible
         FROM lectures l JOIN courses c ON c.id = l.course_id JOIN org_units o ON o.id = c.owner_unit_id
        WHERE l.id = $2 AND l.archived_at IS NULL`,
      [unitPath, lectureId],
    );
    return (row as CaptionLectureRow | undefined) ?? null;
  }

  async live(lectureId: string, manager: EntityManager = this.db.manager): Promise<LiveCaptionRow[]> {
    return manager.query(
      `SELECT lc.id, lc.lang, lc.vtt, lc.cue_count, lc.source_name, lc.source_format, lc.source_encoding, lc.updated_at,
              u.name AS updated_by_name,
              (SELECT count(*)::int FROM lecture_captions e WHERE e.lecture_id = lc.lecture_id AND e.lang = lc.lang AND e.archived_at IS NOT NULL) AS earlier_versions
         FROM lecture_captions lc JOIN users u ON u.id = lc.updated_by
        WHERE lc.lecture_id = $1 AND lc.archived_at IS NULL
        ORDER BY lc.lang DESC`,
      [lectureId],
    );
  }

  /** Keeps the live text of the language as an earlier version and makes `caption` the live one. */
  async replace(caption: NewCaption): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [SAVE_LOCK, `${caption.lectureId}/${caption.lang}`]);
      await tx.query(
        `UPDATE lecture_captions SET archived_at = now(), archived_by = $3, archive_reason = 'replaced'
          WHERE lecture_id = $1 AND lang = $2 AND archived_at IS NULL`,
        [caption.lectureId, caption.lang, caption.userId],
      );
      await tx.query(
        `INSERT INTO lecture_captions (lecture_id, lang, vtt, cue_count, search_text, search_vector, source_name, source_format, source_encoding, updated_by)
         VALUES ($1, $2, $3, $4, $5, to_tsvector('simple', $6), $7, $8, $9, $10)`,
        [
          caption.lectureId,
          caption.lang,
          caption.vtt,
          caption.cueCount,
          caption.searchText,
          caption.searchTerms,
          caption.sourceName,
          caption.sourceFormat,
          caption.sourceEncoding,
          caption.userId,
        ],
      );
    });
  }

  /** The texts of a language no longer live (replaced or archived), newest first, and the live one's id. */
  async earlier(lectureId: string, lang: CaptionLang): Promise<{ currentId: string | null; versions: CaptionVersionRow[] }> {
    const rows: CaptionVersionRow[] = await this.db.query(
      `SELECT lc.id, lc.lang, lc.cue_count, octet_length(lc.vtt)::int AS bytes, lc.source_name, lc.updated_at,
              u.name AS updated_by_name, lc.archived_at, lc.archive_reason
         FROM lecture_captions lc JOIN users u ON u.id = lc.updated_by
        WHERE lc.lecture_id = $1 AND lc.lang = $2
        ORDER BY lc.updated_at DESC, lc.archived_at DESC NULLS FIRST`,
      [lectureId, lang],
    );
    return { currentId: rows.find((r) => r.archived_at === null)?.id ?? null, versions: rows.filter((r) => r.archived_at !== null) };
  }

  /** One text of the lecture's language with its WebVTT, live or earlier; null when it is not one of theirs. */
  async version(lectureId: string, lang: CaptionLang, versionId: string): Promise<CaptionVersionRow | null> {
    const [row]: CaptionVersionRow[] = await this.db.query(
      `SELECT lc.id, lc.lang, lc.cue_count, octet_length(lc.vtt)::int AS bytes, lc.source_name, lc.updated_at,
              u.name AS updated_by_name, lc.archived_at, lc.archive_reason, lc.vtt
         FROM lecture_captions lc JOIN users u ON u.id = lc.updated_by
        WHERE lc.lecture_id = $1 AND lc.lang = $2 AND lc.id = $3`,
      [lectureId, lang, versionId],
    );
    return row ?? null;
  }

  /**
   * Saves a copy of the earlier text `versionId` as the live one, archiving the live text (kept) in the same
   * transaction as `replace` does. `expectCurrent`, when given (null: no live text), must still be the live text's id.
   */
  async restore(
    lectureId: string,
    lang: CaptionLang,
    versionId: string,
    userId: string,
    expectCurrent: string | null | undefined,
  ): Promise<CaptionRestoreResult> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [SAVE_LOCK, `${lectureId}/${lang}`]);
      const [live]: Array<{ id: string }> = await tx.query(
        `SELECT id FROM lecture_captions WHERE lecture_id = $1 AND lang = $2 AND archived_at IS NULL`,
        [lectureId, lang],
      );
      if (expectCurrent !== undefined && expectCurrent !== (live?.id ?? null)) return { restored: false, reason: 'stale' };
      if (live?.id === versionId) return { restored: false, reason: 'current' };
      const [source]: Array<{ id: string }> = await tx.query(
        `SELECT id FROM lecture_captions WHERE lecture_id = $1 AND lang = $2 AND id = $3`,
        [lectureId, lang, versionId],
      );
      if (!source) return { restored: false, reason: 'missing' };
      await tx.query(
        `UPDATE lecture_captions SET archived_at = now(), archived_by = $3, archive_reason = 'replaced'
          WHERE lecture_id = $1 AND lang = $2 AND archived_at IS NULL`,
        [lectureId, lang, userId],
      );
      // The copy keeps the text, its words for search and where it came from; it is saved by whoever restored it.
      await tx.query(
        `INSERT INTO lecture_captions (lecture_id, lang, vtt, cue_count, search_text, search_vector, source_name, source_format, source_encoding, updated_by)
         SELECT lecture_id, lang, vtt, cue_count, search_text, search_vector, source_name, source_format, source_encoding, $2
           FROM lecture_captions WHERE id = $1`,
        [versionId, userId],
      );
      return { restored: true };
    });
  }

  /** Takes the language off the lecture; the text stays as an earlier version. False when there was none. */
  async archive(lectureId: string, lang: CaptionLang, userId: string): Promise<boolean> {
    // TypeORM answers an UPDATE … RETURNING with [rows, count].
    const [rows]: [unknown[], number] = await this.db.query(
      `UPDATE lecture_captions SET archived_at = now(), archived_by = $3, archive_reason = 'archived'
        WHERE lecture_id = $1 AND lang = $2 AND archived_at IS NULL RETURNING id`,
      [lectureId, lang, userId],
    );
    return rows.length > 0;
  }
}
