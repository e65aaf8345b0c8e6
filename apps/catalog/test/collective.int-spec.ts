import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hashPassword } from '../src/accounts/passwords.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { heartbeatBody } from '../../../test/support/heartbeats.js';
import { publishTestMedia } from '../../../test/support/published-media.js';
import { DEMO_PASSWORD } from '../src/seed/demo-organisation.js';

/**
 * Collective viewing end to end against PostgreSQL: the room's screen sends heartbeats, attendees are checked in
 * and out (rows as the check-in records them), and each attendee's credit is checked against an expectation
 * computed here from the plays and presence the server stamped. Time is made to pass by moving every stamp of
 * the session back, so nothing depends on how fast the machine is.
 */

type Ms = [number, number];

let catalog: CatalogHarness;
let leader: string;
let leaderId: string;
let unitId: string;
let editor: string;
let assetId: string;
let courseId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const LECTURE_SEC = 3600;

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params) as Promise<T[]>;

const newLecture = async (title: string): Promise<string> => {
  const lecture = await catalog.http().post(`/api/courses/${courseId}/lectures`).set(as(editor)).send({ title, assetId });
  expect(lecture.status).toBe(201);
  return lecture.body.id as string;
};

/** Members of the leader's group made for these tests (they need no sign-in: the screen checks nobody's token but its leader's). */
let serial = 0;
const newMembers = async (count: number): Promise<string[]> => {
  const rows = await q<{ id: string }>(
    `INSERT INTO users (login, name, role, org_unit_id)
     SELECT 'collective-' || $2::int || '-' || i, '集体观看 ' || i, 'member', $1 FROM generate_series(1, $3::int) i RETURNING id`,
    [unitId, ++serial, count],
  );
  return rows.map((r) => r.id);
};

const newSession = async (lectureId: string): Promise<string> => {
  const [row] = await q<{ id: string }>(
    `INSERT INTO group_sessions (kind, org_unit_id, lecture_id, starts_at, status, code_secret, created_by)
     VALUES ('collective', $1, $2, now(), 'live', decode(md5(random()::text) || md5(random()::text), 'hex'), $3) RETURNING id`,
    [unitId, lectureId, leaderId],
  );
  return row!.id;
};

/** Checks members in `offsetSec` after the session started (as the check-in records it: attendance, presence). */
const checkIn = async (sessionId: string, userIds: string[], offsetSec = 0) => {
  await q(
    `INSERT INTO group_session_attendance (session_id, user_id, method, first_in_at, recorded_by)
     SELECT $1, u, 'code', s.starts_at + make_interval(secs => $3), u FROM unnest($2::uuid[]) u, group_sessions s WHERE s.id = $1
     ON CONFLICT DO NOTHING`,
    [sessionId, userIds, offsetSec],
  );
  await q(
    `INSERT INTO group_session_presence (session_id, user_id, from_at)
     SELECT $1, u, s.starts_at + make_interval(secs => $3) FROM unnest($2::uuid[]) u, group_sessions s WHERE s.id = $1`,
    [sessionId, userIds, offsetSec],
  );
};

/** Checks a member out at `atExpr` (SQL, may use `s.starts_at` and now()). */
const checkOut = (sessionId: string, userId: string, atExpr: string) =>
  q(
    `UPDATE group_session_presence p SET to_at = ${atExpr} FROM group_sessions s
      WHERE s.id = p.session_id AND p.session_id = $1 AND p.user_id = $2 AND p.to_at IS NULL`,
    [sessionId, userId],
  );

/** Moves every stamp of the session back, as if `seconds` had passed. */
const age = async (sessionId: string, seconds: number) => {
  await q(
    `UPDATE group_sessions SET starts_at = starts_at - make_interval(secs => $2), created_at = created_at - make_interval(secs => $2),
            clock_at = clock_at - make_interval(secs => $2) WHERE id = $1`,
    [sessionId, seconds],
  );
  await q(
    `UPDATE group_session_plays SET from_at = from_at - make_interval(secs => $2), to_at = to_at - make_interval(secs => $2) WHERE session_id = $1`,
    [sessionId, seconds],
  );
  await q(
    `UPDATE group_session_presence SET from_at = from_at - make_interval(secs => $2), to_at = to_at - make_interval(secs => $2) WHERE session_id = $1`,
    [sessionId, seconds],
  );
  await q(`UPDATE group_session_attendance SET first_in_at = first_in_at - make_interval(secs => $2) WHERE session_id = $1`, [
    sessionId,
    seconds,
  ]);
};

