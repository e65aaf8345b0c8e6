import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (reports): per-unit rollups that the trend, course and lecture reports read instead of
 * aggregating the raw watch data of a whole subtree on each request.
 *
 * Every figure is kept per unit of the member (`users.org_unit_id`, as the reports attribute study), so a
 * subtree's figure is the sum of its units' rows; a member belongs to one unit, so distinct-member counts
 * add up too.
 *
 * - `activity_user_days` / `activity_user_lectures`: each member's share as last summed up: credited
 *   seconds per (member, day), and per (member, lecture) the figures of one progress row (completion,
 *   credited seconds, coverage ratios, the 50 retention buckets watched). A chunk takes a member's old
 *   share out of the unit rows and puts the new one in, so nothing is summed twice or lost.
 * - `unit_daily_study`: credited seconds and members who studied, per (unit, day).
 * - `unit_lecture_stats`: viewers, completions, credited seconds, coverage sum and retention counts per (lecture, unit).
 * - `unit_course_stats`: the same per (unit, course), viewers counted once per member and course.
 * - `activity_dirty`: what changed, appended by statement-level triggers: (member, lecture) from progress,
 *   (member, day) from daily credit, (member) when they change unit or are deleted, (lecture) when it
 *   moves to another course or its media (duration) changes. Drained oldest first in bounded chunks.
 *
 * Sums are `numeric` so adding and taking out the same values leaves no rounding drift behind.
 */
