import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_CREDIT_POLICY } from '#watch';
import { SESSION_CHECK_TTL_MS } from '../src/playback/playback-sessions.js';
import { playbackKey, signPlaybackToken } from '../src/playback/playback-token.js';
import { startCatalog, TEST_JWT_SECRET, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { heartbeatBody } from '../../../test/support/heartbeats.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

/**
 * The crediting rules end to end, measured against the server's clock: every bound is checked
 * against the times the server stamped (opened_at, last_accepted_at, superseded_at), and time is
 * made to pass by moving those stamps back, so nothing here depends on how fast the machine is.
 */

let catalog: CatalogHarness;
let member: string;
let editor: string;
let assetId: string;
let categoryId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

interface Session {
  sessionId: string;
  heartbeatToken: string;
  resumePositionSec: number;
  masterUrl: string;
}

const newLecture = async (title: string) => {
  const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title, categoryId });
  expect(course.status).toBe(201);
  const lecture = await catalog
    .http()
    .post(`/api/courses/${course.body.id}/lectures`)
    .set(as(editor))
    .send({ title: `${title} 1`, assetId });
  expect(lecture.status).toBe(201);
  expect((await catalog.http().post(`/api/courses/${course.body.id}/publish`).set(as(editor))).status).toBeLessThan(300);
  return { courseId: course.body.id as string, lectureId: lecture.body.id as string };
};
const open = async (lectureId: string, token = member): Promise<Session> => {
  const answer = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(token));
  expect(answer.status).toBe(201);
  return answer.body;
};
/** Moves the session's stamps back, as if `seconds` had passed since it opened and since its last accepted heartbeat. */
const age = (session: Session, seconds: number) =>
  catalog.dataSource.query(
    `UPDATE playback_sessions SET opened_at = opened_at - make_interval(secs => $2),
            last_accepted_at = last_accepted_at - make_interval(secs => $2) WHERE id = $1`,
    [session.sessionId, seconds],
  );
const ageSupersession = (session: Session, seconds: number) =>
  catalog.dataSource.query(`UPDATE playback_sessions SET superseded_at = superseded_at - make_interval(secs => $2) WHERE id = $1`, [
    session.sessionId,
    seconds,
  ]);

const beat = (session: Session, seq: number, fields: Record<string, unknown> = {}, path = '/api/heartbeats') =>
  catalog
    .http()
    .post(path)
    .send(heartbeatBody(session, seq, fields));
/** The session's stamps in ms and its credit, as the server recorded them. */
const stamps = async (session: Session) => {
  const [row] = await catalog.dataSource.query(
    `SELECT (extract(epoch FROM opened_at) * 1000)::float8 AS opened, (extract(epoch FROM last_accepted_at) * 1000)::float8 AS clock,
            (extract(epoch FROM superseded_at) * 1000)::float8 AS superseded, credited_sec, end_reason
       FROM playback_sessions WHERE id = $1`,
    [session.sessionId],
  );
  return row as { opened: number; clock: number | null; superseded: number | null; credited_sec: number; end_reason: string | null };
};
const credited = async (lectureId: string) =>
  Number(
    (await catalog.dataSource.query(`SELECT coalesce(sum(credited_sec), 0) AS s FROM study_daily WHERE lecture_id = $1`, [lectureId]))[0].s,
  );
const ALLOWANCE_MS = DEFAULT_CREDIT_POLICY.openingAllowanceSec * 1000;

let lecture: { courseId: string; lectureId: string };
let other: { courseId: string; lectureId: string };

beforeAll(async () => {
  catalog = await startCatalog();
  editor = await catalog.tokenFor('editor');
  member = await catalog.tokenFor('member');
  categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body[0].id;
  ({ assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 120));
  lecture = await newLecture('Crediting');
  other = await newLecture('Crediting, next');
}, 120_000);
afterAll(() => catalog.close());
beforeEach(async () => {
  await catalog.dataSource.query(`DELETE FROM lecture_progress; DELETE FROM study_daily;`);
});

