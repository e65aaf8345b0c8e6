// npm run seed:large — a separate database at reporting scale, generated set-based in SQL:
// 1 committee → 20 branches → 979 groups, 100,000 members, 100 courses × 20 lectures, one year-long study
// plan over the whole tree, and watch history worth 10 million heartbeats of 10 s. Repeatable: fixed seed,
// ids derived from ordinals. Run after `npm run build:server`; sizes can be changed through the environment.
import argon2 from 'argon2';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { ROOT } from './setup-steps.mjs';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const LARGE_DATABASE_URL = process.env.LARGE_DATABASE_URL ?? `${SERVER}/lectern_large`;
export const BENCH_PASSWORD = process.env.BENCH_PASSWORD ?? 'lectern-bench';
export const BENCH_LOGINS = { committee: 'bench-admin', branch: 'bench-branch-admin' };
export const BENCH_PLAN_NAME = '年度理论学习计划';

const int = (name, fallback) => Number(process.env[name] ?? fallback);
const MEMBERS = int('SEED_MEMBERS', 100_000);
const BRANCHES = int('SEED_BRANCHES', 20);
const GROUPS = int('SEED_GROUPS', 979);
const COURSES = int('SEED_COURSES', 100);
const LECTURES_PER_COURSE = int('SEED_LECTURES_PER_COURSE', 20);
const HEARTBEATS = int('SEED_HEARTBEATS', 10_000_000);
const HEARTBEAT_SEC = 10;
const PLAN_HOURS = int('SEED_PLAN_HOURS', 32);
// The plan runs one year and started this many days ago, so the pro-rata line stands at 30/365 of it.
const PLAN_DAYS_ELAPSED = int('SEED_PLAN_DAYS_ELAPSED', 30);
const COMPULSORY = 5;
const TIME_ZONE = (process.env.STUDY_TIME_ZONE ?? 'Asia/Shanghai').replace(/'/g, '');
const SEED = 0.20260101;

const LECTURES = COURSES * LECTURES_PER_COURSE;
const TOTAL_SEC = HEARTBEATS * HEARTBEAT_SEC;

async function main() {
  const started = Date.now();
  let last = started;
  const lap = (what, extra = '') => {
    const now = Date.now();
    console.log(`  ${what.padEnd(44)} ${String(((now - last) / 1000).toFixed(1)).padStart(6)} s${extra ? `  ${extra}` : ''}`);
    last = now;
  };

  console.log(
    `Seeding ${new URL(LARGE_DATABASE_URL).pathname.slice(1)}: ${MEMBERS} members, ${1 + BRANCHES + GROUPS} units, ${LECTURES} lectures, ${HEARTBEATS} heartbeats of ${HEARTBEAT_SEC} s`,
  );
  const prepared = spawnSync(process.execPath, [join(ROOT, 'dist/apps/catalog/src/cli.js'), 'prepare-database', '--fresh'], {
    env: { ...process.env, DATABASE_URL: LARGE_DATABASE_URL },
    encoding: 'utf8',
  });
  if (prepared.status !== 0)
    throw new Error(`prepare-database failed (run "npm run build:server" first?):\n${prepared.stderr}${prepared.stdout}`);
  lap('fresh database, migrations');

  const db = new pg.Client({ connectionString: LARGE_DATABASE_URL });
  await db.connect();
  const q = (sql, params) => db.query(sql, params);
  const hash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id });

  // Bulk load: no change-log triggers or foreign-key checks (every reference is generated consistent);
  // one ordered, serial session so random() yields the same numbers on every run.
  await q(`SET session_replication_role = replica`);
  await q(`SET max_parallel_workers_per_gather = 0`);
  await q(`SET work_mem = '256MB'`);
  await q(`BEGIN`);
  await q(`SELECT setseed($1)`, [SEED]);
  // Ids from ordinals (as version-4 UUIDs), so every run yields the same rows.
  await q(
    `CREATE FUNCTION pg_temp.uid(kind text, n bigint) RETURNS uuid IMMUTABLE LANGUAGE sql AS $$ SELECT overlay(overlay(md5('lectern-large/' || kind || '/' || n) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid $$`,
  );

  // Organisation: the committee, branches, and groups dealt round the branches.
  await q(
    `INSERT INTO org_units (id, parent_id, slug, name, kind, path, depth) VALUES (pg_temp.uid('unit', 0), NULL, 'province', '示范省委员会', 'committee', 'province', 0)`,
  );
  await q(
    `INSERT INTO org_units (id, parent_id, slug, name, kind, path, depth)
     SELECT pg_temp.uid('branch', b), pg_temp.uid('unit', 0), 'branch-' || lpad(b::text, 2, '0'), '第' || b || '分会', 'branch',
            'province/branch-' || lpad(b::text, 2, '0'), 1
       FROM generate_series(1, $1::int) b`,
    [BRANCHES],
  );
  await q(
    `INSERT INTO org_units (id, parent_id, slug, name, kind, path, depth)
     SELECT pg_temp.uid('group', g), pg_temp.uid('branch', b), 'group-' || lpad(g::text, 4, '0'), '第' || g || '学习小组', 'group',
            'province/branch-' || lpad(b::text, 2, '0') || '/group-' || lpad(g::text, 4, '0'), 2
       FROM generate_series(1, $1::int) g, LATERAL (SELECT 1 + (g - 1) % $2::int AS b) x`,
    [GROUPS, BRANCHES],
  );
  lap('org units', `${1 + BRANCHES + GROUPS}`);

  // Members: groups of uneven size (weights 0.3–1.7), categories 45/30/15/10 %, 1 % inactive.
  await q(`CREATE TEMP TABLE seed_groups AS SELECT g, 0.3 + 1.4 * random() AS weight FROM generate_series(1, $1::int) g ORDER BY g`, [
    GROUPS,
  ]);
  await q(
    `INSERT INTO users (id, login, name, role, org_unit_id, category, active)
     SELECT pg_temp.uid('user', n), 'm' || lpad(n::text, 6, '0'),
            (ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴','徐','孙','胡','朱','高','林','何','郭','马','罗'])[1 + n % 20] ||
            (ARRAY['秀英','建国','淑珍','志强','桂兰','国华','玉梅','文斌','丽娟','德明','海燕','永红','俊杰','春梅','立新','晓东','红霞','家豪','金凤','振华'])[1 + (n * 7 / 20) % 20],
            'member', pg_temp.uid('group', width_bucket(r_group, bounds)),
            CASE WHEN r_category < 0.45 THEN 'on-the-job' WHEN r_category < 0.75 THEN 'retired' WHEN r_category < 0.90 THEN 'rural' ELSE 'mobile' END,
            r_active >= 0.01
       FROM (SELECT n, random() AS r_group, random() AS r_category, random() AS r_active FROM generate_series(1, $1::int) n ORDER BY n) s,
            (SELECT array_agg(lower / total ORDER BY g) AS bounds
               FROM (SELECT g, sum(weight) OVER (ORDER BY g) - weight AS lower, sum(weight) OVER () AS total FROM seed_groups) w) b`,
    [MEMBERS],
  );
  await q(
    `INSERT INTO users (id, login, name, password_hash, role, org_unit_id) VALUES
       (pg_temp.uid('staff', 1), $1, '省委员会管理员', $3, 'admin', pg_temp.uid('unit', 0)),
       (pg_temp.uid('staff', 2), $2, '第一分会管理员', $3, 'admin', pg_temp.uid('branch', 1)),
       (pg_temp.uid('staff', 3), 'bench-editor', '课程编辑', $3, 'editor', pg_temp.uid('unit', 0))`,
    [BENCH_LOGINS.committee, BENCH_LOGINS.branch, hash],
  );
  lap('users', `${MEMBERS} members + 3 staff`);

  // Courses, lectures and their media (30–90 min).
  await q(
    `INSERT INTO courses (id, title, category_id, status, created_by, published_at, owner_unit_id)
     SELECT pg_temp.uid('course', c), '理论课程 ' || (c + 1), (SELECT id FROM course_categories ORDER BY code OFFSET c % 6 LIMIT 1),
            'published', pg_temp.uid('staff', 3), now() - interval '400 days', pg_temp.uid('unit', 0)
       FROM generate_series(0, $1::int - 1) c`,
    [COURSES],
  );
  await q(
    `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs)
     SELECT pg_temp.uid('asset', i), 'ready', 'video', 1800 + floor(random() * 3601), '{}' FROM generate_series(0, $1::int - 1) i ORDER BY i`,
    [LECTURES],
  );
  await q(
    `INSERT INTO lectures (id, course_id, position, title, asset_id)
     SELECT pg_temp.uid('lecture', i), pg_temp.uid('course', i / $2::int), i % $2::int, '第' || (i % $2::int + 1) || '讲', pg_temp.uid('asset', i)
       FROM generate_series(0, $1::int - 1) i`,
    [LECTURES, LECTURES_PER_COURSE],
  );
  lap('courses, lectures, media', `${COURSES} × ${LECTURES_PER_COURSE}`);

  // The plan: the whole tree, 32 h in one year that started PLAN_DAYS_ELAPSED days ago, the first five lectures compulsory.
  await q(
    `INSERT INTO study_plans (id, name, owner_unit_id, period_start, period_end, required_hours, created_by)
     VALUES (pg_temp.uid('plan', 1), $1, pg_temp.uid('unit', 0), current_date - $2::int, current_date - $2::int + 364, $3, pg_temp.uid('staff', 1))`,
    [BENCH_PLAN_NAME, PLAN_DAYS_ELAPSED, PLAN_HOURS],
  );
  await q(`INSERT INTO study_plan_units (plan_id, org_unit_id) VALUES (pg_temp.uid('plan', 1), pg_temp.uid('unit', 0))`);
  await q(
    `INSERT INTO study_plan_compulsory (plan_id, lecture_id, position) SELECT pg_temp.uid('plan', 1), pg_temp.uid('lecture', i), i FROM generate_series(0, $1::int - 1) i`,
    [COMPULSORY],
  );
  lap('study plan');

  // Watch history. Each member follows the catalogue in order from a starting lecture, watching each lecture
  // whole (credit = duration to 10 s, so it completes) until their total is used up. Profiles:
  //   keen    0.3 %  32.5–38 h in the period; 85 % start at lecture 1, so they also complete the compulsory ones
  //   steady  2.5 %  2.8–6 h in the period (above the pro-rata line): on track
  //   light  27.0 %  a few minutes to 2.5 h in the period, skewed low: behind; takes what the budget leaves
  //   old     4.0 %  0.1–1 h, all before the period: not started for this plan
  //   none   66.2 %  never studied
  await q(`CREATE TEMP TABLE seed_seq AS
    SELECT k AS idx, pg_temp.uid('lecture', k % ${LECTURES}) AS lecture_id, m.duration_sec AS dur, floor(m.duration_sec / 10)::int * 10 AS full_sec
      FROM generate_series(0, ${2 * LECTURES - 1}) k JOIN lecture_media m ON m.asset_id = pg_temp.uid('asset', k % ${LECTURES})`);
  await q(`ALTER TABLE seed_seq ADD COLUMN cum_before bigint`);
  await q(
    `UPDATE seed_seq s SET cum_before = c.cum FROM (SELECT idx, sum(full_sec) OVER (ORDER BY idx) - full_sec AS cum FROM seed_seq) c WHERE c.idx = s.idx`,
  );
  await q(`CREATE UNIQUE INDEX ON seed_seq (idx)`);
  await q(
    `CREATE TEMP TABLE seed_members AS
     SELECT n, pg_temp.uid('user', n) AS user_id, profile, r_start, r_amount, r_day, 0::bigint AS target, 0 AS start, 0::bigint AS cum_start,
            CASE profile WHEN 'keen' THEN 1800 WHEN 'steady' THEN 1200 WHEN 'light' THEN 600 ELSE 900 END AS chunk
       FROM (SELECT n, CASE WHEN p < 0.003 THEN 'keen' WHEN p < 0.028 THEN 'steady' WHEN p < 0.298 THEN 'light' WHEN p < 0.338 THEN 'old' ELSE 'none' END AS profile,
                    r_start, r_amount, r_day
               FROM (SELECT n, random() AS p, random() AS r_start, random() AS r_amount, random() AS r_day FROM generate_series(1, $1::int) n ORDER BY n) r) x`,
    [MEMBERS],
  );
  await q(`UPDATE seed_members SET
      target = CASE profile WHEN 'keen' THEN 10 * round((32.5 + 5.5 * r_amount) * 360) WHEN 'steady' THEN 10 * round((2.8 + 3.2 * r_amount) * 360)
                            WHEN 'old' THEN 10 * round((0.1 + 0.9 * r_amount) * 360) ELSE 0 END,
      start = CASE WHEN profile = 'keen' AND r_start < 0.85 THEN 0 WHEN profile = 'keen' THEN 100 + floor(r_start * ${LECTURES - 200})
                   WHEN profile = 'steady' AND r_start < 0.4 THEN 0 ELSE floor(r_start * ${LECTURES}) END`);
  // The light profile takes what is left of the heartbeat budget, r² shaped, from 10 s to 2.5 h.
  const [{ fixed, raw }] = (
    await q(
      `SELECT coalesce(sum(target), 0)::float8 AS fixed, coalesce(sum(r_amount ^ 2) FILTER (WHERE profile = 'light'), 0)::float8 AS raw FROM seed_members`,
    )
  ).rows;
  const scale = raw > 0 ? Math.max(0, TOTAL_SEC - fixed) / raw : 0;
  await q(`UPDATE seed_members SET target = least(9000, greatest(10, 10 * round($1 * r_amount ^ 2 / 10))) WHERE profile = 'light'`, [
    scale,
  ]);
  await q(`UPDATE seed_members m SET cum_start = s.cum_before FROM seed_seq s WHERE s.idx = m.start`);
  lap('member profiles');

  await q(
    `CREATE TEMP TABLE seed_watch AS
     SELECT m.n, m.user_id, m.profile, m.chunk, m.r_day, s.idx - m.start AS k, s.lecture_id, s.dur,
            least(s.full_sec, m.target - (s.cum_before - m.cum_start)) AS credited
       FROM seed_members m JOIN seed_seq s ON s.idx BETWEEN m.start AND m.start + m.target / 1800 + 1 AND s.cum_before - m.cum_start < m.target
      WHERE m.target > 0`,
  );
  // Split into sittings of `chunk` seconds spread over the member's days: the period so far (today included)
  // or, for the old profile, the 300 days before it; sittings of one lecture on one day add up.
  await q(
    `CREATE TEMP TABLE seed_sittings AS
     SELECT w.user_id, w.lecture_id,
            CASE WHEN j < w.chunks - 1 THEN w.chunk ELSE w.credited - w.chunk * (w.chunks - 1) END AS sec,
            CASE WHEN w.profile = 'old'
                 THEN p.period_start - 1 - ((floor(w.r_day * 300)::int + floor((w.g0 + j) * 60 / w.g_total)::int) % 300)
                 ELSE p.period_start + ((floor(w.r_day * $1::int)::int + floor((w.g0 + j) * $1::int / w.g_total)::int) % $1::int)
            END AS day
       FROM (SELECT w.*, ceil(w.credited::numeric / w.chunk)::int AS chunks,
                    sum(ceil(w.credited::numeric / w.chunk)) OVER (PARTITION BY w.n ORDER BY w.k) - ceil(w.credited::numeric / w.chunk) AS g0,
                    sum(ceil(w.credited::numeric / w.chunk)) OVER (PARTITION BY w.n) AS g_total
               FROM seed_watch w) w
       CROSS JOIN LATERAL generate_series(0, w.chunks - 1) j
       CROSS JOIN (SELECT period_start FROM study_plans WHERE id = pg_temp.uid('plan', 1)) p`,
    [PLAN_DAYS_ELAPSED + 1],
  );
  lap('watch sequences and sittings');

  await q(
    `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) SELECT user_id, lecture_id, day, sum(sec) FROM seed_sittings GROUP BY 1, 2, 3`,
  );
  lap('study_daily');
  await q(
    `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, last_position_sec, completed_at, last_studied_at)
     SELECT w.user_id, w.lecture_id, jsonb_build_array(jsonb_build_array(0, w.credited)), w.credited, w.credited, w.dur, w.credited,
            CASE WHEN w.credited >= 0.95 * w.dur THEN d.at END, d.at
       FROM seed_watch w
       JOIN (SELECT user_id, lecture_id, least(now(), (max(day) + time '19:30') AT TIME ZONE '${TIME_ZONE}') AS at
               FROM seed_sittings GROUP BY 1, 2) d ON d.user_id = w.user_id AND d.lecture_id = w.lecture_id`,
  );
  lap('lecture_progress');
  await q(`COMMIT`);
  await q(`SET session_replication_role = DEFAULT`);
  await q(`TRUNCATE report_dirty_users, report_dirty_plans`);
  for (const table of ['org_units', 'users', 'courses', 'lectures', 'lecture_media', 'study_plans', 'study_daily', 'lecture_progress']) {
    await q(`VACUUM (ANALYZE) ${table}`);
  }
  lap('vacuum analyze');

  const counts = (
    await q(`SELECT (SELECT count(*) FROM org_units)::int AS units, (SELECT count(*) FROM users WHERE role = 'member')::int AS members,
                    (SELECT count(*) FROM courses)::int AS courses, (SELECT count(*) FROM lectures)::int AS lectures,
                    (SELECT count(*) FROM lecture_media)::int AS media, (SELECT count(*) FROM study_daily)::int AS study_daily,
                    (SELECT count(*) FROM lecture_progress)::int AS lecture_progress,
                    (SELECT count(*) FROM lecture_progress WHERE completed_at IS NOT NULL)::int AS completed,
                    (SELECT sum(credited_sec) FROM study_daily)::float8 AS daily_sec, (SELECT sum(credited_sec) FROM lecture_progress)::float8 AS progress_sec,
                    pg_size_pretty(pg_database_size(current_database())) AS size`)
  ).rows[0];
  const profiles = (
    await q(`SELECT profile, count(*)::int AS n, round(sum(target) / 3600.0)::int AS hours FROM seed_members GROUP BY 1 ORDER BY 2`)
  ).rows;
  await db.end();

  console.log(`
rows:       ${counts.units} org units, ${counts.members} members, ${counts.courses} courses, ${counts.lectures} lectures (${counts.media} media),
            ${counts.study_daily} study_daily, ${counts.lecture_progress} lecture_progress (${counts.completed} completed)
credit:     study_daily ${Math.round(counts.daily_sec)} s = lecture_progress ${Math.round(counts.progress_sec)} s = ${Math.round(counts.daily_sec / 3600)} h
            ≈ ${(counts.daily_sec / HEARTBEAT_SEC / 1e6).toFixed(2)} million heartbeats of ${HEARTBEAT_SEC} s
profiles:   ${profiles.map((p) => `${p.profile} ${p.n} (${p.hours} h)`).join(', ')}
database:   ${counts.size}
logins:     ${BENCH_LOGINS.committee} (whole tree), ${BENCH_LOGINS.branch} (province/branch-01), password "${BENCH_PASSWORD}"
total:      ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
