import type { DataSource } from 'typeorm';
import type { CaptionLang, SpokenMatch } from '#contracts';
import { firstCueSaying, snippetOf, storedCues } from './spoken-match.js';
import { MEMBERS_MAY_PLAY } from '../courses/courses.repository.js';

/**
 * SQL condition for the catalog's search: a playable lecture of course `c` says the words of the tsquery in
 * parameter `$n` (the same CJK bigram terms as the course's own `search_vector`, see search-terms.ts).
 */
export const saidInLecture = (n: number) => `EXISTS (
  SELECT 1 FROM lecture_captions lc JOIN lectures l ON l.id = lc.lecture_id AND l.archived_at IS NULL
   WHERE l.course_id = c.id AND ${MEMBERS_MAY_PLAY} AND lc.archived_at IS NULL AND lc.search_vector @@ to_tsquery('simple', $${n}))`;

/**
 * For each course whose lectures say the searched words: the first such lecture (by position), and the caption
 * where the words are said, so the hit can open the lecture at that moment.
 */
export async function spokenMatches(
  db: DataSource,
  courseIds: string[],
  tsquery: string,
  query: string,
): Promise<Map<string, SpokenMatch>> {
  if (courseIds.length === 0) return new Map();
  const rows: Array<{ course_id: string; lecture_id: string; title: string; lang: CaptionLang; vtt: string }> = await db.query(
    `SELECT DISTINCT ON (l.course_id) l.course_id, l.id AS lecture_id, l.title, lc.lang, lc.vtt
       FROM lecture_captions lc JOIN lectures l ON l.id = lc.lecture_id AND l.archived_at IS NULL
       JOIN courses c ON c.id = l.course_id
      WHERE l.course_id = ANY($1) AND ${MEMBERS_MAY_PLAY} AND lc.archived_at IS NULL AND lc.search_vector @@ to_tsquery('simple', $2)
      ORDER BY l.course_id, l.position, l.created_at, lc.lang DESC`,
    [courseIds, tsquery],
  );
  const found = new Map<string, SpokenMatch>();
  for (const row of rows) {
    const cues = storedCues(row.vtt);
    const index = firstCueSaying(cues, query);
    found.set(row.course_id, {
      lectureId: row.lecture_id,
      lectureTitle: row.title,
      lang: row.lang,
      atSec: index === null ? null : Math.floor(cues[index].startSec),
      snippet: index === null ? '' : snippetOf(cues[index].text),
    });
  }
  return found;
}
