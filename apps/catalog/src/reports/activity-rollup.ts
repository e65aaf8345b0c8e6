import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { isConcurrencyConflict } from '#platform';
import { measure, type Interval } from '#watch';

/**
 * The activity rollups (see the 1732000022000 migration): per unit of the member, daily credit
 * (`unit_daily_study`), lecture figures with audience retention (`unit_lecture_stats`) and course figures
 * (`unit_course_stats`), kept current from the change log `activity_dirty` that triggers append to.
 *
 * A chunk is one short transaction: it takes the oldest `chunkSize` log rows nobody else holds
 * (`FOR UPDATE SKIP LOCKED`, so every catalog process drains its own share), holds its members (a
 * transaction advisory lock per member, in one sorted order), recomputes their (member, day) and
 * (member, lecture) shares from the raw data and adds the difference from the share last summed up to
 * the unit rows. A member is in one chunk at a time, so the share a chunk takes out is the one the
 * previous chunk put in; unit rows change by additions only, so chunks touching the same unit commute.
 *
 * A log row for a whole lecture (moved to another course, other media) becomes one row per viewer, kept
 * with its age, for the following chunks: no chunk does more than its size, however large the audience.
 */

export interface ActivityRollupOptions {
  /** Background pause when the change log is empty. */
  intervalMs: number;
  /** Log rows one chunk (one transaction) takes. */
  chunkSize: number;
  /** A report drains the log first when at most this many rows wait; more are left to the background. */
  syncBacklog: number;
  /** At most this many chunks before a report answers (a lecture's viewers logged again take a second). */
  syncChunks: number;
}

export const DEFAULT_ACTIVITY_OPTIONS: ActivityRollupOptions = {
  intervalMs: 2_000,
  chunkSize: 1_000,
  syncBacklog: 200,
  syncChunks: 3,
};

/** Buckets of the audience retention the lecture report draws. */
export const RETENTION_BUCKETS = 50;

export interface ActivityChunk {
  /** Log rows taken. */
  taken: number;
  /** Members recomputed. */
  members: number;
}

// Two int4 keys for pg_advisory_xact_lock: "ACTV" and the member's hash.
const MEMBER_LOCK = 0x41435456;

/** One progress row as the lecture and course reports count it. */
export interface ProgressShare {
  user_id: string;
  lecture_id: string;
  unit_id: string;
  course_id: string;
  completed: boolean;
  credited_sec: number;
  course_ratio: number | null;
  lecture_ratio: number;
  watched: string;
}

/**
 * A progress row's figures by the rules of the live reports: the course report's coverage is
 * `least(1, covered_sec / duration_sec)` when the row has a duration; the lecture report's is the
 * measured coverage over the media's duration, capped at 1; bucket i is watched when the coverage holds
 * the point `((i + 0.5) / buckets) * duration`.
 */
export function progressShare(row: {
  user_id: string;
  lecture_id: string;
  unit_id: string;
  course_id: string;
  completed: boolean;
  credited_sec: number;
  covered_sec: number;
  duration_sec: number;
  coverage: Interval[];
  media_sec: number;
}): ProgressShare {
  const duration = Number(row.media_sec);
  let watched = '';
  for (let i = 0; i < RETENTION_BUCKETS; i++) {
    const at = ((i + 0.5) / RETENTION_BUCKETS) * duration;
    watched += row.coverage.some(([start, end]) => start <= at && at < end) ? '1' : '0';
  }
  return {
    user_id: row.user_id,
    lecture_id: row.lecture_id,
    unit_id: row.unit_id,
    course_id: row.course_id,
    completed: row.completed,
    credited_sec: Number(row.credited_sec),
    course_ratio: row.duration_sec > 0 ? Math.min(1, row.covered_sec / row.duration_sec) : null,
    lecture_ratio: duration ? Math.min(1, measure(row.coverage) / duration) : 0,
    watched,
  };
}

