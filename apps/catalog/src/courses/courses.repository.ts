import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PREVIEW_OF } from '../media/preview.events.js';
import { documentTerms } from './search-terms.js';
import { coverUrl, posterUrl, type CourseCard, type LectureSummary, type StudioLecture } from './course.views.js';

interface CardRow {
  id: string;
  title: string;
  description: string;
  compulsory: boolean;
  cover_key: string | null;
  published_at: Date | null;
  category_id: string;
  category_code: string;
  category_name_zh: string;
  category_name_en: string;
  lecture_count: string;
  total_duration: string | null;
}

export const toCard = (row: CardRow): CourseCard => ({
  id: row.id,
  title: row.title,
  description: row.description,
  category: { id: row.category_id, code: row.category_code, nameZh: row.category_name_zh, nameEn: row.category_name_en },
  compulsory: row.compulsory,
  coverUrl: coverUrl(row.id, row.cover_key),
  lectureCount: Number(row.lecture_count),
  totalDurationSec: Math.round(Number(row.total_duration ?? 0)),
  publishedAt: row.published_at?.toISOString() ?? null,
});

/**
 * Members may play lecture `l` of course `c`: its media is ready, or it can already be played while still
 * being encoded and the course publishes then (the SQL of `membersMayWatch`). Every member-facing query
 * that lists or opens a lecture uses this, so what members find is what they can play.
 */
export const membersMayPlay = (lecture = 'l', course = 'c') => `(
  EXISTS (SELECT 1 FROM lecture_media mp WHERE mp.asset_id = ${lecture}.asset_id AND mp.status = 'ready')
  OR (${course}.publish_when_previewable AND EXISTS (${PREVIEW_OF(`${lecture}.asset_id`)})))`;

/** `membersMayPlay` for the lecture `l` of the course `c`. */
export const MEMBERS_MAY_PLAY = membersMayPlay();

/** A lecture `l`'s length as members see it: the ready media's, else the part encoded so far. */
const PLAYABLE_DURATION = `coalesce(
  (SELECT m.duration_sec FROM lecture_media m WHERE m.asset_id = l.asset_id AND m.status = 'ready'),
  (SELECT p.duration_sec FROM lecture_media_previews p WHERE p.asset_id = l.asset_id))`;

/** Card columns: counts and durations only over lectures a member can play. */
export const CARD_SELECT = `
  c.id, c.title, c.description, c.compulsory, c.cover_key, c.published_at,
  cat.id AS category_id, cat.code AS category_code, cat.name_zh AS category_name_zh, cat.name_en AS category_name_en,
  (SELECT count(*) FROM lectures l WHERE l.course_id = c.id AND l.archived_at IS NULL AND ${MEMBERS_MAY_PLAY}) AS lecture_count,
  (SELECT sum(${PLAYABLE_DURATION}) FROM lectures l WHERE l.course_id = c.id AND l.archived_at IS NULL AND ${MEMBERS_MAY_PLAY}) AS total_duration`;

/**
 * A course `c` is visible to a member when it names no units, or names their unit or one above it.
 * `unitPath` is the SQL expression of the member's unit path (a parameter or a column).
 */
export const visibleToMember = (unitPath: string) => `(
  NOT EXISTS (SELECT 1 FROM course_visibility v WHERE v.course_id = c.id)
  OR EXISTS (SELECT 1 FROM course_visibility v JOIN org_units o ON o.id = v.org_unit_id
              WHERE v.course_id = c.id AND (${unitPath} = o.path OR ${unitPath} LIKE o.path || '/%')))`;

/** `visibleToMember` with the unit path as the first parameter. */
export const VISIBLE_TO_MEMBER = visibleToMember('$1::text');

@Injectable()
export class CoursesRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async cards(where: string, params: unknown[], tail = ''): Promise<CourseCard[]> {
    const rows: CardRow[] = await this.db.query(
      `SELECT ${CARD_SELECT} FROM courses c JOIN course_categories cat ON cat.id = c.category_id WHERE ${where} ${tail}`,
      params,
    );
    return rows.map(toCard);
  }

  /** A course's lectures: all of them for the studio, or (`membersOnly`) those members may play. */
  async lectures(courseId: string, membersOnly: boolean): Promise<StudioLecture[]> {
    const rows: Array<{
      id: string;
      title: string;
      speaker: string;
      description: string;
      position: number;
      asset_id: string | null;
      media_status: 'ready' | 'failed' | null;
      duration_sec: number | null;
      failure_code: string | null;
      failure_reason: string | null;
      has_poster: boolean;
    }> = await this.db.query(
      `SELECT l.id, l.title, l.speaker, l.description, l.position, l.asset_id,
              m.status AS media_status, ${membersOnly ? PLAYABLE_DURATION : 'm.duration_sec'} AS duration_sec, m.failure_code, m.failure_reason,
              (COALESCE(m.outputs, p.outputs) ->> 'poster') IS NOT NULL AS has_poster
         FROM lectures l JOIN courses c ON c.id = l.course_id LEFT JOIN lecture_media m ON m.asset_id = l.asset_id
         LEFT JOIN LATERAL (${PREVIEW_OF('l.asset_id')}) p ON true
        WHERE l.course_id = $1 AND l.archived_at IS NULL ${membersOnly ? `AND ${MEMBERS_MAY_PLAY}` : ''}
        ORDER BY l.position, l.created_at`,
      [courseId],
    );
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      speaker: row.speaker,
      description: row.description,
      position: row.position,
      durationSec: row.duration_sec,
      posterUrl: posterUrl(row.id, row.has_poster),
      assetId: row.asset_id,
      media: row.asset_id
        ? {
            status: row.media_status ?? 'processing',
            percent: row.media_status === 'ready' ? 100 : null,
            failureCode: row.media_status === 'failed' ? row.failure_code : null,
            failureReason: row.media_status === 'failed' ? row.failure_reason : null,
          }
        : null,
    }));
  }

  /** Recomputes the course's search terms from its own text and its lectures' titles, speakers and descriptions. */
  async refreshSearch(courseId: string, manager: EntityManager = this.db.manager): Promise<void> {
    const [course] = await manager.query(`SELECT title, description FROM courses WHERE id = $1`, [courseId]);
    if (!course) return;
    const lectures: Array<{ title: string; speaker: string; description: string }> = await manager.query(
      `SELECT title, speaker, description FROM lectures WHERE course_id = $1 AND archived_at IS NULL`,
      [courseId],
    );
    const terms = documentTerms(course.title, course.description, ...lectures.flatMap((l) => [l.title, l.speaker, l.description]));
    await manager.query(`UPDATE courses SET search_vector = to_tsvector('simple', $2) WHERE id = $1`, [courseId, terms]);
  }
}

export const toSummary = ({ assetId: _assetId, media: _media, ...summary }: StudioLecture): LectureSummary => summary;
