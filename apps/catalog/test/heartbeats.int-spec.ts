import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createLogger } from '#logging';
import { createCatalogApp } from '../src/catalog.app.js';
import { arrayLiteral } from '../src/study/heartbeat.repository.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { heartbeatBody } from '../../../test/support/heartbeats.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

let catalog: CatalogHarness;
let member: string;
let lectureId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

interface Session {
  sessionId: string;
  heartbeatToken: string;
  resumePositionSec: number;
  creditedSec: number;
}

const open = async (token = member): Promise<Session> =>
  (await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(token))).body;
/** Moves the session's clock back, as if `seconds` had passed since its last accepted heartbeat. */
const age = (session: Session, seconds: number) =>
  catalog.dataSource.query(
    `UPDATE playback_sessions SET opened_at = opened_at - make_interval(secs => $2),
            last_accepted_at = last_accepted_at - make_interval(secs => $2) WHERE id = $1`,
    [session.sessionId, seconds],
  );
/** Moves the session's supersession back past the grace its late heartbeats get. */
const supersededLongAgo = (session: Session) =>
  catalog.dataSource.query(`UPDATE playback_sessions SET superseded_at = superseded_at - interval '31 seconds' WHERE id = $1`, [
    session.sessionId,
  ]);
const beat = (session: Session, seq: number, fields: Record<string, unknown> = {}, via = catalog.http) =>
  via()
    .post('/api/heartbeats')
    .send(heartbeatBody(session, seq, fields));
const progress = async () =>
  (
    await catalog.dataSource.query(
      `SELECT credited_sec, coverage, last_position_sec, completed_at FROM lecture_progress WHERE lecture_id = $1`,
      [lectureId],
    )
  )[0];
const dailyTotal = async () =>
  Number(
    (await catalog.dataSource.query(`SELECT coalesce(sum(credited_sec), 0) AS s FROM study_daily WHERE lecture_id = $1`, [lectureId]))[0].s,
  );

beforeAll(async () => {
  catalog = await startCatalog();
  const editor = await catalog.tokenFor('editor');
  member = await catalog.tokenFor('member');
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: 'Heartbeats', categoryId: categories.body[0].id });
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 120);
  lectureId = (await catalog.http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title: 'L1', assetId })).body.id;
  await catalog.http().post(`/api/courses/${course.body.id}/publish`).set(as(editor));
}, 120_000);
afterAll(() => catalog.close());
beforeEach(async () => {
  await catalog.dataSource.query(`DELETE FROM lecture_progress; DELETE FROM study_daily;`);
});

