import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (study tracking and plans): how study time was earned, and how each plan counts it.
 *
 * `study_daily` keeps its total (`credited_sec`) and says which part of it was earned how:
 * - `audio_sec`: listened to with the page hidden or on the audio-only rendition (attention check-ins apply);
 * - `speedup_sec`: played faster than 1×;
 * - `collective_sec`: credited from a collective viewing at a study site (the room's screen, not the member's).
 * The parts may overlap (audio at 1.5× is both); each is ≤ `credited_sec`.
 *
 * A plan states how study counts (defaults keep today's behaviour): a daily maximum, a conversion from
 * minutes studied to study hours, a minimum lecture length for per-lecture credit, which kinds of study count,
 * a cap on in-person hours, and how often hidden or audio-only listening asks "still listening?".
 */
export class StudyKinds1732000027000 implements MigrationInterface {
  name = 'StudyKinds1732000027000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE study_daily
        ADD COLUMN audio_sec double precision NOT NULL DEFAULT 0 CONSTRAINT study_daily_audio_sec CHECK (audio_sec >= 0),
        ADD COLUMN speedup_sec double precision NOT NULL DEFAULT 0 CONSTRAINT study_daily_speedup_sec CHECK (speedup_sec >= 0),
        ADD COLUMN collective_sec double precision NOT NULL DEFAULT 0 CONSTRAINT study_daily_collective_sec CHECK (collective_sec >= 0)`);
    await db.query(`
      ALTER TABLE study_plans
        ADD COLUMN daily_limit_hours numeric(4, 2)
          CONSTRAINT study_plans_daily_limit CHECK (daily_limit_hours > 0 AND daily_limit_hours <= 24),
        ADD COLUMN minutes_per_study_hour numeric(5, 2) NOT NULL DEFAULT 60
          CONSTRAINT study_plans_minutes_per_hour CHECK (minutes_per_study_hour >= 10 AND minutes_per_study_hour <= 240),
        ADD COLUMN min_lecture_minutes numeric(6, 2)
          CONSTRAINT study_plans_min_lecture CHECK (min_lecture_minutes > 0 AND min_lecture_minutes <= 1440),
        ADD COLUMN counts_speedup boolean NOT NULL DEFAULT true,
        ADD COLUMN counts_audio boolean NOT NULL DEFAULT true,
        ADD COLUMN counts_collective boolean NOT NULL DEFAULT true,
        ADD COLUMN counts_in_person boolean NOT NULL DEFAULT true,
        ADD COLUMN in_person_max_hours numeric(7, 2)
          CONSTRAINT study_plans_in_person_max CHECK (in_person_max_hours >= 0 AND in_person_max_hours <= 10000),
        ADD COLUMN checkin_min_minutes smallint DEFAULT 10,
        ADD COLUMN checkin_max_minutes smallint DEFAULT 20,
        ADD CONSTRAINT study_plans_checkin_range CHECK (
          (checkin_min_minutes IS NULL AND checkin_max_minutes IS NULL)
          OR (checkin_min_minutes BETWEEN 2 AND 120 AND checkin_max_minutes BETWEEN checkin_min_minutes AND 120))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE study_plans
        DROP CONSTRAINT study_plans_checkin_range,
        DROP COLUMN checkin_max_minutes, DROP COLUMN checkin_min_minutes, DROP COLUMN in_person_max_hours,
        DROP COLUMN counts_in_person, DROP COLUMN counts_collective, DROP COLUMN counts_audio, DROP COLUMN counts_speedup,
        DROP COLUMN min_lecture_minutes, DROP COLUMN minutes_per_study_hour, DROP COLUMN daily_limit_hours`);
    await db.query(`ALTER TABLE study_daily DROP COLUMN collective_sec, DROP COLUMN speedup_sec, DROP COLUMN audio_sec`);
  }
}
