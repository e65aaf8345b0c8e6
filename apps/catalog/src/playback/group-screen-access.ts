import { visibleToMember } from '../courses/courses.repository.js';

/**
 * The live collective viewings among `ids` (an SQL expression such as `= ANY($1::uuid[])`) whose screen's media
 * links may be served: the session is live, and its lecture is still published, not archived, and shown to the
 * session's unit. A screen's link names the group session where a member's names their playback session.
 */
export const liveGroupScreens = (ids: string) => `SELECT g.id FROM group_sessions g
      JOIN org_units gu ON gu.id = g.org_unit_id JOIN lectures l ON l.id = g.lecture_id JOIN courses c ON c.id = l.course_id
     WHERE g.id ${ids} AND g.kind = 'collective' AND g.status = 'live' AND l.archived_at IS NULL
       AND c.status = 'published' AND ${visibleToMember('gu.path')}`;

/** `liveGroupScreens` over `$1`, the array of ids asked about, as `sessionsAdmittingMedia` takes them. */
export const LIVE_GROUP_SCREENS = liveGroupScreens('= ANY($1::uuid[])');
