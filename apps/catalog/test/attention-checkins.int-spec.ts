import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AttentionCheckinView, HeartbeatAnswer } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { heartbeatBody } from '../../../test/support/heartbeats.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

// A plan's "10–20 minutes" are 10–20 seconds here, and a check-in is answered within 4 s.
const GRACE_SEC = 4;

let catalog: CatalogHarness;
let member: string;
let memberId: string;
let lectureId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

interface Session {
  sessionId: string;
  heartbeatToken: string;
}

const open = async (token = member): Promise<Session> => {
  const answer = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(token));
  expect(answer.status).toBe(201);
  return answer.body as Session;
};
/** Moves the session's crediting clock back, as if `seconds` had passed since its last accepted heartbeat. */
const age = (session: Session, seconds: number) =>
  catalog.dataSource.query(
    `UPDATE playback_sessions SET opened_at = opened_at - make_interval(secs => $2),
            last_accepted_at = last_accepted_at - make_interval(secs => $2) WHERE id = $1`,
    [session.sessionId, seconds],
  );
let position = 0;
/** A heartbeat that played the next `seconds` of the lecture; hidden audio unless `fields` say otherwise. */
const listen = async (session: Session, seq: number, seconds: number, fields: Record<string, unknown> = {}): Promise<HeartbeatAnswer> => {
  const intervals = [[position, position + seconds]];
  position += seconds;
  const answer = await catalog
    .http()
    .post('/api/heartbeats')
    .send(heartbeatBody(session, seq, { intervals, position, visible: false, audio: true, ...fields }));
  expect(answer.status).toBe(200);
  return answer.body as HeartbeatAnswer;
};
const answerCheckin = (session: Session, checkinId: string, token = session.heartbeatToken) =>
  catalog.http().post(`/api/playback/sessions/${session.sessionId}/checkins/${checkinId}/answer`).send({ token });
/** Waits until the server's clock (PostgreSQL's, which stamps answers) is past `iso`. */
async function until(iso: string): Promise<void> {
  for (;;) {
    const [{ past }] = await catalog.dataSource.query(`SELECT now() > $1::timestamptz AS past`, [iso]);
    if (past) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const daily = async () =>
  (
    await catalog.dataSource.query(
      `SELECT coalesce(sum(credited_sec), 0)::float8 AS credited, coalesce(sum(audio_sec), 0)::float8 AS audio,
              coalesce(sum(speedup_sec), 0)::float8 AS speedup
         FROM study_daily WHERE user_id = $1 AND lecture_id = $2`,
      [memberId, lectureId],
    )
  )[0] as { credited: number; audio: number; speedup: number };

beforeAll(async () => {
  process.env.ATTENTION_CHECKIN_UNIT_SEC = '1';
  process.env.ATTENTION_ANSWER_GRACE_SEC = String(GRACE_SEC);
  catalog = await startCatalog();
  const editor = await catalog.tokenFor('editor');
  member = await catalog.tokenFor('member');
  [{ id: memberId }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member'`);
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: 'Listening', categoryId: categories.body[0].id });
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 4);
  // Room to listen for an hour: crediting reads the length from here.
  await catalog.dataSource.query(`UPDATE lecture_media SET duration_sec = 3600 WHERE asset_id = $1`, [assetId]);
  lectureId = (await catalog.http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title: 'L1', assetId })).body.id;
  await catalog.http().post(`/api/courses/${course.body.id}/publish`).set(as(editor));
});

afterAll(async () => {
  delete process.env.ATTENTION_CHECKIN_UNIT_SEC;
  delete process.env.ATTENTION_ANSWER_GRACE_SEC;
  await catalog?.close();
});

