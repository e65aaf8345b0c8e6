import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishedCourse } from '../../../test/support/study-fixtures.js';
import { convertMs, countStudy, DEFAULT_STUDY_RULES, lectureLongEnough, type StudyRules } from '../../../libs/watch/src/study-rules.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { StudyPlansService } from '../src/study/study-plans.service.js';
import { STUDY_OPTIONS, type StudyOptions } from '../src/study/study-options.js';

/**
 * How a plan counts study time (kinds, daily limit, conversion, in-person cap, minimum lecture length): the
 * settings the API takes, and one rule everywhere. The rollup's SQL, the live standings, My study and the results
 * frozen at closing are compared with the pure rule (`countStudy` in libs/watch) on random study written straight
 * to `study_daily` and `group_session_attendance`.
 */

let catalog: CatalogHarness;
let eastAdmin: string;
let memberToken: string;
let lectures: string[];
let members: Array<{ id: string; login: string }>;
let timeZone: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const q = (sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params);
const settled = () => catalog.app.get(ReportsService).rollup.refresh({ wait: true });

/** A small seeded generator, so a failing run can be repeated (the seed is in the test's name). */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    bool: (p = 0.5) => next() < p,
    /** Quarter seconds: sums of them are exact in floating point, so SQL's and the rule's sums agree exactly. */
    quarters: (maxSec: number) => Math.floor(next() * maxSec * 4) / 4,
  };
}
const SEED = Number(process.env.PLAN_RULES_SEED ?? Date.now() % 100_000);

const createPlan = (body: Record<string, unknown>) =>
  catalog
    .http()
    .post('/api/study-plans')
    .set(as(eastAdmin))
    .send({ name: '学时规则', periodStart: daysFromToday(-10), periodEnd: daysFromToday(10), requiredHours: 3, ...body });

interface StudyRow {
  userId: string;
  lectureId: string;
  day: string;
  creditedSec: number;
  audioSec: number;
  speedupSec: number;
  collectiveSec: number;
}
interface Attendance {
  userId: string;
  day: string;
  sec: number;
  cancelled: boolean;
}
const study: StudyRow[] = [];
const attendance: Attendance[] = [];

async function inPersonSession(day: string, cancelled: boolean): Promise<string> {
  const [unit] = await q(`SELECT id FROM org_units WHERE path = 'committee/east'`);
  const [admin] = await q(`SELECT id FROM users WHERE login = 'east-admin'`);
  // Noon of the day on the study calendar.
  const [session] = await q(
    `INSERT INTO group_sessions (kind, org_unit_id, topic, starts_at, ends_at, status, code_secret, created_by)
     VALUES ('in_person', $1, '专题学习', ($2::date + time '12:00') AT TIME ZONE '${timeZone}', ($2::date + time '15:00') AT TIME ZONE '${timeZone}',
             $3, decode(md5(random()::text), 'hex'), $4) RETURNING id`,
    [unit.id, day, cancelled ? 'cancelled' : 'ended', admin.id],
  );
  return session.id as string;
}

async function attend(sessionId: string, userId: string, sec: number) {
  const [admin] = await q(`SELECT id FROM users WHERE login = 'east-admin'`);
  await q(
    `INSERT INTO group_session_attendance (session_id, user_id, method, first_in_at, recorded_by, credited_sec)
     VALUES ($1, $2, 'roster', now(), $3, $4)`,
    [sessionId, userId, admin.id, sec],
  );
}

/** The pure rule on what the test wrote: study ms (hours × 3,600,000) of one member in one plan. */
function expectedMs(
  rules: StudyRules,
  userId: string,
  mode: 'watch_time' | 'per_lecture' = 'watch_time',
  perLectureHours = 0,
  completions: Array<{ userId: string; durationSec: number }> = [],
): number {
  const rows = study.filter((r) => r.userId === userId);
  const inPerson = attendance.filter((a) => a.userId === userId && !a.cancelled).map((a) => ({ day: a.day, sec: a.sec }));
  const count = countStudy(rules, rows, inPerson, mode === 'watch_time');
  const earning = completions.filter((c) => c.userId === userId && lectureLongEnough(rules, c.durationSec)).length;
  return count.studyMs + earning * Math.round(perLectureHours * 3_600_000);
}