describe('switching lectures', () => {
  it("credits the old page's last heartbeat that arrives after the next lecture opened, up to the moment it was superseded", async () => {
    const first = await open(lecture.lectureId);
    await age(first, 18);
    expect((await beat(first, 1, { intervals: [[0, 10]], position: 10 })).body.creditedSec).toBe(10);
    await open(other.lectureId);
    const last = await beat(first, 2, { intervals: [[10, 18]], position: 18, event: 'pause' });
    // Credited, and still told that study time is counted on the other screen now.
    expect(last.status).toBe(409);
    expect(last.body.message).toContain('was counted');
    expect(await credited(lecture.lectureId)).toBeCloseTo(18, 6);
    expect((await stamps(first)).credited_sec).toBeCloseTo(18, 6);
  });

  it('bounds what a superseded session is credited by its own clock up to the supersession', async () => {
    const first = await open(lecture.lectureId);
    await age(first, 5);
    await open(other.lectureId);
    const greedy = await beat(first, 1, { intervals: [[0, 100]], position: 100 });
    expect(greedy.status).toBe(409);
    const s = await stamps(first);
    expect(s.clock).not.toBeNull();
    expect(s.clock!).toBeLessThanOrEqual(s.superseded! + 1);
    expect(s.credited_sec).toBeGreaterThanOrEqual(5);
    expect(s.credited_sec * 1000).toBeLessThanOrEqual(s.superseded! - s.opened + ALLOWANCE_MS + 1);
    expect(await credited(lecture.lectureId)).toBeCloseTo(s.credited_sec, 6);
  });

  it('answers 409 once the grace after the supersession has passed', async () => {
    const first = await open(lecture.lectureId);
    await age(first, 20);
    await open(other.lectureId);
    await ageSupersession(first, DEFAULT_CREDIT_POLICY.supersededGraceSec + 1);
    const late = await beat(first, 1, { intervals: [[0, 10]], position: 10 });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('another screen');
    expect(late.body.message).not.toContain('was counted');
    expect(await credited(lecture.lectureId)).toBe(0);
  });
});

describe('heartbeats out of order', () => {
  it('credits a heartbeat that arrives after a newer one, once', async () => {
    const session = await open(lecture.lectureId);
    await age(session, 30);
    expect((await beat(session, 1, { intervals: [[0, 10]], position: 10 })).body.creditedSec).toBe(10);
    // seq 3 (a pause 1.3 s into the next tick) overtakes seq 2 (the tick, delayed by the network).
    expect((await beat(session, 3, { intervals: [[20, 21.3]], position: 21.3, event: 'pause' })).body.creditedSec).toBe(1.3);
    const late = await beat(session, 2, { intervals: [[10, 20]], position: 20 });
    expect(late.status).toBe(200);
    expect(late.body.creditedSec).toBe(10);
    expect(late.body.lectureCreditedSec).toBeCloseTo(21.3, 6);
    // The late one does not move the saved position back.
    expect(late.body.position).toBe(21.3);
    const repeated = await beat(session, 2, { intervals: [[10, 20]], position: 20 });
    expect(repeated.status).toBe(200);
    expect(repeated.body.creditedSec).toBe(0);
    const newest = await beat(session, 3, { intervals: [[20, 21.3]], position: 21.3, event: 'pause' });
    expect(newest.body).toMatchObject({ seq: 3, creditedSec: 1.3 });
    expect(await credited(lecture.lectureId)).toBeCloseTo(21.3, 6);
  });
});

describe('the wall-clock bound over a session', () => {
  it('credits 2× playback with real time, never more than the wall time since the session opened plus 2 s', async () => {
    const session = await open(lecture.lectureId);
    for (let seq = 1; seq <= 6; seq++) {
      await age(session, 10);
      const answer = await beat(session, seq, { intervals: [[(seq - 1) * 20, seq * 20]], position: seq * 20, playbackRate: 2 });
      expect(answer.status).toBe(200);
    }
    const s = await stamps(session);
    const total = await credited(lecture.lectureId);
    expect(total).toBeGreaterThanOrEqual(60);
    expect(total * 1000).toBeLessThanOrEqual(s.clock! - s.opened + ALLOWANCE_MS + 1);
    expect(s.credited_sec).toBeCloseTo(total, 6);
  });
});

describe('inactivity', () => {
  it('ends a session silent for over 10 minutes: its heartbeats answer 410 and earn nothing', async () => {
    const session = await open(lecture.lectureId);
    await age(session, DEFAULT_CREDIT_POLICY.inactivitySec + 1);
    const answer = await beat(session, 1, { intervals: [[0, 120]], position: 120 });
    expect(answer.status).toBe(410);
    expect(answer.body.message).toContain('Reopen the lecture');
    expect(await credited(lecture.lectureId)).toBe(0);
    // A new session counts again.
    const next = await open(lecture.lectureId);
    await age(next, 10);
    expect((await beat(next, 1, { intervals: [[0, 10]], position: 10 })).body.creditedSec).toBe(10);
  });

  it('bounds one heartbeat after a long silence by the silence', async () => {
    const session = await open(lecture.lectureId);
    await age(session, 5);
    await beat(session, 1, { intervals: [[0, 5]], position: 5 });
    await age(session, 60);
    const answer = await beat(session, 2, { intervals: [[5, 120]], position: 120, playbackRate: 4 });
    expect(answer.status).toBe(200);
    const s = await stamps(session);
    expect((await credited(lecture.lectureId)) * 1000).toBeLessThanOrEqual(s.clock! - s.opened + ALLOWANCE_MS + 1);
  });
});

