import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { LectureChapter } from '#contracts';
import { MEMBERS_MAY_PLAY, VISIBLE_TO_MEMBER } from '../courses/courses.repository.js';
import type { CourseStatus } from '../courses/course.entities.js';

/** What access to a lecture's chapters depends on, and what the views name. */
export interface ChapterLectureRow {
  id: string;
  title: string;
  course_id: string;
  course_title: string;
  course_status: CourseStatus;
  owner_path: string;
  visible: boolean;
  archived: boolean;
  asset_id: string | null;
  media_status: 'ready' | 'failed' | null;
  duration_sec: number | null;
  /** Whether members may play the lecture (`membersMayPlay`). */
  members_may_play: boolean;
}

export interface ChapterListRow {
  revision: number;
  saved_at: Date;
  saved_by_name: string;
}

/** A list saved earlier and since replaced, as the history shows it. */
export interface ChapterVersionRow {
  revision: number;
  chapter_count: number;
  saved_at: Date;
  saved_by_name: string;
  archived_at: Date | null;
  archived_by_name: string | null;
}

/** SQL of the chapter tables (`lecture_chapter_lists`, `lecture_chapters`). */
@Injectable()
export class ChaptersRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  /** The lecture, its course and media, and whether its course is shown to a member of `unitPath`. */
  async lecture(lectureId: string, unitPath: string, db: DataSource | EntityManager = this.db): Promise<ChapterLectureRow | null> {
    const [row]: ChapterLectureRow[] = await db.query(
      `SELECT l.id, l.title, l.course_id, c.title AS course_title, c.status AS course_status, o.path AS owner_path,
              ${VISIBLE_TO_MEMBER} AS visible, l.archived_at IS NOT NULL AS archived, l.asset_id,
              m.status AS media_status, m.duration_sec, ${MEMBERS_MAY_PLAY} AS members_may_play
         FROM lectures l JOIN courses c ON c.id = l.course_id JOIN org_units o ON o.id = c.owner_unit_id
         LEFT JOIN lecture_media m ON m.asset_id = l.asset_id
        WHERE l.id = $2`,
      [unitPath, lectureId],
    );
    return row ?? null;
  }

  async unitPath(orgUnitId: string): Promise<string> {
    const [unit]: Array<{ path: string }> = await this.db.query(`SELECT path FROM org_units WHERE id = $1`, [orgUnitId]);
    return unit?.path ?? '';
  }

  /** The current list's header, or null when none was ever saved. */
  async currentList(lectureId: string, db: DataSource | EntityManager = this.db): Promise<ChapterListRow | null> {
    const [row]: ChapterListRow[] = await db.query(
      `SELECT cl.revision, cl.saved_at, u.name AS saved_by_name
         FROM lecture_chapter_lists cl JOIN users u ON u.id = cl.saved_by
        WHERE cl.lecture_id = $1 AND cl.archived_at IS NULL`,
      [lectureId],
    );
    return row ?? null;
  }

  async previousLists(lectureId: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.db.query(
      `SELECT count(*)::int AS n FROM lecture_chapter_lists WHERE lecture_id = $1 AND archived_at IS NOT NULL`,
      [lectureId],
    );
    return row?.n ?? 0;
  }

  /** The lists saved before the current one, newest first; `revision` is one list's number when only it is wanted. */
  async earlierLists(lectureId: string, revision?: number): Promise<ChapterVersionRow[]> {
    return this.db.query(
      `SELECT cl.revision, cl.chapter_count, cl.saved_at, su.name AS saved_by_name, cl.archived_at, au.name AS archived_by_name
         FROM lecture_chapter_lists cl JOIN users su ON su.id = cl.saved_by LEFT JOIN users au ON au.id = cl.archived_by
        WHERE cl.lecture_id = $1 AND ($2::int IS NULL OR cl.revision = $2)
        ORDER BY cl.revision DESC`,
      [lectureId, revision ?? null],
    );
  }

  /** The chapters of one list (current or earlier), in start order. */
  async chaptersOf(lectureId: string, revision: number): Promise<LectureChapter[]> {
    const rows: Array<{ title: string; start_sec: number }> = await this.db.query(
      `SELECT title, start_sec FROM lecture_chapters WHERE lecture_id = $1 AND revision = $2 ORDER BY position`,
      [lectureId, revision],
    );
    return rows.map((row) => ({ title: row.title, startSec: Number(row.start_sec) }));
  }

  /** The current chapters of each lecture, sorted by start. */
  async currentChapters(lectureIds: readonly string[]): Promise<Map<string, LectureChapter[]>> {
    const byLecture = new Map<string, LectureChapter[]>();
    if (lectureIds.length === 0) return byLecture;
    const rows: Array<{ lecture_id: string; title: string; start_sec: number }> = await this.db.query(
      `SELECT ch.lecture_id, ch.title, ch.start_sec
         FROM lecture_chapters ch
         JOIN lecture_chapter_lists cl ON cl.lecture_id = ch.lecture_id AND cl.revision = ch.revision AND cl.archived_at IS NULL
        WHERE ch.lecture_id = ANY($1::uuid[])
        ORDER BY ch.lecture_id, ch.position`,
      [lectureIds],
    );
    for (const row of rows) {
      const list = byLecture.get(row.lecture_id) ?? [];
      list.push({ title: row.title, startSec: Number(row.start_sec) });
      byLecture.set(row.lecture_id, list);
    }
    return byLecture;
  }

  /**
   * Replaces the current list by `chapters` (sorted, checked) in one transaction: the lecture row is locked so two
   * saves take turns, the current list is archived (kept), the new one numbered next. `expectRevision`, when
   * given, must still be the current number; otherwise nothing changes and the current number comes back.
   */
  async replace(
    lectureId: string,
    userId: string,
    chapters: readonly LectureChapter[],
    expectRevision: number | undefined,
  ): Promise<{ saved: true; revision: number } | { saved: false; revision: number }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM lectures WHERE id = $1 FOR NO KEY UPDATE`, [lectureId]);
      const [last]: Array<{ current: number | null; top: number | null }> = await tx.query(
        `SELECT max(revision) FILTER (WHERE archived_at IS NULL) AS current, max(revision) AS top
           FROM lecture_chapter_lists WHERE lecture_id = $1`,
        [lectureId],
      );
      const current = last?.current ?? 0;
      if (expectRevision !== undefined && expectRevision !== current) return { saved: false, revision: current };
      const revision = (last?.top ?? 0) + 1;
      await tx.query(
        `UPDATE lecture_chapter_lists SET archived_at = now(), archived_by = $2 WHERE lecture_id = $1 AND archived_at IS NULL`,
        [lectureId, userId],
      );
      await tx.query(`INSERT INTO lecture_chapter_lists (lecture_id, revision, chapter_count, saved_by) VALUES ($1, $2, $3, $4)`, [
        lectureId,
        revision,
        chapters.length,
        userId,
      ]);
      if (chapters.length > 0) {
        await tx.query(
          `INSERT INTO lecture_chapters (lecture_id, revision, position, start_sec, title)
           SELECT $1, $2, ordinality - 1, start_sec, title
             FROM unnest($3::float8[], $4::text[]) WITH ORDINALITY AS c(start_sec, title)`,
          [lectureId, revision, chapters.map((c) => c.startSec), chapters.map((c) => c.title)],
        );
      }
      return { saved: true, revision };
    });
  }
}
