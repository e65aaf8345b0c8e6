import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { CheckinCodeView, GroupSessionDetail, GroupSessionSummary, RosterEntry } from '#contracts';
import { checkinCode, codePeriod } from '../src/group-study/checkin-code.js';
import { GROUP_SESSION_OPTIONS, GroupSessionsClock, type GroupSessionOptions } from '../src/group-study/group-sessions-options.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';
import { publishedCourse } from '../../../test/support/study-fixtures.js';
import { signToken } from '../../../test/support/tokens.js';

let catalog: CatalogHarness;
let origin: string;
let clock: GroupSessionsClock;
let options: GroupSessionOptions;
let now: number;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const SCRIPT = '<script>alert("x")</script>';

// `member` leads east/group-1; member06 leads east/group-2; member05 is the east secretary; member07 the west secretary.
const LOGINS = ['member', 'member06', 'member05', 'member07', 'east-admin', 'admin', 'editor'];
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

const http = () => request(origin);
const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]!}` });
const get = (path: string, who: string) => http().get(path).set(as(who));
const post = (path: string, who: string, body: object = {}) => http().post(path).set(as(who)).send(body);
const at = (ms: number) => new Date(ms).toISOString();

/** A signed-in token for an account made here (the account check reads it from the database). */
async function account(login: string, role: 'member' | 'admin', unitPath: string): Promise<string> {
  const [unit] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [unitPath]);
  const [user] = await catalog.dataSource.query(`INSERT INTO users (login, name, role, org_unit_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
    login,
    `测试 ${login}`,
    role,
    unit.id,
  ]);
  ids[login] = user.id;
  const iat = Math.floor(Date.now() / 1000);
  tokens[login] = signToken({ sub: user.id, login, role, unit: unit.id, path: unitPath, iat, exp: iat + 3 * 3600 });
  return tokens[login]!;
}

const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const secretOf = async (sessionId: string) =>
  (await catalog.dataSource.query(`SELECT code_secret FROM group_sessions WHERE id = $1`, [sessionId]))[0].code_secret as Buffer;
const codeAt = async (sessionId: string, ms: number) => checkinCode(await secretOf(sessionId), codePeriod(ms));

let lectureId: string;
let draftLectureId: string;
let g1: string;
let g2: string;
let east: string;
let collective: GroupSessionDetail;

