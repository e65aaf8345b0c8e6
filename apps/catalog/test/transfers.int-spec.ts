import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MyPlan } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

/**
 * Member transfers: inside an admin's subtree a move takes effect at once; to another branch it waits
 * for that branch's admins. Every step is checked through the API the admins use.
 */

let catalog: CatalogHarness;
let admin: string;
let eastAdmin: string;
let westAdmin: string;
let editor: string;
let units: Record<string, string>;
let categoryId: string;
let assetId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
/** Today on the server's study calendar. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: catalog.env.STUDY_TIME_ZONE }).format(new Date());
const daysBefore = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** A fresh member of `unit`, in it since `since` (so transfers may be dated back to then). */
let serial = 0;
const newMember = async (unit: string, since = daysBefore(today(), 60)) => {
  const login = `transfer-${++serial}-${Date.now().toString(36)}`;
  const created = await catalog
    .http()
    .post('/api/members')
    .set(as(admin))
    .send({ login, name: `转接 ${serial}`, orgUnitId: units[unit], password: 'transfer-pass-1' });
  expect(created.status).toBe(201);
  await catalog.dataSource.query(`UPDATE member_unit_periods SET from_day = $2 WHERE user_id = $1 AND to_day IS NULL`, [
    created.body.id,
    since,
  ]);
  return { id: created.body.id as string, login };
};
const transfer = (token: string, body: Record<string, unknown>) => catalog.http().post('/api/transfers').set(as(token)).send(body);
const unitOf = async (userId: string) =>
  (await catalog.dataSource.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`, [userId]))[0]
    .path as string;
const periodsOf = async (userId: string) =>
  (await catalog.dataSource.query(
    `SELECT o.path, to_char(p.from_day, 'YYYY-MM-DD') AS "from", to_char(p.to_day, 'YYYY-MM-DD') AS "to"
       FROM member_unit_periods p JOIN org_units o ON o.id = p.org_unit_id WHERE p.user_id = $1 ORDER BY p.from_day`,
    [userId],
  )) as Array<{ path: string; from: string; to: string | null }>;
const sees = async (token: string, userId: string) => (await catalog.http().get(`/api/members/${userId}`).set(as(token))).status;

beforeAll(async () => {
  catalog = await startCatalog();
  admin = await catalog.tokenFor('admin');
  eastAdmin = await catalog.tokenFor('east-admin');
  editor = await catalog.tokenFor('editor');
  units = Object.fromEntries(
    ((await catalog.dataSource.query(`SELECT id, path FROM org_units`)) as Array<{ id: string; path: string }>).map((u) => [u.path, u.id]),
  );
  const west = await catalog
    .http()
    .post('/api/members')
    .set(as(admin))
    .send({ login: 'west-admin', name: '西区管理员', role: 'admin', orgUnitId: units['committee/west'], password: 'west-admin-pass-1' });
  expect(west.status).toBe(201);
  westAdmin = await catalog.tokenFor('west-admin', 'west-admin-pass-1');
  categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body[0].id;
  ({ assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2));
}, 120_000);
afterAll(() => catalog.close());

describe('inside the subtree', () => {
  it('moves the member at once, dated, and records the transfer as done', async () => {
    const m = await newMember('committee/east/group-1');
    const on = daysBefore(today(), 5);
    const answer = await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/east/group-2'], effectiveOn: on, reason: '搬家' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'done', effectiveOn: on, reason: '搬家', mayCancel: false });
    expect(answer.body.decidedAt).not.toBeNull();
    expect(await unitOf(m.id)).toBe('committee/east/group-2');
    expect(await periodsOf(m.id)).toEqual([
      { path: 'committee/east/group-1', from: daysBefore(today(), 60), to: on },
      { path: 'committee/east/group-2', from: on, to: null },
    ]);
    const history = await catalog.http().get(`/api/members/${m.id}/transfers`).set(as(eastAdmin));
    expect(history.status).toBe(200);
    expect(history.body.transfers).toHaveLength(1);
    expect(history.body.periods.map((p: { unit: { path: string } }) => p.unit.path)).toEqual([
      'committee/east/group-2',
      'committee/east/group-1',
    ]);
  });

  it('refuses a date in the future, one before the present unit, the same unit, and a non-member', async () => {
    const m = await newMember('committee/east/group-1', daysBefore(today(), 10));
    const to = units['committee/east/group-2'];
    const future = new Date(Date.parse(`${today()}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await transfer(eastAdmin, { userId: m.id, toUnitId: to, effectiveOn: future })).status).toBe(400);
    const early = await transfer(eastAdmin, { userId: m.id, toUnitId: to, effectiveOn: daysBefore(today(), 11) });
    expect(early.status).toBe(400);
    expect(early.body.message).toContain(daysBefore(today(), 10));
    expect((await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/east/group-1'], effectiveOn: today() })).status).toBe(400);
    expect((await transfer(eastAdmin, { userId: m.id, toUnitId: to, effectiveOn: '2026-02-30' })).status).toBe(400);
    expect((await transfer(eastAdmin, { userId: m.id, toUnitId: to, effectiveOn: today(), reason: 'a\u0000b' })).status).toBe(400);
    expect((await transfer(eastAdmin, { userId: m.id, toUnitId: to, effectiveOn: today(), reason: 'x'.repeat(501) })).status).toBe(400);
    const [staff] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'east-admin'`);
    expect((await transfer(admin, { userId: staff.id, toUnitId: to, effectiveOn: today() })).status).toBe(400);
    expect(await unitOf(m.id)).toBe('committee/east/group-1');
  });
});

describe('between branches', () => {
  it('waits for the receiving branch; once accepted the receiver sees the member and the sender no longer does', async () => {
    const m = await newMember('committee/east/group-1');
    const on = daysBefore(today(), 3);
    const sent = await transfer(eastAdmin, {
      userId: m.id,
      toUnitId: units['committee/west/group-1'],
      effectiveOn: on,
      reason: '工作调动',
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ status: 'pending', mayCancel: true, mayAccept: false });
    // The member stays where they are until it is accepted.
    expect(await unitOf(m.id)).toBe('committee/east/group-1');
    expect(await sees(westAdmin, m.id)).toBe(404);
    // A second request while one waits.
    expect((await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/north'], effectiveOn: today() })).status).toBe(409);
    expect((await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/east/group-2'], effectiveOn: today() })).status).toBe(409);

    const incoming = await catalog.http().get('/api/transfers?direction=incoming&status=pending').set(as(westAdmin));
    expect(incoming.status).toBe(200);
    const waiting = incoming.body.items.find((t: { id: string }) => t.id === sent.body.id);
    expect(waiting).toMatchObject({ mayAccept: true, mayReject: true, mayCancel: false, reason: '工作调动' });
    expect(waiting.from.name).toBe('东区第一小组');
    const outgoing = await catalog.http().get('/api/transfers?direction=outgoing').set(as(eastAdmin));
    expect(outgoing.body.items.map((t: { id: string }) => t.id)).toContain(sent.body.id);
    expect(
      (await catalog.http().get('/api/transfers?direction=incoming').set(as(eastAdmin))).body.items.map((t: { id: string }) => t.id),
    ).not.toContain(sent.body.id);
    // The receiving side may read the member's history before deciding.
    expect((await catalog.http().get(`/api/members/${m.id}/transfers`).set(as(westAdmin))).status).toBe(200);

    // Only the receiving side accepts; the sender cannot.
    expect((await catalog.http().post(`/api/transfers/${sent.body.id}/accept`).set(as(eastAdmin)).send({})).status).toBe(403);
    const accepted = await catalog.http().post(`/api/transfers/${sent.body.id}/accept`).set(as(westAdmin)).send({ note: '欢迎' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'done', decisionNote: '欢迎', decidedBy: '西区管理员' });
    expect(await unitOf(m.id)).toBe('committee/west/group-1');
    expect((await periodsOf(m.id)).at(-1)).toEqual({ path: 'committee/west/group-1', from: on, to: null });
    expect(await sees(westAdmin, m.id)).toBe(200);
    expect(await sees(eastAdmin, m.id)).toBe(404);
    const decided = await catalog.http().get('/api/transfers?status=decided').set(as(westAdmin));
    expect(decided.body.items.map((t: { id: string }) => t.id)).toContain(sent.body.id);
    expect(decided.body.items.every((t: { status: string }) => t.status !== 'pending')).toBe(true);
    // The sender keeps the record of what it sent.
    const kept = await catalog.http().get(`/api/transfers/${sent.body.id}`).set(as(eastAdmin));
    expect(kept.status).toBe(200);
    expect(kept.body.status).toBe('done');

    // Deciding twice.
    expect((await catalog.http().post(`/api/transfers/${sent.body.id}/accept`).set(as(westAdmin)).send({})).status).toBe(409);
    expect((await catalog.http().post(`/api/transfers/${sent.body.id}/reject`).set(as(westAdmin)).send({ note: 'no' })).status).toBe(409);
    expect((await catalog.http().post(`/api/transfers/${sent.body.id}/cancel`).set(as(eastAdmin))).status).toBe(409);
  });

  it('a rejected or cancelled transfer keeps the member where they were, and says why', async () => {
    const m = await newMember('committee/east/group-2');
    const first = await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/west'], effectiveOn: today() });
    expect(first.status).toBe(201);
    const noNote = await catalog.http().post(`/api/transfers/${first.body.id}/reject`).set(as(westAdmin)).send({});
    expect(noNote.status).toBe(400);
    expect((await catalog.http().post(`/api/transfers/${first.body.id}/reject`).set(as(westAdmin)).send({ note: '  ' })).status).toBe(400);
    const rejected = await catalog.http().post(`/api/transfers/${first.body.id}/reject`).set(as(westAdmin)).send({ note: '查无此人' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionNote: '查无此人' });
    expect(await unitOf(m.id)).toBe('committee/east/group-2');

    const second = await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/west'], effectiveOn: today() });
    expect(second.status).toBe(201);
    // Only the sending side cancels.
    expect((await catalog.http().post(`/api/transfers/${second.body.id}/cancel`).set(as(westAdmin))).status).toBe(403);
    const cancelled = await catalog.http().post(`/api/transfers/${second.body.id}/cancel`).set(as(eastAdmin));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await unitOf(m.id)).toBe('committee/east/group-2');
    expect(await periodsOf(m.id)).toHaveLength(1);
    expect((await catalog.http().post(`/api/transfers/${second.body.id}/accept`).set(as(westAdmin)).send({})).status).toBe(409);
    // Both records are kept.
    const history = await catalog.http().get(`/api/members/${m.id}/transfers`).set(as(eastAdmin));
    expect(history.body.transfers.map((t: { status: string }) => t.status).sort()).toEqual(['cancelled', 'rejected']);
    // Once nothing waits, the member's history is no longer the receiving side's to read.
    expect((await catalog.http().get(`/api/members/${m.id}/transfers`).set(as(westAdmin))).status).toBe(404);
  });

  it('a committee admin moves anyone at once, and accepts what a branch sent', async () => {
    const m = await newMember('committee/east/group-1');
    const sent = await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/north/village-1'], effectiveOn: today() });
    expect(sent.body.status).toBe('pending');
    const accepted = await catalog.http().post(`/api/transfers/${sent.body.id}/accept`).set(as(admin)).send({});
    expect(accepted.status).toBe(200);
    expect(await unitOf(m.id)).toBe('committee/north/village-1');
    const direct = await transfer(admin, { userId: m.id, toUnitId: units['committee/west/group-2'], effectiveOn: today() });
    expect(direct.body.status).toBe('done');
    expect(await unitOf(m.id)).toBe('committee/west/group-2');
  });
});

describe('scope', () => {
  it('answers 404 for members and transfers outside the subtree, and 403 for other roles', async () => {
    const westMember = await newMember('committee/west/group-1');
    const m = await newMember('committee/east/group-1');
    expect(
      (await transfer(eastAdmin, { userId: westMember.id, toUnitId: units['committee/east/group-1'], effectiveOn: today() })).status,
    ).toBe(404);
    expect(
      (await transfer(eastAdmin, { userId: m.id, toUnitId: '00000000-0000-4000-8000-000000000000', effectiveOn: today() })).status,
    ).toBe(404);
    expect((await catalog.http().get(`/api/members/${westMember.id}/transfers`).set(as(eastAdmin))).status).toBe(404);
    const theirs = await transfer(westAdmin, { userId: westMember.id, toUnitId: units['committee/north'], effectiveOn: today() });
    expect(theirs.status).toBe(201);
    for (const action of ['accept', 'reject', 'cancel']) {
      const answer = await catalog.http().post(`/api/transfers/${theirs.body.id}/${action}`).set(as(eastAdmin)).send({ note: 'x' });
      expect(answer.status).toBe(404);
    }
    expect((await catalog.http().get(`/api/transfers/${theirs.body.id}`).set(as(eastAdmin))).status).toBe(404);
    const all = await catalog.http().get('/api/transfers?direction=all&limit=100').set(as(eastAdmin));
    expect(all.body.items.map((t: { id: string }) => t.id)).not.toContain(theirs.body.id);
    expect((await catalog.http().post(`/api/transfers/${theirs.body.id}/cancel`).set(as(westAdmin))).status).toBe(200);

    expect((await catalog.http().get('/api/transfers').set(as(editor))).status).toBe(403);
    expect((await catalog.http().get('/api/transfers/not-an-id').set(as(eastAdmin))).status).toBe(400);
    expect((await catalog.http().get('/api/transfers?direction=sideways').set(as(eastAdmin))).status).toBe(400);
    expect((await catalog.http().get('/api/transfers?limit=99999999999').set(as(eastAdmin))).status).toBe(400);
  });

  it('answers bad input with 400 and unknown ids with 404, never 500', async () => {
    const m = await newMember('committee/east/group-1');
    const to = units['committee/east/group-2'];
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await transfer(eastAdmin, { userId: unknown, toUnitId: to, effectiveOn: today() })).status).toBe(404);
    for (const body of [
      [],
      { userId: m.id },
      { userId: 'x', toUnitId: to, effectiveOn: today() },
      { userId: m.id, toUnitId: to, effectiveOn: '99999-01-01' },
      { userId: m.id, toUnitId: to, effectiveOn: 20260101 },
      { userId: m.id, toUnitId: to, effectiveOn: today(), reason: 42 },
    ]) {
      expect((await transfer(eastAdmin, body as Record<string, unknown>)).status).toBe(400);
    }
    for (const action of ['accept', 'reject', 'cancel']) {
      expect((await catalog.http().post(`/api/transfers/${unknown}/${action}`).set(as(eastAdmin)).send({ note: 'x' })).status).toBe(404);
    }
    expect((await catalog.http().get(`/api/members/${unknown}/transfers`).set(as(eastAdmin))).status).toBe(404);
    expect((await catalog.http().get('/api/transfers/destinations?q=a%00b').set(as(eastAdmin))).status).toBe(400);
    expect((await catalog.http().get('/api/transfers?offset=-1').set(as(eastAdmin))).status).toBe(400);
    expect((await catalog.http().get('/api/transfers?status=maybe').set(as(eastAdmin))).status).toBe(400);
    expect(await unitOf(m.id)).toBe('committee/east/group-1');
  });

  it('lists the whole tree as a directory of names, without member data', async () => {
    const answer = await catalog.http().get('/api/transfers/destinations?q=西区').set(as(eastAdmin));
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((u: { path: string }) => u.path)).toEqual([
      'committee/west',
      'committee/west/group-1',
      'committee/west/group-2',
    ]);
    expect(answer.body.items[1]).toEqual({
      id: units['committee/west/group-1'],
      name: '西区第一小组',
      kind: 'group',
      path: 'committee/west/group-1',
      trail: '示范委员会 / 西区分会 / 西区第一小组',
      inScope: false,
    });
    const inside = await catalog.http().get('/api/transfers/destinations?scope=inside').set(as(eastAdmin));
    expect(inside.body.items.every((u: { path: string; inScope: boolean }) => u.path.startsWith('committee/east') && u.inScope)).toBe(true);
    expect((await catalog.http().get('/api/transfers/destinations?q=%25').set(as(eastAdmin))).body.items).toEqual([]);
    expect(
      (
        await catalog
          .http()
          .get(`/api/transfers/destinations?q=${'x'.repeat(101)}`)
          .set(as(eastAdmin))
      ).status,
    ).toBe(400);
  });
});

describe('study moves with the member', () => {
  it("keeps a member's plan hours after a move to another branch", async () => {
    const m = await newMember('committee/east/group-1');
    const token = await catalog.tokenFor(m.login, 'transfer-pass-1');
    const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '转接课程', categoryId });
    const lecture = await catalog.http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title: '第一讲', assetId });
    expect((await catalog.http().post(`/api/courses/${course.body.id}/publish`).set(as(editor))).status).toBeLessThan(300);
    const plan = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(admin))
      .send({ name: '全委员会计划', requiredHours: 2, periodStart: daysBefore(today(), 30), periodEnd: today() });
    expect(plan.status).toBe(201);
    await catalog.dataSource.query(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, 3600)`, [
      m.id,
      lecture.body.id,
      daysBefore(today(), 10),
    ]);
    const planOf = async (bearer: string) => {
      const answer = await catalog.http().get('/api/me/study').set(as(bearer));
      expect(answer.status).toBe(200);
      return (answer.body.plans as MyPlan[]).find((p) => p.id === plan.body.id);
    };
    const before = await planOf(token);
    expect(before?.earnedHours).toBe(1);

    const sent = await transfer(eastAdmin, {
      userId: m.id,
      toUnitId: units['committee/west/group-2'],
      effectiveOn: daysBefore(today(), 2),
    });
    expect((await catalog.http().post(`/api/transfers/${sent.body.id}/accept`).set(as(westAdmin)).send({})).status).toBe(200);
    expect(await unitOf(m.id)).toBe('committee/west/group-2');
    // A move ends the old sign-in (its token names the old unit); the member signs in again.
    expect((await catalog.http().get('/api/me/study').set(as(token))).status).toBe(401);
    const again = await catalog.http().post('/api/auth/login').send({ login: m.login, password: 'transfer-pass-1' });
    expect(again.status).toBe(200);
    const after = await planOf(again.body.accessToken);
    expect(after).toMatchObject({ earnedHours: 1, requiredHours: 2 });
  });

  it("ends the member's live session when the new unit cannot see the lecture, and keeps it when it can", async () => {
    const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '东区专题', categoryId });
    const lecture = await catalog
      .http()
      .post(`/api/courses/${course.body.id}/lectures`)
      .set(as(editor))
      .send({ title: '专题一讲', assetId });
    expect((await catalog.http().post(`/api/courses/${course.body.id}/publish`).set(as(editor))).status).toBeLessThan(300);
    expect(
      (
        await catalog
          .http()
          .patch(`/api/courses/${course.body.id}`)
          .set(as(editor))
          .send({ visibleUnitIds: [units['committee/east']] })
      ).status,
    ).toBe(200);
    const m = await newMember('committee/east/group-1');
    const token = await catalog.tokenFor(m.login, 'transfer-pass-1');
    const session = await catalog.http().post(`/api/lectures/${lecture.body.id}/playback`).set(as(token));
    expect(session.status).toBe(201);
    const endReason = async () =>
      (await catalog.dataSource.query(`SELECT end_reason FROM playback_sessions WHERE id = $1`, [session.body.sessionId]))[0].end_reason;

    expect((await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/east/group-2'], effectiveOn: today() })).status).toBe(201);
    expect(await endReason()).toBeNull();
    const sent = await transfer(eastAdmin, { userId: m.id, toUnitId: units['committee/west'], effectiveOn: today() });
    expect(await endReason()).toBeNull();
    expect((await catalog.http().post(`/api/transfers/${sent.body.id}/accept`).set(as(westAdmin)).send({})).status).toBe(200);
    expect(await endReason()).toBe('withdrawn');
  });
});