const beat = (sessionId: string, seq: number, intervals: Array<[number, number]>, token = leader) =>
  catalog
    .http()
    .post(`/api/group-sessions/${sessionId}/heartbeats`)
    .set(as(token))
    .send({ seq, intervals, position: intervals.at(-1)?.[1] ?? 0 });

const MS = (column: string) => `round(extract(epoch FROM ${column}) * 1000)::float8`;

/**
 * What each attendee should have been credited, from the recorded plays and presence, written out here apart
 * from the library: a play's media laid evenly along its window, a presence earning the media between the
 * offsets of its clipped ends; less what the member had before the session.
 */
const expectedCredit = async (sessionId: string, before: Map<string, Ms[]> = new Map()) => {
  const plays = await q<{ from_ms: number; to_ms: number; intervals: Array<[number, number]> }>(
    `SELECT ${MS('from_at')} AS from_ms, ${MS('to_at')} AS to_ms, intervals FROM group_session_plays WHERE session_id = $1 ORDER BY seq`,
    [sessionId],
  );
  const presence = await q<{ user_id: string; from_ms: number; to_ms: number | null }>(
    `SELECT user_id, ${MS('from_at')} AS from_ms, ${MS('to_at')} AS to_ms FROM group_session_presence WHERE session_id = $1`,
    [sessionId],
  );
  const expected = new Map<string, number>();
  for (const { user_id } of presence) expected.set(user_id, 0);
  for (const userId of expected.keys()) {
    const earned: Ms[] = [];
    for (const play of plays) {
      const pieces = play.intervals.map(([s, e]) => [Math.round(s * 1000), Math.round(e * 1000)] as Ms);
      const media = pieces.reduce((sum, [s, e]) => sum + e - s, 0);
      const window = play.to_ms - play.from_ms;
      for (const p of presence.filter((r) => r.user_id === userId)) {
        const a = Math.max(p.from_ms, play.from_ms);
        const b = Math.min(p.to_ms ?? Infinity, play.to_ms);
        if (window === 0) {
          if (p.from_ms <= play.from_ms && play.from_ms < (p.to_ms ?? Infinity)) earned.push(...pieces);
          continue;
        }
        if (b <= a) continue;
        const lo = Math.floor(((a - play.from_ms) * media) / window);
        const hi = b >= play.to_ms ? media : Math.floor(((b - play.from_ms) * media) / window);
        let at = 0;
        for (const [s, e] of pieces) {
          const from = Math.max(lo, at);
          const to = Math.min(hi, at + e - s);
          if (to > from) earned.push([s + from - at, s + to - at]);
          at += e - s;
        }
      }
    }
    expected.set(userId, measure(subtract(union(earned), before.get(userId) ?? [])) / 1000);
  }
  return expected;
};

const union = (list: Ms[]): Ms[] => {
  const sorted = [...list].sort((x, y) => x[0] - y[0]);
  const out: Ms[] = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
};
const subtract = (a: Ms[], b: Ms[]): Ms[] => {
  let pieces = a;
  for (const [cs, ce] of b)
    pieces = pieces.flatMap(([s, e]): Ms[] =>
      [...(cs > s ? [[s, Math.min(e, cs)] as Ms] : []), ...(ce < e ? [[Math.max(s, ce), e] as Ms] : [])].filter(([x, y]) => y > x),
    );
  return pieces;
};
const measure = (list: Ms[]) => union(list).reduce((sum, [s, e]) => sum + e - s, 0);