const rulesOfInput = (input: Record<string, unknown>): StudyRules => ({ ...DEFAULT_STUDY_RULES, ...(input as Partial<StudyRules>) });

async function rollupMs(planId: string): Promise<Map<string, number>> {
  await settled();
  const rows: Array<{ user_id: string; earned_ms: string }> = await q(
    `SELECT user_id, earned_ms FROM plan_member_totals WHERE plan_id = $1`,
    [planId],
  );
  return new Map(rows.map((r) => [r.user_id, Number(r.earned_ms)]));
}

async function liveMs(planId: string): Promise<Map<string, number>> {
  const standings = await catalog.app.get(StudyPlansService).standings(planId);
  return new Map(standings.map((s) => [s.userId, Math.round(s.progress.earnedHours * 3_600_000)]));
}

beforeAll(async () => {
  catalog = await startCatalog();
  timeZone = catalog.app.get<StudyOptions>(STUDY_OPTIONS).timeZone.replace(/'/g, '');
  eastAdmin = await catalog.tokenFor('east-admin');
  memberToken = await catalog.tokenFor('member');
  ({ lectures } = await publishedCourse(catalog, '学时规则课', ['第一讲', '第二讲', '第三讲']));
  members = await q(
    `SELECT u.id, u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
      WHERE (o.path = 'committee/east' OR o.path LIKE 'committee/east/%') AND u.role = 'member' AND u.active
      ORDER BY u.login = 'member' DESC, u.login LIMIT 5`,
  );
  expect(members[0].login).toBe('member');
}, 120_000);
afterAll(() => catalog.close());

describe('plan study-hour rules: settings', () => {
  it('takes each setting, answers it back, and refuses what cannot be with a message naming the field', async () => {
    const made = await createPlan({
      dailyLimitHours: 2,
      minutesPerStudyHour: 45,
      countsSpeedup: false,
      countsAudio: true,
      countsCollective: false,
      countsInPerson: true,
      inPersonMaxHours: 6.5,
      checkinMinMinutes: 5,
      checkinMaxMinutes: 15,
    });
    expect(made.status).toBe(201);
    expect(made.body.studyRules).toEqual({
      dailyLimitHours: 2,
      minutesPerStudyHour: 45,
      minLectureMinutes: null,
      countsSpeedup: false,
      countsAudio: true,
      countsCollective: false,
      countsInPerson: true,
      inPersonMaxHours: 6.5,
      materialReadMinutes: null,
      checkinMinutes: { min: 5, max: 15 },
    });
    const plain = await createPlan({});
    expect(plain.body.studyRules).toEqual({ ...DEFAULT_STUDY_RULES, materialReadMinutes: null, checkinMinutes: { min: 10, max: 20 } });
    const noCheckins = await createPlan({ checkinMinMinutes: null, checkinMaxMinutes: null });
    expect(noCheckins.body.studyRules.checkinMinutes).toBeNull();
    const perLecture = await createPlan({ mode: 'per_lecture', creditHoursPerLecture: 1, minLectureMinutes: 20 });
    expect(perLecture.body.studyRules.minLectureMinutes).toBe(20);
    expect((await catalog.http().get(`/api/study-plans/${made.body.id}`).set(as(eastAdmin))).body.studyRules.dailyLimitHours).toBe(2);

    for (const [body, field] of [
      [{ dailyLimitHours: 0 }, 'dailyLimitHours'],
      [{ dailyLimitHours: 25 }, 'dailyLimitHours'],
      [{ dailyLimitHours: 1.234 }, 'dailyLimitHours'],
      [{ minutesPerStudyHour: 5 }, 'minutesPerStudyHour'],
      [{ minutesPerStudyHour: 300 }, 'minutesPerStudyHour'],
      [{ minLectureMinutes: 20 }, 'minLectureMinutes'],
      [{ countsAudio: 'no' }, 'countsAudio'],
      [{ countsInPerson: false, inPersonMaxHours: 2 }, 'inPersonMaxHours'],
      [{ inPersonMaxHours: -1 }, 'inPersonMaxHours'],
      [{ checkinMinMinutes: 20, checkinMaxMinutes: 10 }, 'checkinMaxMinutes'],
      [{ checkinMinMinutes: null, checkinMaxMinutes: 10 }, 'checkinMinMinutes'],
      [{ checkinMinMinutes: 1, checkinMaxMinutes: 10 }, 'checkinMinMinutes'],
    ] as Array<[Record<string, unknown>, string]>) {
      const refused = await createPlan(body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      expect(refused.body.message).toContain(field);
    }
  });
});

describe(`plan study-hour rules: one rule in SQL and in code (seed ${SEED})`, () => {
  const rng = random(SEED);
  const plans: Array<{ id: string; rules: StudyRules; input: Record<string, unknown> }> = [];

  beforeAll(async () => {
    // Random study on days of the period, with parts of each kind, for each member.
    for (const member of members) {
      for (let d = -9; d <= 0; d++) {
        for (const lectureId of lectures) {
          if (!rng.bool(0.4)) continue;
          const creditedSec = rng.quarters(3 * 3600);
          const part = () => (rng.bool(0.5) ? Math.min(creditedSec, rng.quarters(creditedSec)) : 0);
          study.push({
            userId: member.id,
            lectureId,
            day: daysFromToday(d),
            creditedSec,
            audioSec: part(),
            speedupSec: part(),
            collectiveSec: part(),
          });
        }
      }
    }
    for (const r of study) {
      await q(
        `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec, audio_sec, speedup_sec, collective_sec) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [r.userId, r.lectureId, r.day, r.creditedSec, r.audioSec, r.speedupSec, r.collectiveSec],
      );
    }
    // In-person sessions on random days, one of them cancelled (it counts for nobody); a session before the period.
    for (let s = 0; s < 5; s++) {
      const day = daysFromToday(s === 4 ? -20 : -rng.int(0, 9));
      const cancelled = s === 3;
      const sessionId = await inPersonSession(day, cancelled);
      for (const member of members) {
        if (!rng.bool(0.7)) continue;
        const sec = rng.quarters(3 * 3600);
        await attend(sessionId, member.id, sec);
        if (s !== 4) attendance.push({ userId: member.id, day, sec, cancelled });
      }
    }
    // Plans with random rules, and the default plan.
    const inputs: Array<Record<string, unknown>> = [{}];
    for (let i = 0; i < 6; i++) {
      const countsInPerson = rng.bool(0.7);
      inputs.push({
        dailyLimitHours: rng.bool(0.7) ? rng.int(25, 400) / 100 : null,
        minutesPerStudyHour: [60, 45, 50, 40.5, 90][rng.int(0, 4)],
        countsSpeedup: rng.bool(),
        countsAudio: rng.bool(),
        countsCollective: rng.bool(),
        countsInPerson,
        inPersonMaxHours: countsInPerson && rng.bool() ? rng.int(0, 500) / 100 : null,
      });
    }
    for (const input of inputs) {
      const made = await createPlan(input);
      expect(made.status).toBe(201);
      plans.push({ id: made.body.id, rules: rulesOfInput(input), input });
    }
  }, 120_000);

  it('the rollup, the live standings and My study count exactly as the pure rule', async () => {
    for (const plan of plans) {
      const rolled = await rollupMs(plan.id);
      const live = await liveMs(plan.id);
      for (const member of members) {
        const expected = expectedMs(plan.rules, member.id);
        expect({ plan: plan.input, login: member.login, rollup: rolled.get(member.id) }).toEqual({
          plan: plan.input,
          login: member.login,
          rollup: expected,
        });
        expect({ plan: plan.input, login: member.login, live: live.get(member.id) }).toEqual({
          plan: plan.input,
          login: member.login,
          live: expected,
        });
      }
      const mine = (await catalog.http().get('/api/me/study').set(as(memberToken))).body.plans.find(
        (p: { id: string }) => p.id === plan.id,
      );
      expect(Math.round(mine.earnedHours * 3_600_000)).toBe(expectedMs(plan.rules, members[0].id));
      expect(mine.counting.rules.minutesPerStudyHour).toBe(plan.rules.minutesPerStudyHour);
      // The parts by rule are the lectures' counted time, converted; in-person time and the daily cut are in `counting`.
      const count = countStudy(
        plan.rules,
        study.filter((r) => r.userId === members[0].id),
        [],
      );
      const lectureMs = [...count.lectureMs.values()].reduce((sum, ms) => sum + ms, 0);
      const partsMs = (mine.hoursByRule as Array<{ hours: number }>).reduce((sum, part) => sum + Math.round(part.hours * 3_600_000), 0);
      expect(partsMs).toBe(convertMs(lectureMs, plan.rules.minutesPerStudyHour));
      expect(Math.round(mine.counting.studyHours * 3_600_000)).toBe(expectedMs(plan.rules, members[0].id));
    }
  });

  it('keeps the default plan exactly as before: the sum of each lecture credit, and every in-person second', async () => {
    const defaults = plans[0];
    const rolled = await rollupMs(defaults.id);
    for (const member of members) {
      const perLecture = new Map<string, number>();
      for (const r of study.filter((s) => s.userId === member.id))
        perLecture.set(r.lectureId, (perLecture.get(r.lectureId) ?? 0) + r.creditedSec);
      const lectureMs = [...perLecture.values()].reduce((sum, sec) => sum + Math.round(sec * 1000), 0);
      const inPersonMs = attendance
        .filter((a) => a.userId === member.id && !a.cancelled)
        .reduce((sum, a) => sum + Math.round(a.sec * 1000), 0);
      // In-person seconds are rounded per day; quarter seconds round exactly either way.
      expect(rolled.get(member.id)).toBe(lectureMs + inPersonMs);
    }
  });

  it('follows study and attendance written later, and a session cancelled afterwards', async () => {
    const plan = plans.find((p) => p.rules.countsInPerson) ?? plans[0];
    const day = daysFromToday(-1);
    const sessionId = await inPersonSession(day, false);
    await attend(sessionId, members[1].id, 5400);
    attendance.push({ userId: members[1].id, day, sec: 5400, cancelled: false });
    const row = {
      userId: members[1].id,
      lectureId: lectures[0],
      day: daysFromToday(-12),
      creditedSec: 999,
      audioSec: 0,
      speedupSec: 0,
      collectiveSec: 0,
    };
    // Before the period: written, and counted by nobody.
    await q(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)`, [
      row.userId,
      row.lectureId,
      row.day,
      row.creditedSec,
    ]);
    expect((await rollupMs(plan.id)).get(members[1].id)).toBe(expectedMs(plan.rules, members[1].id));
    expect((await liveMs(plan.id)).get(members[1].id)).toBe(expectedMs(plan.rules, members[1].id));

    // A check-in taken back counts for nothing, whatever credit its row still holds.
    const taken = attendance.find((a) => a.userId === members[2].id && !a.cancelled);
    if (taken) {
      await q(
        `UPDATE group_session_attendance a SET undone_at = now() FROM group_sessions g
          WHERE g.id = a.session_id AND a.user_id = $1 AND (g.starts_at AT TIME ZONE '${timeZone}')::date = $2::date AND a.credited_sec = $3`,
        [taken.userId, taken.day, taken.sec],
      );
      taken.cancelled = true;
      expect((await rollupMs(plan.id)).get(members[2].id)).toBe(expectedMs(plan.rules, members[2].id));
      expect((await liveMs(plan.id)).get(members[2].id)).toBe(expectedMs(plan.rules, members[2].id));
    }

    await q(`UPDATE group_sessions SET status = 'cancelled' WHERE id = $1`, [sessionId]);
    attendance[attendance.length - 1].cancelled = true;
    expect((await rollupMs(plan.id)).get(members[1].id)).toBe(expectedMs(plan.rules, members[1].id));
    expect((await liveMs(plan.id)).get(members[1].id)).toBe(expectedMs(plan.rules, members[1].id));
  });

  it('per-lecture plans: only lectures long enough earn, and in-person time is converted', async () => {
    const input = { mode: 'per_lecture', creditHoursPerLecture: 0.5, minLectureMinutes: 20, minutesPerStudyHour: 45, dailyLimitHours: 1.5 };
    const made = await createPlan(input);
    expect(made.status).toBe(201);
    const completions = [
      { userId: members[2].id, lectureId: lectures[0], durationSec: 1200 },
      { userId: members[2].id, lectureId: lectures[1], durationSec: 1199.5 },
      { userId: members[3].id, lectureId: lectures[2], durationSec: 3600 },
      { userId: members[0].id, lectureId: lectures[1], durationSec: 600 },
      { userId: members[0].id, lectureId: lectures[2], durationSec: 1500 },
    ];
    for (const c of completions) {
      await q(
        `INSERT INTO lecture_progress (user_id, lecture_id, credited_sec, covered_sec, duration_sec, completed_at) VALUES ($1, $2, 1, 1, $3, now())
         ON CONFLICT (user_id, lecture_id) DO UPDATE SET duration_sec = $3, completed_at = now()`,
        [c.userId, c.lectureId, c.durationSec],
      );
    }
    const rules = rulesOfInput({ minLectureMinutes: 20, minutesPerStudyHour: 45, dailyLimitHours: 1.5 });
    const rolled = await rollupMs(made.body.id);
    const live = await liveMs(made.body.id);
    for (const member of members) {
      const expected = expectedMs(rules, member.id, 'per_lecture', 0.5, completions);
      expect({ login: member.login, rollup: rolled.get(member.id), live: live.get(member.id) }).toEqual({
        login: member.login,
        rollup: expected,
        live: expected,
      });
    }
    expect(rolled.get(members[2].id)).toBeGreaterThanOrEqual(1_800_000);
    // My study lists the lectures' part by the same rule: one of the member's two lectures is long enough.
    const mine = (await catalog.http().get('/api/me/study').set(as(memberToken))).body.plans.find(
      (p: { id: string }) => p.id === made.body.id,
    );
    expect(mine.hoursByRule.find((part: { rule: string }) => part.rule === 'per_lecture')).toEqual({
      rule: 'per_lecture',
      hours: 0.5,
      lectures: 1,
    });
    expect(Math.round(mine.earnedHours * 3_600_000)).toBe(expectedMs(rules, members[0].id, 'per_lecture', 0.5, completions));
  });

  it('closing a plan freezes each member at the rule, and nothing later changes it', async () => {
    const plan = plans[plans.length - 1];
    const expected = new Map(members.map((m) => [m.id, expectedMs(plan.rules, m.id)]));
    const closed = await catalog.http().post(`/api/reports/plans/${plan.id}/close`).set(as(eastAdmin));
    expect(closed.status).toBeLessThan(300);
    await q(
      `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, 3600)
             ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + 3600`,
      [members[0].id, lectures[1], daysFromToday(0)],
    );
    const frozen: Array<{ user_id: string; earned_hours: number }> = await q(
      `SELECT user_id, earned_hours FROM study_plan_results WHERE plan_id = $1`,
      [plan.id],
    );
    expect(frozen.length).toBe(members.length >= 1 ? frozen.length : 0);
    for (const member of members) {
      const row = frozen.find((r) => r.user_id === member.id);
      expect({ login: member.login, ms: Math.round(Number(row?.earned_hours) * 3_600_000) }).toEqual({
        login: member.login,
        ms: expected.get(member.id),
      });
    }
    const mine = (await catalog.http().get('/api/me/study').set(as(memberToken))).body.plans.find((p: { id: string }) => p.id === plan.id);
    expect(Math.round(mine.earnedHours * 3_600_000)).toBe(expected.get(members[0].id));
  });
});
