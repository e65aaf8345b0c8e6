import type { DataSource, EntityManager } from 'typeorm';
import { visibleToMember } from '../courses/courses.repository.js';
import { LIVE_GROUP_SCREENS } from './group-screen-access.js';

/**
 * Why a live playback session stops counting: the member opened a newer one, was deactivated, or
 * its course no longer admits them (unpublished, or its audience narrowed).
 */
export type SessionEndReason = 'superseded' | 'deactivated' | 'withdrawn';

/**
 * Ends the member's live playback session, if any, inside the caller's transaction. Its heartbeats
 * then find it ended (the write path's compare-and-set requires a live session) and are refused.
 */
export async function endLiveSession(tx: EntityManager, userId: string, reason: SessionEndReason): Promise<void> {
  await tx.query(`UPDATE playback_sessions SET superseded_at = now(), end_reason = $2 WHERE user_id = $1 AND superseded_at IS NULL`, [
    userId,
    reason,
  ]);
}

/**
 * Ends the live sessions of members whom their lecture no longer admits (its course is not published,
 * their unit is outside its audience, or the lecture was archived), inside the caller's transaction:
 * call it after any change that can withdraw a lecture from someone — a course unpublished or its
 * audience narrowed, a lecture archived, a member moved to another unit. Their heartbeats are refused
 * from then on, and their media links stop working (see HlsDeliveryController). Editors' and admins'
 * previews go on. Returns how many sessions were ended.
 */
async function endExcludedSessions(tx: EntityManager, column: 'c.id' | 'l.id' | 'u.id', id: string): Promise<number> {
  const ended: unknown[] = await tx.query(
    `UPDATE playback_sessions s SET superseded_at = now(), end_reason = 'withdrawn'
       FROM lectures l, courses c, users u, org_units member_unit
      WHERE s.superseded_at IS NULL AND l.id = s.lecture_id AND c.id = l.course_id AND ${column} = $1
        AND u.id = s.user_id AND u.role = 'member' AND member_unit.id = u.org_unit_id
        AND (l.archived_at IS NOT NULL OR NOT (c.status = 'published' AND ${visibleToMember('member_unit.path')}))
      RETURNING s.id`,
    [id],
  );
  // TypeORM returns [rows, count] for an UPDATE … RETURNING.
  const rows = Array.isArray(ended[0]) ? (ended[0] as unknown[]) : ended;
  return rows.length;
}

/** After a course was unpublished or its audience narrowed. */
export const endSessionsExcludedFromCourse = (tx: EntityManager, courseId: string) => endExcludedSessions(tx, 'c.id', courseId);
/** After a lecture was archived. */
export const endSessionsOfArchivedLecture = (tx: EntityManager, lectureId: string) => endExcludedSessions(tx, 'l.id', lectureId);
/** After a member moved to another unit. */
export const endSessionsExcludedForMember = (tx: EntityManager, userId: string) => endExcludedSessions(tx, 'u.id', userId);

/** How long a media server may go on serving a session's links after it was withdrawn: the delay of its cached check. */
export const SESSION_CHECK_TTL_MS = 3_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Of these sessions, the ones whose media links may be served (by their lower-case id): not once the
 * account was deactivated or the course withdrawn from the member. A session superseded by another
 * screen, or ended by inactivity, keeps its links until they expire (it only stops earning), so a page
 * that lost the race is not cut off mid-segment. A live collective viewing's screen (its links name the group
 * session) is admitted while the viewing is live (`LIVE_GROUP_SCREENS`).
 */
export async function sessionsAdmittingMedia(db: DataSource, sessionIds: readonly string[]): Promise<Set<string>> {
  const ids = sessionIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase());
  if (ids.length === 0) return new Set();
  const rows: Array<{ id: string }> = await db.query(
    `SELECT id FROM playback_sessions
      WHERE id = ANY($1::uuid[]) AND end_reason IS DISTINCT FROM 'deactivated' AND end_reason IS DISTINCT FROM 'withdrawn'
     UNION ALL ${LIVE_GROUP_SCREENS}`,
    [ids],
  );
  return new Set(rows.map((row) => row.id));
}