/** Each member's credit as every table records it: progress, the day (total and collective), the attendance. */
const recorded = async (sessionId: string, lectureId: string) => {
  const rows = await q<{
    user_id: string;
    attendance_sec: number;
    attendance_coverage: Array<[number, number]>;
    progress_sec: number | null;
    coverage: Array<[number, number]> | null;
    day_sec: number | null;
    collective_sec: number | null;
  }>(
    `SELECT a.user_id, a.credited_sec AS attendance_sec, a.credited_coverage AS attendance_coverage,
            p.credited_sec AS progress_sec, p.coverage,
            (SELECT sum(d.credited_sec) FROM study_daily d WHERE d.user_id = a.user_id AND d.lecture_id = $2) AS day_sec,
            (SELECT sum(d.collective_sec) FROM study_daily d WHERE d.user_id = a.user_id AND d.lecture_id = $2) AS collective_sec
       FROM group_session_attendance a LEFT JOIN lecture_progress p ON p.user_id = a.user_id AND p.lecture_id = $2
      WHERE a.session_id = $1`,
    [sessionId, lectureId],
  );
  return new Map(rows.map((r) => [r.user_id, r]));
};

const snapshot = async (sessionId: string, lectureId: string) => ({
  session: await q(`SELECT last_seq, seen_mask, clock_at, carry_ms, position_sec, played_sec FROM group_sessions WHERE id = $1`, [
    sessionId,
  ]),
  plays: await q(`SELECT seq, from_at, to_at, intervals, played_sec FROM group_session_plays WHERE session_id = $1 ORDER BY seq`, [
    sessionId,
  ]),
  credit: [...(await recorded(sessionId, lectureId)).entries()].sort(),
});

beforeAll(async () => {
  catalog = await startCatalog();
  editor = await catalog.tokenFor('editor');
  leader = await catalog.tokenFor('member');
  [{ id: leaderId, org_unit_id: unitId }] = (await q(`SELECT id, org_unit_id FROM users WHERE login = 'member'`)) as Array<{
    id: string;
    org_unit_id: string;
  }>;
  const categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body[0].id;
  ({ assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 4));
  // The stream is short; what crediting reads is the length recorded for the media.
  await q(`UPDATE lecture_media SET duration_sec = $2 WHERE asset_id = $1`, [assetId, LECTURE_SEC]);
  const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '集体观看', categoryId });
  expect(course.status).toBe(201);
  courseId = course.body.id;
  await newLecture('第 0 讲');
  expect((await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor))).status).toBeLessThan(300);
}, 180_000);
afterAll(() => catalog.close());