describe('a course withdrawn from its members', () => {
  const hls = (session: Session) => catalog.http().get(session.masterUrl);

  it('ends the open sessions when the course is unpublished: heartbeats are refused and the media link closes', async () => {
    const course = await newLecture('Withdrawn');
    const session = await open(course.lectureId);
    const preview = await open(course.lectureId, editor);
    expect((await hls(session)).status).toBe(200);
    await age(session, 10);
    expect((await beat(session, 1, { intervals: [[0, 5]], position: 5 })).status).toBe(200);

    expect((await catalog.http().post(`/api/courses/${course.courseId}/unpublish`).set(as(editor))).status).toBeLessThan(300);
    expect((await stamps(session)).end_reason).toBe('withdrawn');
    // An editor's preview of a draft goes on.
    expect((await stamps(preview)).end_reason).toBeNull();
    await age(session, 10);
    const refused = await beat(session, 2, { intervals: [[5, 10]], position: 10 });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('no longer open to you');
    expect(await credited(course.lectureId)).toBe(5);
    // The media server checked this session less than SESSION_CHECK_TTL_MS ago; once that has passed, the link is closed.
    await new Promise((resolve) => setTimeout(resolve, SESSION_CHECK_TTL_MS + 50));
    const closed = await hls(session);
    expect(closed.status).toBe(403);
    expect(closed.body.message).toContain('no longer open to you');
    expect((await hls(preview)).status).toBe(200);
  }, 30_000);

  it("ends the sessions of members the course's narrowed audience leaves out, and only theirs", async () => {
    const course = await newLecture('Narrowed');
    const [outside] = await catalog.dataSource.query(
      `SELECT u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.role = 'member' AND u.active AND o.path LIKE 'committee/west%' ORDER BY u.login LIMIT 1`,
    );
    const kept = await open(course.lectureId, await catalog.tokenFor(outside.login));
    const cut = await open(course.lectureId);
    const [west] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`);
    const narrowed = await catalog
      .http()
      .patch(`/api/courses/${course.courseId}`)
      .set(as(editor))
      .send({ visibleUnitIds: [west.id] });
    expect(narrowed.status).toBe(200);
    expect((await stamps(cut)).end_reason).toBe('withdrawn');
    expect((await stamps(kept)).end_reason).toBeNull();
    // Never checked before, so nothing cached: the link is closed at once.
    expect((await hls(cut)).status).toBe(403);
    expect((await hls(kept)).status).toBe(200);
    expect((await beat(cut, 1, { intervals: [[0, 1]], position: 1 })).status).toBe(403);
  });

  it('ends the open sessions of a lecture that is archived, keeping what they earned', async () => {
    const course = await newLecture('Archived while watched');
    const session = await open(course.lectureId);
    await age(session, 10);
    expect((await beat(session, 1, { intervals: [[0, 5]], position: 5 })).status).toBe(200);
    expect((await catalog.http().delete(`/api/lectures/${course.lectureId}`).set(as(editor))).status).toBe(204);
    expect((await stamps(session)).end_reason).toBe('withdrawn');
    await age(session, 10);
    expect((await beat(session, 2, { intervals: [[5, 10]], position: 10 })).status).toBe(403);
    expect(await credited(course.lectureId)).toBe(5);
    expect((await hls(session)).status).toBe(403);
  });

  it("ends a member's session on a course once an admin moves them out of its audience", async () => {
    const course = await newLecture('Moved away');
    const [east] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/east'`);
    const [west] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`);
    const [moving] = await catalog.dataSource.query(
      `SELECT u.id, u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.role = 'member' AND u.active AND o.path LIKE 'committee/east/%' AND u.login <> 'member' ORDER BY u.login LIMIT 1`,
    );
    expect(
      (
        await catalog
          .http()
          .patch(`/api/courses/${course.courseId}`)
          .set(as(editor))
          .send({ visibleUnitIds: [east.id] })
      ).status,
    ).toBe(200);
    const session = await open(course.lectureId, await catalog.tokenFor(moving.login));
    const admin = await catalog.tokenFor('admin');
    // Members change unit by a transfer; the committee admin's take effect at once.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: catalog.env.STUDY_TIME_ZONE }).format(new Date());
    const transfer = (toUnitId: string) =>
      catalog.http().post('/api/transfers').set(as(admin)).send({ userId: moving.id, toUnitId, effectiveOn: today, reason: '调动' });
    // A move inside the audience changes nothing.
    const [eastGroup] = await catalog.dataSource.query(
      `SELECT id FROM org_units WHERE path LIKE 'committee/east/%' AND id <> (SELECT org_unit_id FROM users WHERE id = $1)
        ORDER BY path DESC LIMIT 1`,
      [moving.id],
    );
    expect((await transfer(eastGroup.id)).body).toMatchObject({ status: 'done' });
    expect((await stamps(session)).end_reason).toBeNull();
    expect((await transfer(west.id)).body).toMatchObject({ status: 'done' });
    expect((await stamps(session)).end_reason).toBe('withdrawn');
    await age(session, 10);
    expect((await beat(session, 1, { intervals: [[0, 5]], position: 5 })).status).toBe(403);
    expect(await credited(course.lectureId)).toBe(0);
  });
});

describe('media links', () => {
  it.each([
    ['a session that does not exist', '3f2b8a4e-0c1d-4e5f-9a7b-1c2d3e4f5a6b'],
    ['no session at all', 's'],
  ])('are refused with 403, not 500, when signed for %s', async (_name, sessionId) => {
    const token = signPlaybackToken(playbackKey(TEST_JWT_SECRET), { assetId, sessionId, userId: 'u', expiresAt: 9e9 });
    const answer = await catalog.http().get(`/hls/${token}/${assetId}/master.m3u8`);
    expect(answer.status).toBe(403);
  });
});

describe('the body limit on every path to heartbeats', () => {
  const padded = (session: Session, bytes: number) =>
    JSON.stringify({ ...heartbeatBody(session, 1, { intervals: [[0, 5]], position: 5 }), pad: 'x'.repeat(bytes) });

  it.each([
    ['/api/heartbeats?x=1', 'application/json', 900 * 1024],
    ['/api/heartbeats?x=1', 'text/plain', 4 * 1024 * 1024],
    ['/api/heartbeats/', 'application/json', 900 * 1024],
    ['/API/Heartbeats', 'text/plain;charset=UTF-8', 64 * 1024],
    ['/api/heartbeats', 'application/json', 17 * 1024],
  ])('refuses a large body on %s sent as %s with 413, and credits nothing', async (path, type, bytes) => {
    const session = await open(lecture.lectureId);
    await age(session, 10);
    const answer = await catalog.http().post(path).set('Content-Type', type).send(padded(session, bytes));
    expect(answer.status).toBe(413);
    expect(answer.body.message).toContain('16 KB');
    expect(await credited(lecture.lectureId)).toBe(0);
  });

  it('takes a heartbeat on any spelling of its path, with the same rules', async () => {
    const session = await open(lecture.lectureId);
    await age(session, 10);
    const answer = await beat(session, 1, { intervals: [[0, 5]], position: 5 }, '/api/heartbeats?from=beacon');
    expect(answer.status).toBe(200);
    expect(answer.body.creditedSec).toBe(5);
  });

  it('answers a body that is neither JSON nor text with 415', async () => {
    const session = await open(lecture.lectureId);
    const answer = await catalog.http().post('/api/heartbeats?x=1').set('Content-Type', 'application/x-www-form-urlencoded').send('a=1');
    expect(answer.status).toBe(415);
    expect(answer.body.message).toContain('application/json');
    expect((await stamps(session)).clock).toBeNull();
  });

  it("keeps Express's own limit elsewhere", async () => {
    const answer = await catalog
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ login: 'member', password: 'x'.repeat(2 * 1024 * 1024) }));
    expect(answer.status).toBe(413);
  });
});

describe('validation', () => {
  it('answers a seq past the integer column with 400 naming the field, not 500', async () => {
    const session = await open(lecture.lectureId);
    await age(session, 10);
    const answer = await beat(session, 2 ** 31, { intervals: [[0, 5]], position: 5 });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('seq: must be ≤ 2147483647');
    const highest = await beat(session, 2 ** 31 - 1, { intervals: [[0, 5]], position: 5 });
    expect(highest.status).toBe(200);
  });
});

describe('resume', () => {
  it('keeps the saved position when a lecture is opened and left without playing', async () => {
    const session = await open(lecture.lectureId);
    await age(session, 30);
    expect((await beat(session, 1, { intervals: [[0, 24]], position: 24, event: 'pause' })).status).toBe(200);
    const again = await open(lecture.lectureId);
    expect(again.resumePositionSec).toBe(24);
    await age(again, 5);
    const left = await beat(again, 1, { intervals: [], position: 0, event: 'pause' });
    expect(left.status).toBe(200);
    expect(left.body.position).toBe(24);
    expect((await open(lecture.lectureId)).resumePositionSec).toBe(24);
  });
});