export class ActivityRollups1732000022000 implements MigrationInterface {
  name = 'ActivityRollups1732000022000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE activity_user_days (
        user_id uuid NOT NULL,
        day date NOT NULL,
        unit_id uuid NOT NULL,
        credited_sec numeric NOT NULL,
        PRIMARY KEY (user_id, day)
      )`);
    await db.query(`
      CREATE TABLE unit_daily_study (
        unit_id uuid NOT NULL,
        day date NOT NULL,
        credited_sec numeric NOT NULL,
        -- members of the unit with daily credit that day (each member is in one unit)
        members integer NOT NULL,
        PRIMARY KEY (unit_id, day)
      )`);
    await db.query(`
      CREATE TABLE activity_user_lectures (
        user_id uuid NOT NULL,
        lecture_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        course_id uuid NOT NULL,
        completed boolean NOT NULL,
        credited_sec numeric NOT NULL,
        -- least(1, covered_sec / duration_sec) of the progress row; null when it has no duration
        course_ratio numeric,
        -- least(1, measured coverage / the lecture's media duration); 0 without a duration
        lecture_ratio numeric NOT NULL,
        -- bucket i (of 50) watched: the coverage holds the point ((i + 0.5) / 50) * duration
        watched bit varying(50) NOT NULL,
        PRIMARY KEY (user_id, lecture_id)
      )`);
    await db.query(`CREATE INDEX activity_user_lectures_lecture ON activity_user_lectures (lecture_id)`);
    await db.query(`
      CREATE TABLE unit_lecture_stats (
        lecture_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        viewers integer NOT NULL,
        completions integer NOT NULL,
        credited_sec numeric NOT NULL,
        lecture_ratio_sum numeric NOT NULL,
        -- viewers who watched each of the 50 buckets
        retention integer[] NOT NULL,
        PRIMARY KEY (lecture_id, unit_id)
      )`);
    await db.query(`
      CREATE TABLE unit_course_stats (
        unit_id uuid NOT NULL,
        course_id uuid NOT NULL,
        -- distinct members with progress in a lecture of the course
        viewers integer NOT NULL,
        -- progress rows (member, lecture)
        started integer NOT NULL,
        completions integer NOT NULL,
        credited_sec numeric NOT NULL,
        course_ratio_sum numeric NOT NULL,
        course_ratio_count integer NOT NULL,
        PRIMARY KEY (unit_id, course_id)
      )`);
    await db.query(`CREATE INDEX unit_course_stats_course ON unit_course_stats (course_id)`);

    // No keys: writers append without waiting on each other. user_id NULL: every member of the lecture.
    await db.query(`
      CREATE TABLE activity_dirty (
        user_id uuid,
        lecture_id uuid,
        day date,
        logged_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX activity_dirty_logged_at ON activity_dirty (logged_at)`);

    await db.query(`
      CREATE FUNCTION activity_add_counts(a integer[], b integer[]) RETURNS integer[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(coalesce(x.a, 0) + coalesce(x.b, 0) ORDER BY x.i), '{}')
          FROM unnest(a, b) WITH ORDINALITY AS x(a, b, i)
      $$`);

    // Heartbeats rewrite progress on every batch: only a change of what the reports count is logged.
    await db.query(`
      CREATE FUNCTION activity_log_progress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          INSERT INTO activity_dirty (user_id, lecture_id)
          SELECT DISTINCT n.user_id, n.lecture_id FROM new_rows n
            LEFT JOIN old_rows o ON o.user_id = n.user_id AND o.lecture_id = n.lecture_id
           WHERE o.user_id IS NULL
              OR (o.coverage, o.covered_sec, o.credited_sec, o.duration_sec, o.completed_at)
                 IS DISTINCT FROM (n.coverage, n.covered_sec, n.credited_sec, n.duration_sec, n.completed_at)
          UNION
          SELECT o.user_id, o.lecture_id FROM old_rows o
           WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.user_id = o.user_id AND n.lecture_id = o.lecture_id);
        ELSIF TG_OP = 'INSERT' THEN
          INSERT INTO activity_dirty (user_id, lecture_id) SELECT DISTINCT user_id, lecture_id FROM new_rows;
        ELSE
          INSERT INTO activity_dirty (user_id, lecture_id) SELECT DISTINCT user_id, lecture_id FROM old_rows;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION activity_log_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          INSERT INTO activity_dirty (user_id, day)
          SELECT user_id, day FROM new_rows UNION SELECT user_id, day FROM old_rows;
        ELSIF TG_OP = 'INSERT' THEN
          INSERT INTO activity_dirty (user_id, day) SELECT DISTINCT user_id, day FROM new_rows;
        ELSE
          INSERT INTO activity_dirty (user_id, day) SELECT DISTINCT user_id, day FROM old_rows;
        END IF;
        RETURN NULL;
      END $$`);
    // A member's figures follow them to their new unit.
    await db.query(`
      CREATE FUNCTION activity_log_members() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          INSERT INTO activity_dirty (user_id)
          SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.org_unit_id IS DISTINCT FROM n.org_unit_id;
        ELSE
          INSERT INTO activity_dirty (user_id) SELECT id FROM old_rows;
        END IF;
        RETURN NULL;
      END $$`);
    // A lecture moved to another course, or given other media (another duration): each of its viewers again.
    await db.query(`
      CREATE FUNCTION activity_log_lectures() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'lectures' THEN
          INSERT INTO activity_dirty (lecture_id)
          SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
           WHERE (o.course_id, o.asset_id) IS DISTINCT FROM (n.course_id, n.asset_id);
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO activity_dirty (lecture_id)
          SELECT l.id FROM lectures l
           WHERE l.asset_id IN (SELECT n.asset_id FROM new_rows n JOIN old_rows o ON o.asset_id = n.asset_id
                                 WHERE o.duration_sec IS DISTINCT FROM n.duration_sec);
        ELSIF TG_OP = 'INSERT' THEN
          INSERT INTO activity_dirty (lecture_id) SELECT l.id FROM lectures l WHERE l.asset_id IN (SELECT asset_id FROM new_rows);
        ELSE
          INSERT INTO activity_dirty (lecture_id) SELECT l.id FROM lectures l WHERE l.asset_id IN (SELECT asset_id FROM old_rows);
        END IF;
        RETURN NULL;
      END $$`);

    const on = async (table: string, fn: string, events: Array<'INSERT' | 'UPDATE' | 'DELETE'>) => {
      for (const event of events) {
        const transition =
          event === 'UPDATE'
            ? 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
            : event === 'INSERT'
              ? 'NEW TABLE AS new_rows'
              : 'OLD TABLE AS old_rows';
        await db.query(`
          CREATE TRIGGER ${table}_activity_${event.toLowerCase()} AFTER ${event} ON ${table}
            REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      }
    };
    await on('lecture_progress', 'activity_log_progress', ['INSERT', 'UPDATE', 'DELETE']);
    await on('study_daily', 'activity_log_days', ['INSERT', 'UPDATE', 'DELETE']);
    await on('users', 'activity_log_members', ['UPDATE', 'DELETE']);
    await on('lectures', 'activity_log_lectures', ['UPDATE']);
    await on('lecture_media', 'activity_log_lectures', ['INSERT', 'UPDATE', 'DELETE']);

    // Study recorded before the rollups existed: every member who has any, summed up by the chunks.
    await db.query(`
      INSERT INTO activity_dirty (user_id)
      SELECT user_id FROM lecture_progress UNION SELECT user_id FROM study_daily`);
  }

  async down(db: QueryRunner): Promise<void> {
    const triggers: Array<[string, string]> = [
      ['lecture_progress', 'insert'],
      ['lecture_progress', 'update'],
      ['lecture_progress', 'delete'],
      ['study_daily', 'insert'],
      ['study_daily', 'update'],
      ['study_daily', 'delete'],
      ['users', 'update'],
      ['users', 'delete'],
      ['lectures', 'update'],
      ['lecture_media', 'insert'],
      ['lecture_media', 'update'],
      ['lecture_media', 'delete'],
    ];
    for (const [table, event] of triggers) await db.query(`DROP TRIGGER ${table}_activity_${event} ON ${table}`);
    for (const fn of ['activity_log_lectures', 'activity_log_members', 'activity_log_days', 'activity_log_progress']) {
      await db.query(`DROP FUNCTION ${fn}()`);
    }
    await db.query(`DROP FUNCTION activity_add_counts(integer[], integer[])`);
    for (const table of [
      'activity_dirty',
      'unit_course_stats',
      'unit_lecture_stats',
      'activity_user_lectures',
      'unit_daily_study',
      'activity_user_days',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