describe('a screen and its attendees', () => {
  it('credits each attendee exactly the overlap of their presence with what played, and the leader nothing', async () => {
    const lectureId = await newLecture('第 1 讲');
    const sessionId = await newSession(lectureId);
    const [stayer, leaver] = await newMembers(2);
    await checkIn(sessionId, [stayer!, leaver!]);
    await age(sessionId, 60);
    const first = await beat(sessionId, 0, [[0, 60]]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ playedSec: 60, presentCount: 2, creditedSec: 120 });
    await age(sessionId, 60);
    // Checked out half-way through the next heartbeat's minute: the check-out is honoured at that heartbeat.
    await checkOut(sessionId, leaver!, 'now() - make_interval(secs => 30)');
    const second = await beat(sessionId, 1, [[60, 120]]);
    expect(second.status).toBe(200);
    expect(second.body.presentCount).toBe(1);

    const expected = await expectedCredit(sessionId);
    const got = await recorded(sessionId, lectureId);
    expect(expected.get(stayer!)).toBe(120);
    expect(expected.get(leaver!)).toBeGreaterThan(60);
    expect(expected.get(leaver!)).toBeLessThan(90.001);
    for (const [userId, seconds] of expected) {
      const row = got.get(userId)!;
      expect(row.attendance_sec).toBeCloseTo(seconds, 6);
      expect(row.progress_sec).toBeCloseTo(seconds, 6);
      expect(row.day_sec).toBeCloseTo(seconds, 6);
      expect(row.collective_sec).toBeCloseTo(seconds, 6);
      expect(measure(row.coverage!.map(([s, e]) => [Math.round(s * 1000), Math.round(e * 1000)] as Ms)) / 1000).toBeCloseTo(seconds, 6);
    }
    expect(got.get(stayer!)!.coverage).toEqual([[0, 120]]);
    expect(second.body.creditedSec).toBeCloseTo(60 + expected.get(leaver!)! - 60, 6);
    // The screen runs as the leader's login; the leader was not checked in and earns nothing from it.
    expect(await q(`SELECT 1 FROM lecture_progress WHERE user_id = $1 AND lecture_id = $2`, [leaderId, lectureId])).toEqual([]);
    expect(await q(`SELECT 1 FROM study_daily WHERE user_id = $1 AND lecture_id = $2`, [leaderId, lectureId])).toEqual([]);

    // Replayed heartbeats (the newest and an older one) change nothing and credit nothing.
    const before = await snapshot(sessionId, lectureId);
    for (const seq of [1, 0, 1]) {
      const again = await beat(sessionId, seq, [[0, 600]]);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ playedSec: 120, presentCount: 1, creditedSec: 0 });
    }
    expect(await snapshot(sessionId, lectureId)).toEqual(before);
  });

  it('credits a member who watched part alone only the rest, and their own heartbeats then earn nothing twice', async () => {
    const lectureId = await newLecture('第 2 讲');
    const [{ id: soloId }] = await q<{ id: string }>(`SELECT id FROM users WHERE login = 'member02'`);
    const solo = await catalog.tokenFor('member02');
    const opened = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(solo));
    expect(opened.status).toBe(201);
    const agePlayback = (seconds: number) =>
      q(
        `UPDATE playback_sessions SET opened_at = opened_at - make_interval(secs => $2), last_accepted_at = last_accepted_at - make_interval(secs => $2) WHERE id = $1`,
        [opened.body.sessionId, seconds],
      );
    await agePlayback(30);
    const alone = await catalog
      .http()
      .post('/api/heartbeats')
      .send(heartbeatBody(opened.body, 1, { intervals: [[0, 30]], position: 30 }));
    expect(alone.body.creditedSec).toBe(30);

    const sessionId = await newSession(lectureId);
    await checkIn(sessionId, [soloId!]);
    await age(sessionId, 60);
    const room = await beat(sessionId, 0, [[0, 60]]);
    expect(room.status).toBe(200);
    expect(room.body.creditedSec).toBe(30);
    const [progress] = await q<{ credited_sec: number; coverage: unknown }>(
      `SELECT credited_sec, coverage FROM lecture_progress WHERE user_id = $1 AND lecture_id = $2`,
      [soloId, lectureId],
    );
    expect(progress).toEqual({ credited_sec: 60, coverage: [[0, 60]] });
    const [day] = await q<{ credited: number; collective: number }>(
      `SELECT sum(credited_sec) AS credited, sum(collective_sec) AS collective FROM study_daily WHERE user_id = $1 AND lecture_id = $2`,
      [soloId, lectureId],
    );
    expect(day).toEqual({ credited: 60, collective: 30 });
    const [attendance] = await q(`SELECT credited_sec, credited_coverage FROM group_session_attendance WHERE session_id = $1`, [sessionId]);
    expect(attendance).toEqual({ credited_sec: 30, credited_coverage: [[30, 60]] });

    // Watching the same minute alone afterwards earns nothing more; a new minute does.
    await agePlayback(70);
    const again = await catalog
      .http()
      .post('/api/heartbeats')
      .send(heartbeatBody(opened.body, 2, { intervals: [[0, 70]], position: 70 }));
    expect(again.body.creditedSec).toBe(10);
    const [after] = await q(`SELECT credited_sec, coverage FROM lecture_progress WHERE user_id = $1 AND lecture_id = $2`, [
      soloId,
      lectureId,
    ]);
    expect(after).toEqual({ credited_sec: 70, coverage: [[0, 70]] });
  });

  it('credits a screen played at 2× with the wall time only', async () => {
    const lectureId = await newLecture('第 3 讲');
    const sessionId = await newSession(lectureId);
    const [viewer] = await newMembers(1);
    await checkIn(sessionId, [viewer!]);
    await age(sessionId, 60);
    expect((await beat(sessionId, 0, [[0, 120]])).status).toBe(200);
    expect((await beat(sessionId, 1, [[120, 240]])).status).toBe(200);
    const [stamps] = await q<{ start_ms: number; clock_ms: number; played_sec: number }>(
      `SELECT ${MS('starts_at')} AS start_ms, ${MS('clock_at')} AS clock_ms, played_sec FROM group_sessions WHERE id = $1`,
      [sessionId],
    );
    expect(stamps!.played_sec).toBeGreaterThanOrEqual(60);
    // Media played ≤ wall time since the screen started + the opening allowance (2 s), as for a single viewer.
    expect(stamps!.played_sec * 1000).toBeLessThanOrEqual(stamps!.clock_ms - stamps!.start_ms + 2000);
    const got = await recorded(sessionId, lectureId);
    expect(got.get(viewer!)!.progress_sec).toBeCloseTo(stamps!.played_sec, 6);
    expect(got.get(viewer!)!.collective_sec).toBeCloseTo(stamps!.played_sec, 6);
  });

  it("bounds a forger's screen claiming hours in a minute by the minute", async () => {
    const lectureId = await newLecture('第 4 讲');
    const sessionId = await newSession(lectureId);
    const [viewer] = await newMembers(1);
    await checkIn(sessionId, [viewer!]);
    await age(sessionId, 60);
    const forged = await beat(sessionId, 0, [[0, 3600]]);
    expect(forged.status).toBe(200);
    const [stamps] = await q<{ start_ms: number; clock_ms: number; played_sec: number }>(
      `SELECT ${MS('starts_at')} AS start_ms, ${MS('clock_at')} AS clock_ms, played_sec FROM group_sessions WHERE id = $1`,
      [sessionId],
    );
    expect(forged.body.playedSec).toBe(stamps!.played_sec);
    expect(stamps!.played_sec * 1000).toBeLessThanOrEqual(stamps!.clock_ms - stamps!.start_ms + 2000);
    expect(stamps!.played_sec).toBeLessThan(120);
    const got = await recorded(sessionId, lectureId);
    expect(got.get(viewer!)!.progress_sec).toBeCloseTo(stamps!.played_sec, 6);
    expect(got.get(viewer!)!.day_sec).toBeCloseTo(stamps!.played_sec, 6);
  });

  it('credits 200 attendees checked in and out at different times exactly, each and in total', async () => {
    const lectureId = await newLecture('第 5 讲');
    const sessionId = await newSession(lectureId);
    const members = await newMembers(200);
    // Four kinds of presence over three heartbeats (0–90 s, 90–150 s, 150–180 s after the start).
    await checkIn(
      sessionId,
      members.filter((_, i) => i % 4 !== 1),
    );
    await checkIn(
      sessionId,
      members.filter((_, i) => i % 4 === 1),
      37,
    );
    for (const [i, id] of members.entries()) {
      if (i % 4 === 2) await checkOut(sessionId, id, `s.starts_at + make_interval(secs => ${10 + (i % 50)})`);
    }
    await age(sessionId, 90);
    const first = await beat(sessionId, 0, [[0, 90]]);
    expect(first.status).toBe(200);
    await age(sessionId, 60);
    for (const [i, id] of members.entries()) if (i % 4 === 3) await checkOut(sessionId, id, `now() - make_interval(secs => ${i % 40})`);
    const second = await beat(sessionId, 1, [[90, 150]]);
    expect(second.status).toBe(200);
    await age(sessionId, 30);
    const third = await beat(sessionId, 2, [[150, 180]]);
    expect(third.status).toBe(200);

    const expected = await expectedCredit(sessionId);
    const got = await recorded(sessionId, lectureId);
    expect(got.size).toBe(200);
    let total = 0;
    for (const id of members) {
      const seconds = expected.get(id)!;
      total += seconds;
      const row = got.get(id)!;
      expect({ id, attendance: row.attendance_sec, day: row.day_sec ?? 0, collective: row.collective_sec ?? 0 }).toEqual({
        id,
        attendance: expect.closeTo(seconds, 6),
        day: expect.closeTo(seconds, 6),
        collective: expect.closeTo(seconds, 6),
      });
    }
    const [sums] = await q<{ attendance: number; daily: number; progress: number }>(
      `SELECT (SELECT sum(credited_sec) FROM group_session_attendance WHERE session_id = $1) AS attendance,
              (SELECT sum(collective_sec) FROM study_daily WHERE lecture_id = $2) AS daily,
              (SELECT sum(credited_sec) FROM lecture_progress WHERE lecture_id = $2) AS progress`,
      [sessionId, lectureId],
    );
    expect(sums!.attendance).toBeCloseTo(total, 3);
    expect(sums!.daily).toBeCloseTo(total, 3);
    expect(sums!.progress).toBeCloseTo(total, 3);
    // Those present throughout have all 180 s; the stayers are a quarter.
    expect(members.filter((_, i) => i % 4 === 0).every((id) => expected.get(id) === 180)).toBe(true);
    // What the three heartbeats answered they credited is the same total.
    expect(first.body.creditedSec + second.body.creditedSec + third.body.creditedSec).toBeCloseTo(total, 3);
  });
});