describe('crediting', () => {
  it('credits what was played, bounded by the server clock, and keeps the position for resume', async () => {
    const session = await open();
    await age(session, 10);
    const answer = await beat(session, 1, { intervals: [[0, 10]], position: 10 });
    expect(answer.status).toBe(200);
    expect(answer.body.creditedSec).toBeCloseTo(10, 1);
    expect(answer.body.lectureCreditedSec).toBeCloseTo(10, 1);
    expect((await progress()).credited_sec).toBeCloseTo(10, 1);
    expect(await dailyTotal()).toBeCloseTo(10, 1);
    const again = await open();
    expect(again.resumePositionSec).toBe(10);
    expect(again.creditedSec).toBeCloseTo(10, 1);
  });

  it('answers a repeated seq with the same answer and no credit, and an older one already answered with no credit', async () => {
    const session = await open();
    await age(session, 10);
    const first = await beat(session, 5, { intervals: [[0, 8]], position: 8 });
    await age(session, 10);
    const replay = await beat(session, 5, { intervals: [[8, 18]], position: 18 });
    expect(replay.body).toEqual(first.body);
    // seq 2 had not arrived: it is credited once, and its repeat, or a seq behind the window, is not.
    expect((await beat(session, 2, { intervals: [[20, 25]], position: 25 })).body.creditedSec).toBe(5);
    const older = await beat(session, 2, { intervals: [[30, 35]], position: 35 });
    expect(older.status).toBe(200);
    expect(older.body).toMatchObject({ seq: 2, creditedSec: 0, lectureCreditedSec: 13, position: 8 });
    await age(session, 10);
    expect((await beat(session, 40, { intervals: [[40, 41]], position: 41 })).body.creditedSec).toBe(1);
    expect((await beat(session, 3, { intervals: [[50, 55]], position: 55 })).body.creditedSec).toBe(0);
    expect((await progress()).credited_sec).toBeCloseTo(14, 6);
  });

  it('earns at most the wall-clock time for a claim of 600 s in 10 s, and real time at 2× speed', async () => {
    const session = await open();
    await age(session, 10);
    const greedy = await beat(session, 1, { intervals: [[0, 120]], position: 120, playbackRate: 4 });
    expect(greedy.body.creditedSec).toBeGreaterThanOrEqual(10);
    await age(session, 10);
    const fast = await beat(session, 2, { intervals: [[20, 40]], position: 40, playbackRate: 2 });
    expect(fast.body.creditedSec).toBeGreaterThanOrEqual(10);
    // Never more than the server's time since the session opened, plus the 2 s it opens with.
    const [row] = await catalog.dataSource.query(
      `SELECT (extract(epoch FROM last_accepted_at - opened_at) * 1000)::float8 AS wall_ms FROM playback_sessions WHERE id = $1`,
      [session.sessionId],
    );
    expect((greedy.body.creditedSec + fast.body.creditedSec) * 1000).toBeLessThanOrEqual(row.wall_ms + 2_000 + 1);
  });

  it('credits an overlapping rewatch once, and hidden pages nothing', async () => {
    const session = await open();
    await age(session, 30);
    await beat(session, 1, { intervals: [[0, 20]] });
    await age(session, 30);
    const rewatch = await beat(session, 2, { intervals: [[10, 25]] });
    expect(rewatch.body.creditedSec).toBeCloseTo(5, 1);
    await age(session, 30);
    const hidden = await beat(session, 3, { intervals: [[30, 50]], visible: false });
    expect(hidden.body.creditedSec).toBe(0);
    expect((await progress()).credited_sec).toBeCloseTo(25, 1);
    expect(await dailyTotal()).toBeCloseTo(25, 1);
  });

  it('completes the lecture at 95 % coverage', async () => {
    const session = await open();
    await age(session, 200);
    const answer = await beat(session, 1, { intervals: [[0, 115]], position: 115, event: 'ended' });
    expect(answer.body.completed).toBe(true);
    expect((await progress()).completed_at).not.toBeNull();
  });

  it('accepts a sendBeacon body sent as text/plain', async () => {
    const session = await open();
    await age(session, 10);
    const body = JSON.stringify({
      sessionId: session.sessionId,
      token: session.heartbeatToken,
      seq: 1,
      intervals: [[0, 5]],
      position: 5,
      playbackRate: 1,
      visible: true,
      event: 'hide',
    });
    const answer = await catalog.http().post('/api/heartbeats').set('Content-Type', 'text/plain;charset=UTF-8').send(body);
    expect(answer.status).toBe(200);
    expect(answer.body.creditedSec).toBeCloseTo(5, 1);
  });

  it('credits many sessions arriving at once, exactly once each', async () => {
    const others = await catalog.dataSource.query(`SELECT login FROM users WHERE role = 'member' AND active ORDER BY login LIMIT 12`);
    const sessions = await Promise.all(others.map(async ({ login }: { login: string }) => open(await catalog.tokenFor(login))));
    await Promise.all(sessions.map((s) => age(s, 10)));
    const answers = await Promise.all(sessions.map((s) => beat(s, 1, { intervals: [[0, 6]], position: 6 })));
    expect(answers.map((a) => a.status)).toEqual(sessions.map(() => 200));
    expect(await dailyTotal()).toBeCloseTo(6 * sessions.length, 1);
  });
});

describe('the commit input', () => {
  it('reaches PostgreSQL exactly as the values it was built from', async () => {
    const json = ['[[0,12.5],[30,31.25]]', '{"quote":"\\"","backslash":"\\\\"}', null];
    const floats = [0, -1.5, 0.1 + 0.2, 5e-324, 1.7976931348623157e308];
    const ids = ['3f2b8a4e-0c1d-4e5f-9a7b-1c2d3e4f5a6b', null];
    const [row] = await catalog.dataSource.query(
      `SELECT $1::jsonb[] AS json, $2::float8[] AS floats, $3::uuid[] AS ids, $4::boolean[] AS flags`,
      [arrayLiteral(json, true), arrayLiteral(floats, false), arrayLiteral(ids, false), arrayLiteral([true, false], false)],
    );
    expect(row.json).toEqual(json.map((text) => (text === null ? null : JSON.parse(text))));
    expect(row.floats).toEqual(floats);
    expect(row.ids).toEqual(ids);
    expect(row.flags).toEqual([true, false]);
  });
});