/** The (member, day) shares of the members or days given, moved into `unit_daily_study`. $1/$2 pairs, $3 whole members. */
const DAYS_SQL = `
  WITH pairs AS (
         SELECT DISTINCT user_id, day FROM (
           SELECT * FROM unnest($1::uuid[], $2::date[]) AS p(user_id, day)
           UNION ALL SELECT user_id, day FROM study_daily WHERE user_id = ANY($3::uuid[])
           UNION ALL SELECT user_id, day FROM activity_user_days WHERE user_id = ANY($3::uuid[])) x),
       src AS (SELECT sd.user_id, sd.day, u.org_unit_id AS unit_id, sum(sd.credited_sec::numeric) AS credited_sec
                 FROM pairs JOIN study_daily sd ON sd.user_id = pairs.user_id AND sd.day = pairs.day
                 JOIN users u ON u.id = sd.user_id
                GROUP BY sd.user_id, sd.day, u.org_unit_id),
       old AS (SELECT a.user_id, a.day, a.unit_id, a.credited_sec
                 FROM pairs JOIN activity_user_days a ON a.user_id = pairs.user_id AND a.day = pairs.day),
       gone AS (DELETE FROM activity_user_days a USING pairs
                 WHERE a.user_id = pairs.user_id AND a.day = pairs.day
                   AND NOT EXISTS (SELECT 1 FROM src WHERE src.user_id = a.user_id AND src.day = a.day)),
       kept AS (INSERT INTO activity_user_days AS a (user_id, day, unit_id, credited_sec)
                SELECT user_id, day, unit_id, credited_sec FROM src
                ON CONFLICT (user_id, day) DO UPDATE SET unit_id = excluded.unit_id, credited_sec = excluded.credited_sec
                 WHERE (a.unit_id, a.credited_sec) IS DISTINCT FROM (excluded.unit_id, excluded.credited_sec)),
       delta AS (SELECT unit_id, day, sum(members)::int AS members, sum(credited_sec) AS credited_sec
                   FROM (SELECT unit_id, day, -1 AS members, -credited_sec AS credited_sec FROM old
                         UNION ALL SELECT unit_id, day, 1, credited_sec FROM src) x
                  GROUP BY unit_id, day)
  INSERT INTO unit_daily_study AS t (unit_id, day, credited_sec, members)
  SELECT unit_id, day, credited_sec, members FROM delta WHERE members <> 0 OR credited_sec <> 0 ORDER BY unit_id, day
  ON CONFLICT (unit_id, day) DO UPDATE SET members = t.members + excluded.members, credited_sec = t.credited_sec + excluded.credited_sec`;

/**
 * The (member, lecture) shares computed in `src` ($1) for the pairs $2/$3, moved into the lecture and
 * course rows. A member counts once per course and unit: the units they have rows in for the course,
 * before and after, other lectures of the course included.
 */