describe('the same member at once in the room and alone', () => {
  it('never credits the same media twice when the screen and the member’s own player report together', async () => {
    const lectureId = await newLecture('第 7 讲');
    // A demo member of the leader's own group, on the session's roster.
    const [{ id: memberId, login }] = await q<{ id: string; login: string }>(
      `SELECT id, login FROM users WHERE org_unit_id = $1 AND login LIKE 'member_%' AND role = 'member' AND active ORDER BY login LIMIT 1`,
      [unitId],
    );
    const own = await catalog.tokenFor(login!);
    // The leader starts the viewing and the member checks in with the screen's code, as in the room.
    const started = await catalog.http().post('/api/group-sessions/collective').set(as(leader)).send({ lectureId, unitId });
    expect(started.status).toBe(201);
    const sessionId = started.body.id as string;
    const code = await catalog.http().get(`/api/group-sessions/${sessionId}/code`).set(as(leader));
    expect(code.status).toBe(200);
    const checkedIn = await catalog.http().post('/api/group-sessions/checkin').set(as(own)).send({ code: code.body.code, sessionId });
    expect(checkedIn.status).toBeLessThan(300);
    const opened = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(own));
    expect(opened.status).toBe(201);
    const agePlayback = (seconds: number) =>
      q(
        `UPDATE playback_sessions SET opened_at = opened_at - make_interval(secs => $2), last_accepted_at = last_accepted_at - make_interval(secs => $2) WHERE id = $1`,
        [opened.body.sessionId, seconds],
      );
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      await age(sessionId, 20);
      await agePlayback(20);
      const media: [number, number] = [round * 20, round * 20 + 20];
      const [room, alone] = await Promise.all([
        beat(sessionId, round, [media]),
        catalog
          .http()
          .post('/api/heartbeats')
          .send(heartbeatBody(opened.body, round + 1, { intervals: [media], position: media[1] })),
      ]);
      expect(room.status).toBe(200);
      expect(alone.status).toBe(200);
    }
    const [progress] = await q<{ credited_sec: number; covered_sec: number; coverage: unknown }>(
      `SELECT credited_sec, covered_sec, coverage FROM lecture_progress WHERE user_id = $1 AND lecture_id = $2`,
      [memberId, lectureId],
    );
    const [day] = await q<{ credited: number; collective: number }>(
      `SELECT sum(credited_sec) AS credited, sum(collective_sec) AS collective FROM study_daily WHERE user_id = $1 AND lecture_id = $2`,
      [memberId, lectureId],
    );
    const [attendance] = await q<{ credited_sec: number }>(
      `SELECT credited_sec FROM group_session_attendance WHERE session_id = $1 AND user_id = $2`,
      [sessionId, memberId],
    );
    // Every second of the 160 played once, whichever path credited it; the day holds exactly what progress holds.
    expect(progress!.coverage).toEqual([[0, rounds * 20]]);
    expect(progress!.credited_sec).toBeCloseTo(rounds * 20, 6);
    expect(day!.credited).toBeCloseTo(rounds * 20, 6);
    expect(day!.collective).toBeCloseTo(attendance!.credited_sec, 6);

    // A check-out through the member's own page ends their share at the next heartbeat.
    expect((await catalog.http().post(`/api/group-sessions/${sessionId}/checkout`).set(as(own))).status).toBe(200);
    await age(sessionId, 20);
    const after = await beat(sessionId, rounds, [[rounds * 20, rounds * 20 + 20]]);
    expect(after.body).toMatchObject({ presentCount: 0, creditedSec: 0 });
  });
});