describe('refusals', () => {
  it.each([
    [{ seq: 'one' }, 'seq'],
    [{ seq: -1 }, 'seq'],
    [{ seq: 2 ** 53 }, 'seq'],
    [{ seq: 2 ** 31 }, 'seq'],
    [{ intervals: [[0, Number.NaN]] }, 'intervals'],
    [{ intervals: [[-5, 3]] }, 'intervals'],
    [{ intervals: [[9, 4]] }, 'intervals'],
    [{ playbackRate: 16 }, 'playbackRate'],
    [{ event: 'dance' }, 'event'],
    [{ visible: 'yes' }, 'visible'],
  ])('answers %j with 400 and changes nothing', async (fields, field) => {
    const session = await open();
    await age(session, 10);
    const answer = await beat(session, 1, { intervals: [[0, 5]], ...fields });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(field);
    expect(await progress()).toBeUndefined();
  });

  it('answers 409 to the older session once a newer one opens and its grace has passed', async () => {
    const older = await open();
    await open();
    await supersededLongAgo(older);
    const answer = await beat(older, 1, { intervals: [[0, 1]] });
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('another screen');
  });

  it('answers 403 to a heartbeat signed for another session', async () => {
    const a = await open();
    const b = await open();
    const answer = await beat({ ...b, heartbeatToken: a.heartbeatToken }, 1);
    expect(answer.status).toBe(403);
  });

  it('answers a flood with 429', async () => {
    const session = await open();
    const statuses: number[] = [];
    for (let seq = 1; seq <= 30; seq++) statuses.push((await beat(session, seq)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses).toContain(429);
  });
});

describe('a deactivated member', () => {
  it('stops earning at once: the open session answers 403, and what was earned before stays', async () => {
    const [{ id, login }] = await catalog.dataSource.query(
      `SELECT id, login FROM users WHERE role = 'member' AND active AND org_unit_id = (SELECT org_unit_id FROM users WHERE login = 'member') AND login <> 'member' ORDER BY login LIMIT 1`,
    );
    const admin = await catalog.tokenFor('admin');
    const session = await open(await catalog.tokenFor(login));
    await age(session, 10);
    expect((await beat(session, 1, { intervals: [[0, 5]], position: 5 })).status).toBe(200);
    try {
      const deactivated = await catalog.http().patch(`/api/members/${id}`).set(as(admin)).send({ active: false });
      expect(deactivated.status).toBe(200);
      await age(session, 10);
      const answer = await beat(session, 2, { intervals: [[5, 10]], position: 10 });
      expect(answer.status).toBe(403);
      expect(answer.body.message).toContain('deactivated');
      expect(await dailyTotal()).toBeCloseTo(5, 3);
      // Reactivating does not revive the old session: the member opens the lecture again.
      await catalog.http().patch(`/api/members/${id}`).set(as(admin)).send({ active: true });
      expect((await beat(session, 3, { intervals: [[10, 15]], position: 15 })).status).toBe(403);
    } finally {
      await catalog.dataSource.query(`UPDATE users SET active = true WHERE id = $1`, [id]);
    }
  });
});

describe('the in-memory session state', () => {
  it('answers 409 to a session that was crediting when a newer screen opened', async () => {
    const older = await open();
    await age(older, 10);
    expect((await beat(older, 1, { intervals: [[0, 5]], position: 5 })).status).toBe(200);
    await open();
    await age(older, 10);
    await supersededLongAgo(older);
    const answer = await beat(older, 2, { intervals: [[5, 10]], position: 10 });
    expect(answer.status).toBe(409);
    expect((await progress()).credited_sec).toBeCloseTo(5, 3);
  });

  it('does not bring back progress that was reset in the database', async () => {
    const session = await open();
    await age(session, 20);
    expect((await beat(session, 1, { intervals: [[0, 10]], position: 10 })).body.lectureCreditedSec).toBeCloseTo(10, 1);
    await catalog.dataSource.query(`DELETE FROM lecture_progress; DELETE FROM study_daily;`);
    await age(session, 10);
    const answer = await beat(session, 2, { intervals: [[10, 14]], position: 14 });
    expect(answer.status).toBe(200);
    expect(answer.body.creditedSec).toBeCloseTo(4, 1);
    expect(answer.body.lectureCreditedSec).toBeCloseTo(4, 1);
    expect((await progress()).credited_sec).toBeCloseTo(4, 1);
    expect(await dailyTotal()).toBeCloseTo(4, 1);
  });

  it('credits the same heartbeat sent five times at once exactly once, with one answer', async () => {
    const session = await open();
    await age(session, 60);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => beat(session, 1, { intervals: [[0, 4]], position: 4 })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(answers[0].body.creditedSec).toBeCloseTo(4, 3);
    expect((await progress()).credited_sec).toBeCloseTo(4, 3);
    expect(await dailyTotal()).toBeCloseTo(4, 3);
  });

  it('credits a session exactly once when two catalog processes take its heartbeats in turn', async () => {
    const second = await createCatalogApp(catalog.env, createLogger('catalog', 'silent'));
    await second.init();
    try {
      const session = await open();
      const via = [catalog.http, () => request(second.getHttpServer())];
      const answers = [];
      for (let seq = 1; seq <= 6; seq++) {
        await age(session, 10);
        const answer = await beat(session, seq, { intervals: [[(seq - 1) * 5, seq * 5]], position: seq * 5 }, via[seq % 2]);
        expect(answer.status).toBe(200);
        answers.push(answer.body);
      }
      // Each process had a stale copy of the session every other time; each answer still continues the last.
      answers.forEach((answer, i) => expect(answer.lectureCreditedSec).toBeCloseTo(5 * (i + 1), 3));
      expect((await progress()).credited_sec).toBeCloseTo(30, 3);
      expect(await dailyTotal()).toBeCloseTo(30, 3);
      const [row] = await catalog.dataSource.query(`SELECT last_seq, credited_sec FROM playback_sessions WHERE id = $1`, [
        session.sessionId,
      ]);
      expect(row).toEqual({ last_seq: 6, credited_sec: 30 });
    } finally {
      await second.close();
    }
  });
});

describe('when PostgreSQL is slow or will not take a write', () => {
  /** A trigger that delays, fails or skips one member's rows, as a busy disk, a broken row or a concurrent writer would. */
  const withTrigger = async (name: string, table: string, body: string, test: () => Promise<void>) => {
    await catalog.dataSource.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} END $$`);
    await catalog.dataSource.query(`CREATE TRIGGER ${name} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    try {
      await test();
    } finally {
      await catalog.dataSource.query(`DROP TRIGGER ${name} ON ${table}; DROP FUNCTION ${name}();`);
    }
  };
  const members = async (count = 8) => {
    const logins: Array<{ login: string }> = await catalog.dataSource.query(
      `SELECT login FROM users WHERE role = 'member' AND active ORDER BY login LIMIT $1`,
      [count],
    );
    return Promise.all(
      logins.map(async ({ login }) => {
        const session = await open(await catalog.tokenFor(login));
        await age(session, 10);
        const [{ user_id }] = await catalog.dataSource.query(`SELECT user_id FROM playback_sessions WHERE id = $1`, [session.sessionId]);
        return { session, userId: user_id as string };
      }),
    );
  };
  const play = (session: Session) => beat(session, 1, { intervals: [[0, 5]], position: 5 });

  it("fails only the heartbeat whose row is refused; the others sent with it are credited, and the refused one's resend is", async () => {
    const viewers = await members();
    const refused = viewers[3]!;
    await withTrigger(
      'refuse_one_member',
      'study_daily',
      `IF NEW.user_id = '${refused.userId}' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '23514'; END IF; RETURN NEW;`,
      async () => {
        const answers = await Promise.all(viewers.map(({ session }) => play(session)));
        expect(answers.map((a) => a.status)).toEqual(viewers.map((v) => (v === refused ? 500 : 200)));
        expect(answers[3]!.body.message).toContain('will send it again');
        expect(await dailyTotal()).toBeCloseTo(5 * (viewers.length - 1), 3);
        const rows = await catalog.dataSource.query(`SELECT 1 FROM lecture_progress WHERE user_id = $1`, [refused.userId]);
        expect(rows).toEqual([]);
      },
    );
    // Nothing of the refused heartbeat was kept, so the player's resend of it is credited in full.
    const resent = await play(refused.session);
    expect(resent.status).toBe(200);
    expect(resent.body.creditedSec).toBeCloseTo(5, 1);
    expect(await dailyTotal()).toBeCloseTo(5 * viewers.length, 1);
  });

  it('answers 503 to a session that changes under every attempt to save it, and credits nothing twice', async () => {
    const [viewer, other] = await members();
    await withTrigger(
      'skip_one_session',
      'playback_sessions',
      `IF TG_OP = 'UPDATE' AND NEW.id = '${viewer!.session.sessionId}' THEN RETURN NULL; END IF; RETURN NEW;`,
      async () => {
        const [skipped, fine] = await Promise.all([play(viewer!.session), play(other!.session)]);
        expect(skipped.status).toBe(503);
        expect(skipped.body.message).toContain('will send it again');
        expect(fine.status).toBe(200);
        expect(await dailyTotal()).toBeCloseTo(5, 3);
      },
    );
    const resent = await play(viewer!.session);
    expect(resent.status).toBe(200);
    expect(resent.body.creditedSec).toBeCloseTo(5, 1);
    expect(await dailyTotal()).toBeCloseTo(10, 1);
  });

  it('commits the heartbeats of other members while a slow batch is still committing, and holds back the slow session until it lands', async () => {
    const [slow, ...others] = await members(28);
    expect(others.length).toBe(27);
    await withTrigger(
      'slow_first_beat',
      'playback_sessions',
      `IF TG_OP = 'UPDATE' AND NEW.id = '${slow!.session.sessionId}' AND NEW.last_seq = 1 THEN PERFORM pg_sleep(0.6); END IF; RETURN NEW;`,
      async () => {
        const answeredAt = new Map<string, number>();
        const timed = (name: string, sent: PromiseLike<request.Response>) =>
          Promise.resolve(sent).then((answer) => {
            answeredAt.set(name, performance.now());
            return answer;
          });
        const first = timed('slow seq 1', play(slow!.session));
        await new Promise((resolve) => setTimeout(resolve, 150));
        const second = timed('slow seq 2', beat(slow!.session, 2, { intervals: [[5, 10]], position: 10 }));
        const rest = await Promise.all(others.map(({ session }, i) => timed(`other ${i}`, play(session))));
        const [one, two] = await Promise.all([first, second]);

        expect(rest.map((a) => a.status)).toEqual(others.map(() => 200));
        expect([one.status, two.status]).toEqual([200, 200]);
        // The others did not wait for the slow commit: a second batch went while the first was still in PostgreSQL.
        const slowAnswered = answeredAt.get('slow seq 1')!;
        for (let i = 0; i < others.length; i++) expect(answeredAt.get(`other ${i}`)!).toBeLessThan(slowAnswered);
        // The slow session's next heartbeat waited for its first to land, and was credited on top of it.
        expect(answeredAt.get('slow seq 2')!).toBeGreaterThan(slowAnswered);
        expect(one.body.lectureCreditedSec).toBeCloseTo(5, 3);
        expect(two.body.creditedSec).toBeGreaterThan(0);
        expect(two.body.lectureCreditedSec).toBeCloseTo(5 + two.body.creditedSec, 3);
        const [row] = await catalog.dataSource.query(`SELECT credited_sec FROM lecture_progress WHERE user_id = $1`, [slow!.userId]);
        expect(row.credited_sec).toBeCloseTo(two.body.lectureCreditedSec, 3);
        expect(await dailyTotal()).toBeCloseTo(5 * others.length + two.body.lectureCreditedSec, 3);
      },
    );
  });
});