const LECTURES_SQL = `
  WITH pairs AS (SELECT * FROM unnest($2::uuid[], $3::uuid[]) AS p(user_id, lecture_id)),
       src AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(user_id uuid, lecture_id uuid, unit_id uuid, course_id uuid, completed boolean,
                                                               credited_sec numeric, course_ratio numeric, lecture_ratio numeric, watched text)),
       old AS (SELECT a.user_id, a.lecture_id, a.unit_id, a.course_id, a.completed, a.credited_sec, a.course_ratio, a.lecture_ratio,
                      a.watched::text AS watched
                 FROM pairs JOIN activity_user_lectures a ON a.user_id = pairs.user_id AND a.lecture_id = pairs.lecture_id),
       gone AS (DELETE FROM activity_user_lectures a USING pairs
                 WHERE a.user_id = pairs.user_id AND a.lecture_id = pairs.lecture_id
                   AND NOT EXISTS (SELECT 1 FROM src WHERE src.user_id = a.user_id AND src.lecture_id = a.lecture_id)),
       kept AS (INSERT INTO activity_user_lectures AS a
                       (user_id, lecture_id, unit_id, course_id, completed, credited_sec, course_ratio, lecture_ratio, watched)
                SELECT user_id, lecture_id, unit_id, course_id, completed, credited_sec, course_ratio, lecture_ratio, watched::varbit FROM src
                ON CONFLICT (user_id, lecture_id) DO UPDATE
                   SET unit_id = excluded.unit_id, course_id = excluded.course_id, completed = excluded.completed,
                       credited_sec = excluded.credited_sec, course_ratio = excluded.course_ratio,
                       lecture_ratio = excluded.lecture_ratio, watched = excluded.watched),
       changes AS (SELECT -1 AS sign, * FROM old UNION ALL SELECT 1, * FROM src),
       touched AS (SELECT user_id, course_id FROM old UNION SELECT user_id, course_id FROM src),
       rest AS (SELECT a.user_id, a.course_id, a.unit_id
                  FROM touched t JOIN activity_user_lectures a ON a.user_id = t.user_id AND a.course_id = t.course_id
                 WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.user_id = a.user_id AND p.lecture_id = a.lecture_id)),
       viewers AS (SELECT unit_id, course_id, sum(n)::int AS n
                     FROM (SELECT unit_id, course_id, -1 AS n FROM (SELECT user_id, course_id, unit_id FROM old UNION SELECT * FROM rest) b
                           UNION ALL
                           SELECT unit_id, course_id, 1 FROM (SELECT user_id, course_id, unit_id FROM src UNION SELECT * FROM rest) a) x
                    GROUP BY unit_id, course_id),
       per_course AS (SELECT unit_id, course_id, sum(sign)::int AS started,
                             coalesce(sum(sign) FILTER (WHERE completed), 0)::int AS completions,
                             sum(sign * credited_sec) AS credited_sec,
                             coalesce(sum(sign * course_ratio), 0) AS course_ratio_sum,
                             coalesce(sum(sign) FILTER (WHERE course_ratio IS NOT NULL), 0)::int AS course_ratio_count
                        FROM changes GROUP BY unit_id, course_id),
       -- Retention moves only for rows that watched something and did not keep the same buckets in the same unit.
       moved AS (SELECT c.* FROM changes c
                  WHERE position('1' IN c.watched) > 0
                    AND NOT EXISTS (SELECT 1 FROM old o JOIN src s ON s.user_id = o.user_id AND s.lecture_id = o.lecture_id
                                     WHERE o.user_id = c.user_id AND o.lecture_id = c.lecture_id
                                       AND o.unit_id = s.unit_id AND o.watched = s.watched)),
       buckets AS (SELECT lecture_id, unit_id, i, sum(sign * substr(watched, i, 1)::int)::int AS n
                     FROM moved CROSS JOIN generate_series(1, ${RETENTION_BUCKETS}) AS i
                    GROUP BY lecture_id, unit_id, i),
       retention AS (SELECT lecture_id, unit_id, array_agg(n ORDER BY i) AS retention FROM buckets GROUP BY lecture_id, unit_id),
       per_lecture AS (SELECT c.lecture_id, c.unit_id, sum(c.sign)::int AS viewers,
                              coalesce(sum(c.sign) FILTER (WHERE c.completed), 0)::int AS completions,
                              sum(c.sign * c.credited_sec) AS credited_sec, sum(c.sign * c.lecture_ratio) AS lecture_ratio_sum,
                              coalesce(r.retention, array_fill(0, ARRAY[${RETENTION_BUCKETS}])) AS retention
                         FROM changes c LEFT JOIN retention r ON r.lecture_id = c.lecture_id AND r.unit_id = c.unit_id
                        GROUP BY c.lecture_id, c.unit_id, r.retention),
       lecture_rows AS (
         INSERT INTO unit_lecture_stats AS t (lecture_id, unit_id, viewers, completions, credited_sec, lecture_ratio_sum, retention)
         SELECT lecture_id, unit_id, viewers, completions, credited_sec, lecture_ratio_sum, retention FROM per_lecture
          WHERE viewers <> 0 OR completions <> 0 OR credited_sec <> 0 OR lecture_ratio_sum <> 0 OR retention <> array_fill(0, ARRAY[${RETENTION_BUCKETS}])
          ORDER BY lecture_id, unit_id
         ON CONFLICT (lecture_id, unit_id) DO UPDATE
            SET viewers = t.viewers + excluded.viewers, completions = t.completions + excluded.completions,
                credited_sec = t.credited_sec + excluded.credited_sec, lecture_ratio_sum = t.lecture_ratio_sum + excluded.lecture_ratio_sum,
                retention = activity_add_counts(t.retention, excluded.retention))
  INSERT INTO unit_course_stats AS t (unit_id, course_id, viewers, started, completions, credited_sec, course_ratio_sum, course_ratio_count)
  SELECT coalesce(c.unit_id, v.unit_id), coalesce(c.course_id, v.course_id), coalesce(v.n, 0), coalesce(c.started, 0),
         coalesce(c.completions, 0), coalesce(c.credited_sec, 0), coalesce(c.course_ratio_sum, 0), coalesce(c.course_ratio_count, 0)
    FROM per_course c FULL JOIN viewers v ON v.unit_id = c.unit_id AND v.course_id = c.course_id
   WHERE coalesce(v.n, 0) <> 0 OR coalesce(c.started, 0) <> 0 OR coalesce(c.completions, 0) <> 0 OR coalesce(c.credited_sec, 0) <> 0
      OR coalesce(c.course_ratio_sum, 0) <> 0 OR coalesce(c.course_ratio_count, 0) <> 0
   ORDER BY 1, 2
  ON CONFLICT (unit_id, course_id) DO UPDATE
     SET viewers = t.viewers + excluded.viewers, started = t.started + excluded.started, completions = t.completions + excluded.completions,
         credited_sec = t.credited_sec + excluded.credited_sec, course_ratio_sum = t.course_ratio_sum + excluded.course_ratio_sum,
         course_ratio_count = t.course_ratio_count + excluded.course_ratio_count`;