describe('who runs the screen, and when it stops', () => {
  let lectureId: string;
  let sessionId: string;
  beforeAll(async () => {
    lectureId = await newLecture('第 6 讲');
    sessionId = await newSession(lectureId);
  });

  it('gives the screen signed media links, without opening a playback session for the leader', async () => {
    const stream = await catalog.http().post(`/api/group-sessions/${sessionId}/stream`).set(as(leader));
    expect(stream.status).toBe(200);
    expect(stream.body).toMatchObject({ sessionId, lectureId, durationSec: LECTURE_SEC, kind: 'video' });
    expect(stream.body.masterUrl).toMatch(new RegExp(`^/hls/[^/]+/${assetId}/master\\.m3u8$`));
    expect(stream.body.lowestUrl).toMatch(/\.m3u8$/);
    expect(stream.body.renditions.length).toBeGreaterThan(0);
    expect(await q(`SELECT 1 FROM playback_sessions WHERE user_id = $1 AND lecture_id = $2`, [leaderId, lectureId])).toEqual([]);
    // The links play while the session is live.
    const master = await catalog.http().get(stream.body.masterUrl);
    expect(master.status).toBe(200);
    expect(master.text).toContain('#EXTM3U');
  });

  it('refuses others, unknown sessions and malformed heartbeats, each saying why', async () => {
    const [outsider] = await q<{ id: string }>(
      `INSERT INTO users (login, name, role, org_unit_id, password_hash)
       SELECT 'collective-outsider', '旁人', 'member', id, $1 FROM org_units WHERE path <> (SELECT path FROM org_units WHERE id = $2)
          AND path NOT LIKE (SELECT path FROM org_units WHERE id = $2) || '/%' ORDER BY length(path) DESC LIMIT 1 RETURNING id`,
      [await hashPassword(DEMO_PASSWORD), unitId],
    );
    expect(outsider).toBeDefined();
    const stranger = await catalog.tokenFor('collective-outsider');
    const refused = await beat(sessionId, 0, [[0, 10]], stranger);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('leader');
    expect((await catalog.http().post(`/api/group-sessions/${sessionId}/stream`).set(as(stranger))).status).toBe(403);
    const unknown = await beat('00000000-0000-4000-8000-000000000000', 0, [[0, 10]]);
    expect(unknown.status).toBe(404);
    for (const body of [
      { seq: -1, intervals: [], position: 0 },
      { seq: 0, intervals: [[5, 1]], position: 0 },
      { seq: 0, position: 0 },
    ]) {
      const bad = await catalog.http().post(`/api/group-sessions/${sessionId}/heartbeats`).set(as(leader)).send(body);
      expect(bad.status).toBe(400);
    }
  });

  it('answers 409 with a clear message once the session has ended, and credits nothing more', async () => {
    const [viewer] = await newMembers(1);
    await checkIn(sessionId, [viewer!]);
    await age(sessionId, 10);
    expect((await beat(sessionId, 0, [[0, 10]])).body.creditedSec).toBe(10);
    const links = await catalog.http().post(`/api/group-sessions/${sessionId}/stream`).set(as(leader));
    expect(links.status).toBe(200);
    const ended = await catalog.http().post(`/api/group-sessions/${sessionId}/end`).set(as(leader));
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('ended');
    await age(sessionId, 10);
    const late = await beat(sessionId, 1, [[10, 20]]);
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('has ended');
    expect((await catalog.http().post(`/api/group-sessions/${sessionId}/stream`).set(as(leader))).status).toBe(409);
    // Links handed out before the end stop working once the media server's cached check of the session lapses.
    for (;;) {
      const media = await catalog.http().get(links.body.masterUrl);
      if (media.status === 403) break;
      expect(media.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect((await recorded(sessionId, lectureId)).get(viewer!)!.progress_sec).toBe(10);
  });
});