describe('another transaction crediting the member at the same moment', () => {
  it('waits for its first progress row, never deadlocks on the day row, and credits each second once', async () => {
    const session = await open();
    await age(session, 20);
    const [{ user_id: userId }] = await catalog.dataSource.query(`SELECT user_id FROM playback_sessions WHERE id = $1`, [
      session.sessionId,
    ]);
    const other = catalog.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction('READ COMMITTED');
      const [{ pid }] = await other.query(`SELECT pg_backend_pid() AS pid`);
      // As a collective viewing does: the member's first progress on the lecture, created in its transaction…
      await other.query(`INSERT INTO lecture_progress (user_id, lecture_id, duration_sec) VALUES ($1, $2, 120)`, [userId, lectureId]);
      const answered = Promise.resolve(beat(session, 1, { intervals: [[0, 20]], position: 20 }));
      // …the heartbeat's write waits on that row…
      for (;;) {
        const [{ n }] = await catalog.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
          [pid],
        );
        if (n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // …while the other goes on to the member's day and credits 0–10 s, as the room's screen would.
      await other.query(
        `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec, collective_sec)
         VALUES ($1, $2, (now() AT TIME ZONE $3)::date, 10, 10)`,
        [userId, lectureId, catalog.env.STUDY_TIME_ZONE],
      );
      await other.query(
        `UPDATE lecture_progress SET coverage = '[[0, 10]]', credited_sec = 10, covered_sec = 10 WHERE user_id = $1 AND lecture_id = $2`,
        [userId, lectureId],
      );
      await other.commitTransaction();

      const answer = await answered;
      expect(answer.status).toBe(200);
      // The heartbeat was credited on top of the other's 10 s: only 10–20 s was new.
      expect(answer.body.creditedSec).toBeCloseTo(10, 1);
      const row = await progress();
      expect(row.coverage).toEqual([[0, 20]]);
      expect(row.credited_sec).toBeCloseTo(20, 1);
      expect(await dailyTotal()).toBeCloseTo(20, 1);
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
  });
});