describe('listening with the screen off', () => {
  it('earns with hidden audio, not with hidden video, and records audio and sped-up credit', async () => {
    const before = await daily();
    const session = await open();
    await age(session, 9);
    expect(await listen(session, 1, 3, { visible: false, audio: false })).toMatchObject({ creditedSec: 0 });
    expect(await listen(session, 2, 4)).toMatchObject({ creditedSec: 4 });
    const fast = await listen(session, 3, 3, { visible: true, audio: false, playbackRate: 1.5 });
    expect(fast).toMatchObject({ creditedSec: 3 });
    expect(fast).not.toHaveProperty('checkin');
    const after = await daily();
    expect(after.credited - before.credited).toBeCloseTo(7, 3);
    expect(after.audio - before.audio).toBeCloseTo(4, 3);
    expect(after.speedup - before.speedup).toBeCloseTo(3, 3);
  });

  it('asks after 10–20 s of listening, and an answer in time loses nothing', async () => {
    const session = await open();
    await age(session, 30);
    const asked = await listen(session, 1, 25);
    expect(asked.creditedSec).toBe(25);
    expect(asked.checkin).toEqual({ id: expect.any(String), askedAt: expect.any(String), answerBy: expect.any(String) });
    const { id, askedAt, answerBy } = asked.checkin!;
    expect(Date.parse(answerBy) - Date.parse(askedAt)).toBe(GRACE_SEC * 1000);

    // Every answer carries it until it is answered, visible ones too.
    expect((await listen(session, 2, 0, { visible: true, audio: false })).checkin?.id).toBe(id);
    expect((await answerCheckin(session, id, 'not-the-token')).status).toBe(403);
    const answered = await answerCheckin(session, id);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ id, lecture: { id: lectureId, title: 'L1' }, outcome: 'answered', uncreditedSec: 0 });
    // Answering again changes nothing, also as sendBeacon sends it (text/plain) from a locked screen.
    const again = await catalog
      .http()
      .post(`/api/playback/sessions/${session.sessionId}/checkins/${id}/answer`)
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ token: session.heartbeatToken }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(answered.body);
    expect((await answerCheckin(session, id, '')).status).toBe(400);

    await age(session, 8);
    const resumed = await listen(session, 3, 8);
    expect(resumed.creditedSec).toBe(8);
    expect(resumed).not.toHaveProperty('checkin');
  });

  it('credits nothing after a missed deadline until the answer, and nothing before the answer afterwards', async () => {
    const session = await open();
    await age(session, 30);
    const asked = await listen(session, 1, 25);
    const { id, answerBy } = asked.checkin!;
    await until(answerBy);
    // This one spans the deadline: what was listened to until then, and what was banked, may still count.
    await listen(session, 2, 30);
    // Past the deadline, nothing hidden or audio counts, however much was played.
    await until(new Date(Date.parse(answerBy) + 1000).toISOString());
    const blocked = await listen(session, 3, 30);
    expect(blocked).toMatchObject({ creditedSec: 0, checkin: { id } });
    // Visible video still counts.
    const [{ before }] = await catalog.dataSource.query(`SELECT now() AS before`);
    const answered = await answerCheckin(session, id);
    expect(answered.body).toMatchObject({ id, outcome: 'late' });
    expect(answered.body.uncreditedSec).toBeGreaterThan(0);
    const answeredAtMs = Date.parse(answered.body.answeredAt);
    expect(answeredAtMs).toBeGreaterThanOrEqual((before as Date).getTime());

    // Resumed from the answer: only the time since it, not the minutes before.
    const resumed = await listen(session, 4, 60);
    const [{ now }] = await catalog.dataSource.query(`SELECT now()`);
    expect(resumed.creditedSec).toBeGreaterThan(0);
    expect(resumed.creditedSec).toBeLessThanOrEqual(((now as Date).getTime() - answeredAtMs) / 1000 + 0.001);
    expect(resumed).not.toHaveProperty('checkin');
  });

  it('keeps an audit trail for the member and the admins of their unit, and for no one else', async () => {
    const mine = await catalog.http().get('/api/my/checkins').set(as(member));
    expect(mine.status).toBe(200);
    const outcomes = (mine.body as AttentionCheckinView[]).map((c) => c.outcome);
    expect(outcomes).toEqual(['late', 'answered']);

    for (const login of ['east-admin', 'admin', 'inspector']) {
      const trail = await catalog
        .http()
        .get(`/api/reports/members/${memberId}/checkins`)
        .set(as(await catalog.tokenFor(login)));
      expect(trail.status).toBe(200);
      expect(trail.body).toEqual(mine.body);
    }
    const today = new Date().toISOString().slice(0, 10);
    const dated = await catalog.http().get(`/api/my/checkins?from=2000-01-01&to=2000-01-31`).set(as(member));
    expect(dated.body).toEqual([]);
    expect((await catalog.http().get(`/api/my/checkins?from=${today}&to=2000-01-01`).set(as(member))).status).toBe(400);
    expect((await catalog.http().get(`/api/my/checkins?from=yesterday`).set(as(member))).status).toBe(400);

    const [west] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`);
    await catalog.dataSource.query(
      `INSERT INTO users (login, name, role, org_unit_id, password_hash)
       SELECT 'attention-west-admin', 'West admin', 'admin', $1, password_hash FROM users WHERE login = 'east-admin'`,
      [west.id],
    );
    const outside = await catalog
      .http()
      .get(`/api/reports/members/${memberId}/checkins`)
      .set(as(await catalog.tokenFor('attention-west-admin')));
    expect(outside.status).toBe(404);
    expect((await catalog.http().get(`/api/reports/members/${memberId}/checkins`).set(as(member))).status).toBe(403);

    // The trail is kept: no one deletes it, not even with SQL.
    await expect(catalog.dataSource.query(`DELETE FROM attention_checkins`)).rejects.toThrow(/never deleted/);
  });

  it('goes on across a reopened lecture: a new session neither escapes a check-in nor restarts the count', async () => {
    const first = await open();
    await age(first, 30);
    const asked = await listen(first, 1, 25);
    const { id } = asked.checkin!;
    const second = await open();
    await age(second, 5);
    const carried = await listen(second, 1, 3);
    expect(carried.checkin?.id).toBe(id);
    // Answered through the session the member is listening in now.
    const answered = await answerCheckin(second, id);
    expect(answered.status).toBe(200);
    expect(answered.body.answeredAt).not.toBeNull();
    expect(await listen(second, 2, 0)).not.toHaveProperty('checkin');
    // Not through someone else's session.
    const other = await catalog.tokenFor('member02');
    const theirs = await open(other);
    expect((await answerCheckin(theirs, id)).status).toBe(404);
  });

  it('answers 404 for a check-in the session never asked', async () => {
    const session = await open();
    const answer = await answerCheckin(session, '00000000-0000-4000-8000-000000000000');
    expect(answer.status).toBe(404);
    expect((await answerCheckin({ ...session, sessionId: 'nope' }, '00000000-0000-4000-8000-000000000000')).status).toBe(400);
  });

  it('never asks a member whose plans require no check-ins', async () => {
    const eastAdmin = await catalog.tokenFor('east-admin');
    const [unit] = await catalog.dataSource.query(`SELECT org_unit_id AS id FROM users WHERE id = $1`, [memberId]);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const plan = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(eastAdmin))
      .send({ name: 'No check-ins', periodStart: day(-1), periodEnd: day(30), requiredHours: 1, unitIds: [unit.id] });
    expect(plan.status).toBe(201);
    await catalog.dataSource.query(`UPDATE study_plans SET checkin_min_minutes = NULL, checkin_max_minutes = NULL WHERE id = $1`, [
      plan.body.id,
    ]);
    const session = await open();
    await age(session, 60);
    const answer = await listen(session, 1, 50);
    expect(answer.creditedSec).toBe(50);
    expect(answer).not.toHaveProperty('checkin');
    const [{ count }] = await catalog.dataSource.query(`SELECT count(*)::int AS count FROM attention_checkins WHERE session_id = $1`, [
      session.sessionId,
    ]);
    expect(count).toBe(0);
  });
});