beforeAll(async () => {
  catalog = await startCatalog();
  const server = catalog.app.getHttpServer() as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  clock = catalog.app.get(GroupSessionsClock);
  options = catalog.app.get(GROUP_SESSION_OPTIONS);
  now = Math.floor(Date.now() / MIN) * MIN + 5_000; // 5 s into a minute
  clock.now = () => now;
  for (const login of LOGINS) {
    tokens[login] = await catalog.tokenFor(login);
    ids[login] = (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id;
  }
  // Plain members: two of east/group-1, one of east/group-2, and an admin of the west branch.
  await account('g1-a', 'member', 'committee/east/group-1');
  await account('g1-b', 'member', 'committee/east/group-1');
  await account('g1-c', 'member', 'committee/east/group-1');
  await account('g1-d', 'member', 'committee/east/group-1');
  await account('g2-a', 'member', 'committee/east/group-2');
  await account('west-admin', 'admin', 'committee/west');
  [g1, g2, east] = await Promise.all([unitId('committee/east/group-1'), unitId('committee/east/group-2'), unitId('committee/east')]);
  lectureId = (await publishedCourse(catalog, '集体收看课程', ['第一讲'])).lectures[0]!;
  const categories = await get('/api/course-categories', 'editor');
  const draft = await post('/api/courses', 'editor', { title: '草稿课程', categoryId: categories.body[0].id });
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  draftLectureId = (await post(`/api/courses/${draft.body.id}/lectures`, 'editor', { title: '草稿讲', assetId })).body.id;
}, 240_000);
afterAll(() => catalog?.close());

describe('who leads', () => {
  it('answers each person what they may lead', async () => {
    const leader = await get('/api/group-sessions/capabilities', 'member');
    expect(leader.status).toBe(200);
    expect(leader.body).toMatchObject({ canLead: true, units: [{ id: g1, path: 'committee/east/group-1' }] });
    const secretary = (await get('/api/group-sessions/capabilities', 'member05')).body;
    expect(secretary.units.map((u: { path: string }) => u.path)).toEqual([
      'committee/east',
      'committee/east/group-1',
      'committee/east/group-2',
    ]);
    expect((await get('/api/group-sessions/capabilities', 'g1-a')).body).toEqual({ canLead: false, units: [] });
    expect((await get('/api/group-sessions/capabilities', 'west-admin')).body.units[0].path).toBe('committee/west');
  });

  it('starts a collective viewing for a unit the caller leads, and refuses others with a reason', async () => {
    const started = await post('/api/group-sessions/collective', 'member', { lectureId, unitId: g1 });
    expect(started.status).toBe(201);
    collective = started.body;
    expect(collective).toMatchObject({
      kind: 'collective',
      status: 'live',
      startsAt: at(now),
      canManage: true,
      lecture: { id: lectureId, title: '第一讲', courseTitle: '集体收看课程' },
      unit: { id: g1 },
      attendeeCount: 0,
    });
    expect(collective.rosterCount).toBeGreaterThanOrEqual(5);

    // Another group's leader, a plain member, a draft lecture, a bad body.
    expect((await post('/api/group-sessions/collective', 'member', { lectureId, unitId: g2 })).status).toBe(404);
    const plain = await post('/api/group-sessions/collective', 'g1-a', { lectureId, unitId: g1 });
    expect(plain.status).toBe(403);
    expect(plain.body.message).toContain('group leaders, secretaries and admins');
    const draft = await post('/api/group-sessions/collective', 'member', { lectureId: draftLectureId, unitId: g1 });
    expect(draft.status).toBe(409);
    expect(draft.body.message).toContain('not published');
    const bad = await post('/api/group-sessions/collective', 'member', { lectureId: 'x', unitId: g1 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('lectureId');
  });

  it('shows the session to those who lead its unit and its members only (others 404)', async () => {
    const path = `/api/group-sessions/${collective.id}`;
    expect((await get(path, 'member05')).body.canManage).toBe(true);
    expect((await get(path, 'east-admin')).body.canManage).toBe(true);
    expect((await get(path, 'admin')).body.canManage).toBe(true);
    const member = await get(path, 'g1-a');
    expect(member.status).toBe(200);
    expect(member.body.canManage).toBe(false);
    for (const who of ['member06', 'member07', 'west-admin', 'g2-a']) expect((await get(path, who)).status).toBe(404);
    expect((await get(`${path}/roster`, 'member06')).status).toBe(404);
    expect((await get(`${path}/roster`, 'g1-a')).status).toBe(403);
    expect((await get(`${path}/code`, 'g1-a')).status).toBe(403);
    expect((await post(`${path}/end`, 'west-admin')).status).toBe(404);
    const westList = (await get('/api/group-sessions', 'west-admin')).body as GroupSessionSummary[];
    expect(westList.map((s) => s.id)).not.toContain(collective.id);
    const eastList = (await get(`/api/group-sessions?status=live&unitId=${east}`, 'east-admin')).body as GroupSessionSummary[];
    expect(eastList.map((s) => s.id)).toContain(collective.id);
    expect((await get('/api/group-sessions?status=nonsense', 'east-admin')).status).toBe(400);
    const listed = async (query: string) =>
      ((await get(`/api/group-sessions?${query}`, 'east-admin')).body as GroupSessionSummary[]).map((s) => s.id);
    expect(await listed(`unitId=${g2}`)).not.toContain(collective.id);
    expect(await listed(`from=${encodeURIComponent(at(now + MIN))}`)).not.toContain(collective.id);
    expect(await listed(`from=${encodeURIComponent(at(now - MIN))}&to=${encodeURIComponent(at(now + MIN))}`)).toContain(collective.id);
  });
});

describe('checking in with the rotating code', () => {
  it('shows a six-digit code with its QR link, and a new one each minute', async () => {
    const view = (await get(`/api/group-sessions/${collective.id}/code`, 'member')).body as CheckinCodeView;
    expect(view.code).toMatch(/^\d{6}$/);
    expect(view.url).toBe(`/checkin?s=${collective.id}&c=${view.code}`);
    expect(view).toMatchObject({ periodSec: 60, validUntil: at(now - 5_000 + MIN) });
    expect(view.code).toBe(await codeAt(collective.id, now));
    now += MIN;
    expect((await get(`/api/group-sessions/${collective.id}/code`, 'member')).body.code).toBe(await codeAt(collective.id, now));
  });

  it('checks a member in by the typed code once, and twice answers already present', async () => {
    const code = await codeAt(collective.id, now);
    const first = await post('/api/group-sessions/checkin', 'g1-a', { code });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ late: false, alreadyPresent: false, session: { id: collective.id, attendeeCount: 1 } });
    const again = await post('/api/group-sessions/checkin', 'g1-a', { code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
    expect(again.body).toMatchObject({ alreadyPresent: true });
    const rows = await catalog.dataSource.query(
      `SELECT (SELECT count(*)::int FROM group_session_presence WHERE session_id = $1 AND user_id = $2) AS presence,
              (SELECT count(*)::int FROM group_session_attendance_events WHERE session_id = $1 AND user_id = $2) AS events,
              (SELECT method FROM group_session_attendance WHERE session_id = $1 AND user_id = $2) AS method`,
      [collective.id, ids['g1-a']],
    );
    expect(rows[0]).toEqual({ presence: 1, events: 1, method: 'code' });
  });

  it('takes the previous minute’s code, not an older one, and says to look at the screen again', async () => {
    const code = await codeAt(collective.id, now);
    now += MIN;
    expect((await post('/api/group-sessions/checkin', 'g1-b', { code })).body).toMatchObject({ alreadyPresent: false });
    now += MIN;
    const stale = await post('/api/group-sessions/checkin', 'g1-c', { code });
    expect(stale.status).toBe(400);
    expect(stale.body.message).toContain('Look at the screen again');
    const wrongShape = await post('/api/group-sessions/checkin', 'g1-c', { code: '12ab' });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.message).toContain('six digits');
  });

  it('checks in by the QR link as qr; a member of another group cannot use it', async () => {
    const code = await codeAt(collective.id, now);
    const qr = await post('/api/group-sessions/checkin', 'g1-c', { code, sessionId: collective.id });
    expect(qr.status).toBe(200);
    const [row] = await catalog.dataSource.query(`SELECT method FROM group_session_attendance WHERE session_id = $1 AND user_id = $2`, [
      collective.id,
      ids['g1-c'],
    ]);
    expect(row.method).toBe('qr');
    expect((await post('/api/group-sessions/checkin', 'g2-a', { code, sessionId: collective.id })).status).toBe(404);
    expect((await post('/api/group-sessions/checkin', 'g2-a', { code })).status).toBe(400);
  });

  it('marks a first check-in more than 10 minutes after the start late', async () => {
    now = Date.parse(collective.startsAt!) + 10 * MIN + 1_000;
    const late = await post('/api/group-sessions/checkin', 'g1-d', { code: await codeAt(collective.id, now) });
    expect(late.body).toMatchObject({ late: true, alreadyPresent: false });
    const roster = (await get(`/api/group-sessions/${collective.id}/roster`, 'member')).body as RosterEntry[];
    expect(roster.find((r) => r.userId === ids['g1-d'])).toMatchObject({ present: true, late: true, method: 'code' });
    expect(roster.find((r) => r.userId === ids['g1-a'])).toMatchObject({ present: true, late: false });
    expect(roster.find((r) => r.userId === ids['g2-a'])).toBeUndefined();
  });

  it('lets a member check out and in again, each written as presence and an event', async () => {
    const out = await post(`/api/group-sessions/${collective.id}/checkout`, 'g1-a');
    expect(out.body).toMatchObject({ checkedOut: true });
    expect((await post(`/api/group-sessions/${collective.id}/checkout`, 'g1-a')).body).toMatchObject({ checkedOut: false });
    const roster = (await get(`/api/group-sessions/${collective.id}/roster`, 'member')).body as RosterEntry[];
    expect(roster.find((r) => r.userId === ids['g1-a'])).toMatchObject({ present: false, lastOutAt: at(now), method: 'code' });
    now += 30_000;
    const back = await post('/api/group-sessions/checkin', 'g1-a', { code: await codeAt(collective.id, now) });
    expect(back.body).toMatchObject({ alreadyPresent: false, late: false });
    const events = (await get(`/api/group-sessions/${collective.id}/events`, 'member05')).body;
    expect(events.filter((e: { member: { id: string } }) => e.member.id === ids['g1-a']).map((e: { event: string }) => e.event)).toEqual([
      'checked_in',
      'checked_out',
      'checked_in',
    ]);
    expect((await get(`/api/group-sessions/${collective.id}/events`, 'g1-a')).status).toBe(403);
  });

  it('refuses more than 10 wrong codes a minute with 429, the right code too, and lets the member try again the next minute', async () => {
    now = (Math.floor(now / MIN) + 1) * MIN + 1_000;
    const right = await codeAt(collective.id, now);
    const wrong = right === '000000' ? '000001' : '000000';
    await post(`/api/group-sessions/${collective.id}/checkout`, 'g1-b');
    for (let i = 0; i < 10; i++) expect((await post('/api/group-sessions/checkin', 'g1-b', { code: wrong })).status).toBe(400);
    const locked = await post('/api/group-sessions/checkin', 'g1-b', { code: right });
    expect(locked.status).toBe(429);
    expect(locked.body.message).toContain('Too many wrong codes');
    now += MIN;
    const next = await post('/api/group-sessions/checkin', 'g1-b', { code: await codeAt(collective.id, now) });
    expect(next.status).toBe(200);
  });

  it('ends the viewing: presence is closed, check-in is closed, the code is gone', async () => {
    now += MIN;
    const ended = await post(`/api/group-sessions/${collective.id}/end`, 'member05');
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', endsAt: at(now) });
    const [open] = await catalog.dataSource.query(
      `SELECT count(*)::int AS n FROM group_session_presence WHERE session_id = $1 AND to_at IS NULL`,
      [collective.id],
    );
    expect(open.n).toBe(0);
    expect((await get(`/api/group-sessions/${collective.id}/code`, 'member')).status).toBe(409);
    const late = await post('/api/group-sessions/checkin', 'g1-a', { code: await codeAt(collective.id, now), sessionId: collective.id });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('ended');
    expect((await post(`/api/group-sessions/${collective.id}/end`, 'member')).status).toBe(409);
    expect((await post(`/api/group-sessions/${collective.id}/cancel`, 'member')).status).toBe(409);
    // Members see the sessions they attended.
    const mine = (await get('/api/group-sessions', 'g1-a')).body as GroupSessionSummary[];
    expect(mine.map((s) => s.id)).toEqual([collective.id]);
    const attended = await get('/api/group-sessions/attended', 'g1-d');
    expect(attended.status).toBe(200);
    expect(attended.body).toEqual([
      expect.objectContaining({
        session: expect.objectContaining({ id: collective.id, status: 'ended' }),
        method: 'code',
        late: true,
        lastOutAt: at(now),
      }),
    ]);
    expect((await get('/api/group-sessions/attended', 'g2-a')).body).toEqual([]);
  });

  it('archives, not deletes, a lecture a session showed', async () => {
    const removed = await http().delete(`/api/lectures/${lectureId}`).set(as('editor'));
    expect(removed.status).toBeLessThan(300);
    const [lecture] = await catalog.dataSource.query(`SELECT archived_at FROM lectures WHERE id = $1`, [lectureId]);
    expect(lecture.archived_at).not.toBeNull();
  });
});

describe('in-person sessions', () => {
  let live: GroupSessionDetail;

  it('creates a live session with text kept as written, and a planned one in the future', async () => {
    const created = await post('/api/group-sessions/in-person', 'member05', {
      unitId: east,
      topic: `${SCRIPT} 学习会`,
      startsAt: at(now - 5 * MIN),
      endsAt: at(now + 55 * MIN),
      place: SCRIPT,
      speaker: '王老师',
      materials: '第一章',
    });
    expect(created.status).toBe(201);
    live = created.body;
    expect(live).toMatchObject({ kind: 'in_person', status: 'live', topic: `${SCRIPT} 学习会`, place: SCRIPT, recordedAfterwards: false });
    const planned = await post('/api/group-sessions/in-person', 'member', {
      unitId: g1,
      topic: '下周学习',
      startsAt: at(now + 7 * DAY),
      endsAt: at(now + 7 * DAY + 60 * MIN),
    });
    expect(planned.body).toMatchObject({ status: 'planned', recordUntil: null });
    const backwards = await post('/api/group-sessions/in-person', 'member', {
      unitId: g1,
      topic: 'x',
      startsAt: at(now),
      endsAt: at(now - MIN),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toContain('endsAt must be after startsAt');
    const noTopic = await post('/api/group-sessions/in-person', 'member', {
      unitId: g1,
      topic: ' ',
      startsAt: at(now),
      endsAt: at(now + MIN),
    });
    expect(noTopic.body.message).toContain('topic');
    // A planned session nobody attended can be cancelled.
    const cancelled = await post(`/api/group-sessions/${planned.body.id}/cancel`, 'member');
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('checks 200 members in within one minute, each exactly once, while some press twice', async () => {
    const people: string[] = [];
    const rows: Array<{ login: string }> = [];
    for (let i = 0; i < 200; i++) rows.push({ login: `crowd-${String(i).padStart(3, '0')}` });
    await catalog.dataSource.query(
      `INSERT INTO users (login, name, role, org_unit_id)
       SELECT r.login, '群众 ' || r.login, 'member', $2 FROM jsonb_to_recordset($1::jsonb) r(login text)`,
      [JSON.stringify(rows), g2],
    );
    for (const { login } of rows) {
      const [u] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]);
      ids[login] = u.id;
      const iat = Math.floor(Date.now() / 1000);
      tokens[login] = signToken({ sub: u.id, login, role: 'member', unit: g2, path: 'committee/east/group-2', iat, exp: iat + 3 * 3600 });
      people.push(login);
    }
    const code = await codeAt(live.id, now);
    const answers = await Promise.all(
      [...people, ...people.slice(0, 40)].map((login, i) =>
        post('/api/group-sessions/checkin', login, i % 2 ? { code } : { code, sessionId: live.id }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(answers.filter((a) => a.body.alreadyPresent === false)).toHaveLength(200);
    expect(answers.filter((a) => a.body.alreadyPresent === true)).toHaveLength(40);
    const [counts] = await catalog.dataSource.query(
      `SELECT (SELECT count(*)::int FROM group_session_attendance WHERE session_id = $1) AS attendance,
              (SELECT count(*)::int FROM group_session_presence WHERE session_id = $1) AS presence,
              (SELECT count(DISTINCT user_id)::int FROM group_session_presence WHERE session_id = $1) AS people,
              (SELECT count(*)::int FROM group_session_attendance_events WHERE session_id = $1) AS events`,
      [live.id],
    );
    expect(counts).toEqual({ attendance: 200, presence: 200, people: 200, events: 200 });
  }, 120_000);

  it('credits each member the time of the session they were present', async () => {
    const base = Date.parse(live.startsAt!); // now = start + 5 min
    expect(
      (await post(`/api/group-sessions/${live.id}/attendance`, 'member05', { userId: ids['g1-a'], present: true })).body,
    ).toMatchObject({
      present: true,
      method: 'roster',
      late: false,
    });
    now = base + 25 * MIN;
    const out = await post(`/api/group-sessions/${live.id}/attendance`, 'member05', { userId: ids['g1-a'], present: false, note: SCRIPT });
    expect(out.body).toMatchObject({ present: false, creditedSec: 20 * 60 });
    now = base + 40 * MIN;
    expect(
      (await post(`/api/group-sessions/${live.id}/attendance`, 'member05', { userId: ids['g1-a'], present: true })).body,
    ).toMatchObject({
      present: true,
      creditedSec: 20 * 60,
    });
    // Ticking someone outside the unit is refused; a leader of a sibling group cannot tick.
    expect((await post(`/api/group-sessions/${live.id}/attendance`, 'member05', { userId: ids['member07'], present: true })).status).toBe(
      404,
    );
    expect((await post(`/api/group-sessions/${live.id}/attendance`, 'member06', { userId: ids['g1-a'], present: true })).status).toBe(403);
    // Nobody attended? Then it could be cancelled; here it cannot.
    const cancel = await post(`/api/group-sessions/${live.id}/cancel`, 'member05');
    expect(cancel.status).toBe(409);
    expect(cancel.body.message).toContain('attendance is kept');
    // The clock passes the planned end: the session ends, presence closes at the end, credit is settled.
    now = base + 80 * MIN;
    const detail = (await get(`/api/group-sessions/${live.id}`, 'member05')).body as GroupSessionDetail;
    expect(detail).toMatchObject({ status: 'ended', recordUntil: at(base + 60 * MIN + 14 * DAY) });
    const roster = (await get(`/api/group-sessions/${live.id}/roster`, 'member05')).body as RosterEntry[];
    expect(roster.find((r) => r.userId === ids['g1-a'])).toMatchObject({ present: true, creditedSec: 40 * 60 });
    // The crowd checked in at start + 5 min: 55 minutes each.
    expect(roster.find((r) => r.userId === ids['crowd-000'])).toMatchObject({ present: true, creditedSec: 55 * 60, method: 'qr' });
    expect(roster.find((r) => r.userId === ids['crowd-001'])).toMatchObject({ creditedSec: 55 * 60, method: 'code' });
    const events = (await get(`/api/group-sessions/${live.id}/events`, 'member05')).body;
    expect(events.find((e: { event: string }) => e.event === 'checked_out')).toMatchObject({ note: SCRIPT, method: 'roster' });
  });

  it('records a past session afterwards within the window, with undo, and refuses after it', async () => {
    const past = await post('/api/group-sessions/in-person', 'member', {
      unitId: g1,
      topic: '补录学习会',
      startsAt: at(now - 2 * DAY),
      endsAt: at(now - 2 * DAY + 90 * MIN),
    });
    expect(past.status).toBe(201);
    expect(past.body).toMatchObject({ status: 'ended', recordedAfterwards: true, recordUntil: at(now - 2 * DAY + 90 * MIN + 14 * DAY) });
    const path = `/api/group-sessions/${past.body.id}`;
    const ticked = await post(`${path}/attendance`, 'member', { userId: ids['g1-b'], present: true });
    expect(ticked.body).toMatchObject({ present: true, method: 'afterwards', late: false, creditedSec: 90 * 60 });
    expect((await post(`${path}/attendance`, 'member', { userId: ids['g1-b'], present: true })).body.creditedSec).toBe(90 * 60);
    const out = await post(`${path}/attendance`, 'member', { userId: ids['g1-b'], present: false });
    expect(out.status).toBe(409);
    expect(out.body.message).toContain('undo');
    const undone = await post(`${path}/attendance/undo`, 'member', { userId: ids['g1-b'], note: '点错了' });
    expect(undone.body).toMatchObject({ present: false, method: null, creditedSec: 0 });
    expect((await post(`${path}/attendance/undo`, 'member', { userId: ids['g1-b'] })).status).toBe(409);
    const [kept] = await catalog.dataSource.query(
      `SELECT undone_at IS NOT NULL AS undone, credited_sec FROM group_session_attendance WHERE session_id = $1 AND user_id = $2`,
      [past.body.id, ids['g1-b']],
    );
    expect(kept).toEqual({ undone: true, credited_sec: 0 });
    expect((await get(path, 'member')).body.attendeeCount).toBe(0);
    expect((await post(`${path}/attendance`, 'member', { userId: ids['g1-c'], present: true })).body.creditedSec).toBe(90 * 60);
    const events = (await get(`${path}/events`, 'member')).body.map((e: { event: string }) => e.event);
    expect(events).toEqual(['checked_in', 'undone', 'checked_in']);

    // Too old to record; and a setting of 3 days says so.
    const tooOld = await post('/api/group-sessions/in-person', 'member', {
      unitId: g1,
      topic: '很久以前',
      startsAt: at(now - 15 * DAY),
      endsAt: at(now - 15 * DAY + 60 * MIN),
    });
    expect(tooOld.status).toBe(409);
    expect(tooOld.body.message).toContain('more than 14 days ago');
    options.recordAfterDays = 1;
    try {
      const shorter = await post('/api/group-sessions/in-person', 'member', {
        unitId: g1,
        topic: '前天',
        startsAt: at(now - 2 * DAY),
        endsAt: at(now - 2 * DAY + MIN),
      });
      expect(shorter.body.message).toContain('more than 1 days ago');
    } finally {
      options.recordAfterDays = 14;
    }
    // After the window the roster can no longer be changed.
    now = Date.parse(past.body.endsAt) + 14 * DAY + MIN;
    const closed = await post(`${path}/attendance`, 'member', { userId: ids['g1-d'], present: true });
    expect(closed.status).toBe(409);
    expect(closed.body.message).toContain('within 14 days');
  });

  it('asks to scan the QR code when a typed code fits two sessions on the member’s roster', async () => {
    const times = { startsAt: at(now - MIN), endsAt: at(now + 60 * MIN) };
    const a = (await post('/api/group-sessions/in-person', 'member', { unitId: g1, topic: '小组学习', ...times }))
      .body as GroupSessionDetail;
    const b = (await post('/api/group-sessions/in-person', 'member05', { unitId: east, topic: '分会学习', ...times }))
      .body as GroupSessionDetail;
    // Two sessions showing the same code is a one-in-a-million chance; make it certain.
    await catalog.dataSource.query(
      `UPDATE group_sessions SET code_secret = (SELECT code_secret FROM group_sessions WHERE id = $1) WHERE id = $2`,
      [a.id, b.id],
    );
    const code = await codeAt(a.id, now);
    const typed = await post('/api/group-sessions/checkin', 'g1-a', { code });
    expect(typed.status).toBe(409);
    expect(typed.body.message).toContain('Scan the QR code');
    const scanned = await post('/api/group-sessions/checkin', 'g1-a', { code, sessionId: b.id });
    expect(scanned.body).toMatchObject({ alreadyPresent: false, session: { id: b.id } });
    // A member of the branch but not of group 1 has only one of them on their roster.
    expect((await post('/api/group-sessions/checkin', 'g2-a', { code })).body).toMatchObject({ session: { id: b.id } });
  });

  it('keeps every record: deletes and changes to the trail are refused by the database', async () => {
    for (const table of ['group_sessions', 'group_session_attendance', 'group_session_presence', 'group_session_attendance_events']) {
      await expect(catalog.dataSource.query(`DELETE FROM ${table}`)).rejects.toThrow(/never deleted/);
    }
    await expect(catalog.dataSource.query(`UPDATE group_session_attendance_events SET note = 'x'`)).rejects.toThrow(/never changed/);
  });
});