/** Seconds since the oldest change not yet in the activity rollups was logged; 0 when none waits. */
const LAG_SQL = `SELECT coalesce(extract(epoch FROM clock_timestamp() - (SELECT min(logged_at) FROM activity_dirty)), 0)::float8 AS lag`;

export class ActivityRollup {
  private readonly logger = new Logger('ActivityRollup');
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopping = false;
  private background: Promise<unknown> | null = null;

  constructor(
    private readonly db: DataSource,
    readonly options: ActivityRollupOptions = DEFAULT_ACTIVITY_OPTIONS,
  ) {}

  /** Drains in the background: chunk after chunk while the log holds rows, then every `intervalMs`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    const tick = () => {
      this.timer = null;
      this.background = this.drain()
        .catch((error: Error) => this.logger.error(`activity rollup refresh failed: ${error.message}`))
        .finally(() => {
          this.background = null;
          if (!this.running) return;
          this.timer = setTimeout(tick, this.options.intervalMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.background;
  }

  /** Seconds since the oldest change still waiting was logged (0 when none waits). */
  async lagSeconds(): Promise<number> {
    const [{ lag }] = await this.db.query(LAG_SQL);
    return Math.max(0, Number(lag));
  }

  /** Log rows waiting, counted up to `cap`. */
  async backlog(cap = 100_000): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM activity_dirty LIMIT $1) x`, [cap]);
    return n;
  }

  /**
   * Drains chunk after chunk until no row is left that nobody else holds; `wait` also waits for the rows
   * other processes hold that were logged before the call, so every change committed before it is in.
   */
  async drain({ wait = false }: { wait?: boolean } = {}): Promise<{ chunks: number; taken: number }> {
    const [{ now }] = await this.db.query(`SELECT statement_timestamp() AS now`);
    const result = { chunks: 0, taken: 0 };
    while (wait || !this.stopping) {
      const chunk = await this.drainChunk();
      if (chunk.taken > 0) {
        result.chunks++;
        result.taken += chunk.taken;
        continue;
      }
      if (!wait) break;
      const [{ held }] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM activity_dirty WHERE logged_at < $1) AS held`, [now]);
      if (!held) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return result;
  }

  /**
   * Before a report answers: drains the log when little waits (a few chunks at most), so a quiet system
   * answers with current figures; under load the background keeps up and the answer trails by the lag.
   */
  async prepare(): Promise<void> {
    const waiting = await this.backlog(this.options.syncBacklog + 1);
    if (waiting === 0 || waiting > this.options.syncBacklog) return;
    for (let i = 0; i < this.options.syncChunks; i++) {
      if ((await this.drainChunk()).taken === 0) return;
    }
  }

  /** One chunk in its own transaction, retried from scratch when PostgreSQL rolls it back for a deadlock. */
  async drainChunk(): Promise<ActivityChunk> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction('READ COMMITTED', (tx) => this.chunk(tx));
      } catch (error) {
        // A chunk rolled back by a deadlock or a serialization failure leaves its log rows in place; it is retried.
        if (!isConcurrencyConflict(error) || attempt >= 5) throw error;
      }
    }
  }

  private async chunk(tx: EntityManager): Promise<ActivityChunk> {
    // Oldest first, by the index; rows another chunk holds are skipped, not waited for.
    const taken: Array<{ user_id: string | null; lecture_id: string | null; day: string | null; logged_at: Date }> = await tx.query(
      `WITH d AS (DELETE FROM activity_dirty
                   WHERE ctid = ANY(ARRAY(SELECT ctid FROM activity_dirty ORDER BY logged_at LIMIT $1 FOR UPDATE SKIP LOCKED))
                   RETURNING user_id, lecture_id, to_char(day, 'YYYY-MM-DD') AS day, logged_at)
       SELECT * FROM d`,
      [this.options.chunkSize],
    );
    if (taken.length === 0) return { taken: 0, members: 0 };

    // A whole lecture: one row per member with progress in it (or counted in it), as old as the change.
    const wide = taken.filter((r) => r.user_id === null && r.lecture_id !== null);
    if (wide.length > 0) {
      await tx.query(
        `INSERT INTO activity_dirty (user_id, lecture_id, logged_at)
         SELECT x.user_id, x.lecture_id, w.logged_at
           FROM (SELECT lecture_id, min(logged_at) AS logged_at FROM unnest($1::uuid[], $2::timestamptz[]) AS w(lecture_id, logged_at)
                  GROUP BY lecture_id) w
           JOIN LATERAL (SELECT user_id, lecture_id FROM lecture_progress WHERE lecture_id = w.lecture_id
                         UNION SELECT user_id, lecture_id FROM activity_user_lectures WHERE lecture_id = w.lecture_id) x ON true`,
        [wide.map((r) => r.lecture_id), wide.map((r) => r.logged_at)],
      );
    }

    const whole = new Set<string>();
    const dayPairs = new Map<string, [string, string]>();
    const lecturePairs = new Map<string, [string, string]>();
    for (const r of taken) {
      if (r.user_id === null) continue;
      if (r.day !== null) dayPairs.set(`${r.user_id}|${r.day}`, [r.user_id, r.day]);
      else if (r.lecture_id !== null) lecturePairs.set(`${r.user_id}|${r.lecture_id}`, [r.user_id, r.lecture_id]);
      else whole.add(r.user_id);
    }
    const members = [...new Set([...whole, ...[...dayPairs.values(), ...lecturePairs.values()].map(([u]) => u)])];
    if (members.length === 0) return { taken: taken.length, members: 0 };

    // Joined in the order written, starting from the chunk's members: the planner cannot tell how few
    // rows the arrays hold and would otherwise scan every member to find them.
    await tx.query(`SELECT set_config('join_collapse_limit', '1', true)`);
    // One chunk at a time per member: the share it takes out is the one the previous chunk put in.
    await tx.query(
      `SELECT pg_advisory_xact_lock($1::int, h)
         FROM (SELECT DISTINCT hashtext(u::text) AS h FROM unnest($2::uuid[]) AS u ORDER BY h) x`,
      [MEMBER_LOCK, members],
    );

    const wholeIds = [...whole];
    const days = [...dayPairs.values()];
    await tx.query(DAYS_SQL, [days.map(([u]) => u), days.map(([, d]) => d), wholeIds]);

    if (wholeIds.length > 0) {
      const rows: Array<{ user_id: string; lecture_id: string }> = await tx.query(
        `SELECT user_id, lecture_id FROM lecture_progress WHERE user_id = ANY($1::uuid[])
         UNION SELECT user_id, lecture_id FROM activity_user_lectures WHERE user_id = ANY($1::uuid[])`,
        [wholeIds],
      );
      for (const r of rows) lecturePairs.set(`${r.user_id}|${r.lecture_id}`, [r.user_id, r.lecture_id]);
    }
    if (lecturePairs.size > 0) {
      const pairs = [...lecturePairs.values()];
      const users = pairs.map(([u]) => u);
      const lectures = pairs.map(([, l]) => l);
      const progress = await tx.query(
        `SELECT p.user_id, p.lecture_id, u.org_unit_id AS unit_id, l.course_id, p.completed_at IS NOT NULL AS completed,
                p.credited_sec, p.covered_sec, p.duration_sec, p.coverage, coalesce(m.duration_sec, 0) AS media_sec
           FROM unnest($1::uuid[], $2::uuid[]) AS x(user_id, lecture_id)
           JOIN lecture_progress p ON p.user_id = x.user_id AND p.lecture_id = x.lecture_id
           JOIN users u ON u.id = p.user_id
           JOIN lectures l ON l.id = p.lecture_id
           LEFT JOIN lecture_media m ON m.asset_id = l.asset_id`,
        [users, lectures],
      );
      await tx.query(LECTURES_SQL, [JSON.stringify(progress.map(progressShare)), users, lectures]);
    }
    return { taken: taken.length, members: members.length };
  }
}
