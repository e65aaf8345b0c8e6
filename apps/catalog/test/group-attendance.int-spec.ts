import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

/**
 * Group study attendance reports and make-up for absentees. Sessions and attendance are written as the session
 * pages would write them; the reports and the make-up go through the API.
 */

let catalog: CatalogHarness;
let admin: string;
let eastAdmin: string;
let westAdmin: string;
let inspector: string;
let units: Record<string, string>;
let users: Record<string, string>;
let lectureId: string;
let lectureTitle: string;
const sessions: Record<string, string> = {};
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: catalog.env.STUDY_TIME_ZONE }).format(new Date());
const shift = (n: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const ago = (n: number) => shift(-n);
let period: { from: string; to: string };

/** Noon of a study-calendar day, as a timestamp in the study time zone. */
const noonOf = async (day: string) =>
  (await catalog.dataSource.query(`SELECT ($1::date + time '12:00') AT TIME ZONE $2 AS at`, [day, catalog.env.STUDY_TIME_ZONE]))[0]
    .at as Date;

async function session(
  name: string,
  fields: { kind: 'collective' | 'in_person'; unit: string; day: string; status?: string; afterwards?: boolean },
  attendance: Array<{ login: string; method: string; late?: boolean; sec?: number; undone?: boolean }>,
) {
  const at = await noonOf(fields.day);
  const [{ id }] = await catalog.dataSource.query(
    `INSERT INTO group_sessions (kind, org_unit_id, lecture_id, topic, starts_at, ends_at, status, recorded_afterwards, code_secret, created_by)
     VALUES ($1, $2, $3, $4, $5, $5::timestamptz + interval '1 hour', $6, $7, $8, $9) RETURNING id`,
    [
      fields.kind,
      units[fields.unit],
      fields.kind === 'collective' ? lectureId : null,
      fields.kind === 'in_person' ? `现场学习 ${name}` : null,
      at,
      fields.status ?? 'ended',
      fields.afterwards ?? false,
      randomBytes(32),
      users.admin,
    ],
  );
  for (const a of attendance) {
    await catalog.dataSource.query(
      `INSERT INTO group_session_attendance (session_id, user_id, method, late, first_in_at, recorded_by, credited_sec, undone_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, users[a.login], a.method, a.late ?? false, at, users.admin, a.sec ?? 0, a.undone ? at : null],
    );
  }
  sessions[name] = id;
}

interface UnitRow {
  unitPath: string;
  collectiveSessions: number;
  inPersonSessions: number;
  attendances: number;
  rosterPlaces: number;
  attendanceRate: number | null;
  creditedSec: number;
}
interface MemberRow {
  login: string;
  unitName: string;
  sessionsHeld: number;
  attended: number;
  absent: number;
  late: number;
  recordedAfterwards: number;
  creditedSec: number;
}
interface SessionRow {
  sessionId: string;
  rosterPlaces: number;
  attendances: number;
  absent: number;
  makeupGiven: number;
  canGiveMakeup: boolean;
  absentees: Array<{ login: string; makeupGiven: boolean }>;
}

const get = (token: string, table: string, query: Record<string, string> = {}) =>
  catalog
    .http()
    .get(`/api/reports/group/${table}`)
    .query({ ...period, ...query })
    .set(as(token));
async function items<Row>(token: string, table: string, query: Record<string, string> = {}): Promise<Row[]> {
  const answer = await get(token, table, query);
  expect(answer.status).toBe(200);
  return answer.body.items as Row[];
}
const makeup = (token: string, id: string, body: object = {}) =>
  catalog.http().post(`/api/group-sessions/${id}/makeup`).set(as(token)).send(body);

beforeAll(async () => {
  catalog = await startCatalog();
  admin = await catalog.tokenFor('admin');
  eastAdmin = await catalog.tokenFor('east-admin');
  inspector = await catalog.tokenFor('inspector');
  units = Object.fromEntries(
    ((await catalog.dataSource.query(`SELECT id, path FROM org_units`)) as Array<{ id: string; path: string }>).map((u) => [u.path, u.id]),
  );
  const made = await catalog.http().post('/api/members').set(as(admin)).send({
    login: 'west-admin',
    name: '西区管理员',
    role: 'admin',
    orgUnitId: units['committee/west'],
    password: 'west-admin-pass-1',
  });
  expect(made.status).toBe(201);
  westAdmin = await catalog.tokenFor('west-admin', 'west-admin-pass-1');
  users = Object.fromEntries(
    ((await catalog.dataSource.query(`SELECT id, login FROM users`)) as Array<{ id: string; login: string }>).map((u) => [u.login, u.id]),
  );
  // Everyone has been in their unit since long before the sessions below.
  await catalog.dataSource.query(`UPDATE member_unit_periods SET from_day = $1`, [ago(60)]);

  const editor = await catalog.tokenFor('editor');
  const categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body[0].id;
  const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '集体收看课程', categoryId });
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  lectureTitle = '第一讲 集体收看';
  lectureId = (await catalog.http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title: lectureTitle, assetId }))
    .body.id;
  period = { from: ago(10), to: today() };

  // A deactivated member has no place on a roster.
  await catalog.dataSource.query(`UPDATE users SET active = false WHERE login = 'member30'`);
  // East group 1 (active: member, member05, 10, 15, 20, 25): a collective viewing, two attended.
  await session('eastViewing', { kind: 'collective', unit: 'committee/east/group-1', day: ago(3) }, [
    { login: 'member', method: 'roster', late: true, sec: 300 },
    { login: 'member05', method: 'qr', sec: 600 },
    // Ticked by mistake and taken back: absent.
    { login: 'member15', method: 'roster', undone: true },
  ]);
  // The east branch (group 1 and group 2: member06, 11, 16, 21, 26): an in-person session recorded afterwards.
  await session('eastInPerson', { kind: 'in_person', unit: 'committee/east', day: ago(2), afterwards: true }, [
    { login: 'member', method: 'afterwards', sec: 3600 },
    { login: 'member06', method: 'afterwards', sec: 3600 },
  ]);
  // West group 1 (member02, 07, 12, 17, 22, 27): one attended.
  await session('westViewing', { kind: 'collective', unit: 'committee/west/group-1', day: ago(3) }, [
    { login: 'member07', method: 'code', sec: 900 },
    // A member of the north branch who came along: a place they took, counted in their own unit.
    { login: 'member04', method: 'code', sec: 900 },
  ]);
  // Not held in the period's sense: cancelled, live, or before the period.
  await session('cancelled', { kind: 'collective', unit: 'committee/east/group-1', day: ago(1), status: 'cancelled' }, []);
  await session('live', { kind: 'collective', unit: 'committee/east/group-1', day: today(), status: 'live' }, []);
  await session('old', { kind: 'collective', unit: 'committee/east/group-1', day: ago(40) }, []);

  // member25 moved to the west yesterday: the viewing three days ago still counts them in east group 1.
  const moved = await catalog
    .http()
    .post('/api/transfers')
    .set(as(admin))
    .send({ userId: users.member25, toUnitId: units['committee/west/group-2'], effectiveOn: ago(1), reason: '调动' });
  expect(moved.status).toBe(201);
}, 180_000);
afterAll(() => catalog?.close());

describe('attendance by unit', () => {
  it('counts sessions held, attendances over roster places and hours credited, rolled up each subtree', async () => {
    const rows = new Map((await items<UnitRow>(admin, 'units')).map((r) => [r.unitPath, r]));
    expect(rows.get('committee/east/group-1')).toMatchObject({
      collectiveSessions: 1,
      inPersonSessions: 1,
      rosterPlaces: 12,
      attendances: 3,
      attendanceRate: 0.25,
      creditedSec: 4500,
    });
    expect(rows.get('committee/east/group-2')).toMatchObject({
      collectiveSessions: 0,
      inPersonSessions: 1,
      rosterPlaces: 5,
      attendances: 1,
      attendanceRate: 0.2,
      creditedSec: 3600,
    });
    expect(rows.get('committee/east')).toMatchObject({ collectiveSessions: 1, inPersonSessions: 1, rosterPlaces: 17, attendances: 4 });
    expect(rows.get('committee/west/group-1')).toMatchObject({ collectiveSessions: 1, rosterPlaces: 6, attendances: 1 });
    expect(rows.get('committee/west/group-2')).toMatchObject({ collectiveSessions: 0, rosterPlaces: 0, attendanceRate: null });
    // The north member who came along to the west's viewing took a place, counted in the north.
    expect(rows.get('committee/north')).toMatchObject({ collectiveSessions: 1, inPersonSessions: 0, rosterPlaces: 1, attendanceRate: 1 });
    expect(rows.get('committee')).toMatchObject({ collectiveSessions: 2, inPersonSessions: 1, rosterPlaces: 24, attendances: 6 });
    expect([...rows.keys()][0]).toBe('committee');
  });

  it('shows a chosen unit and the units right below it', async () => {
    const rows = await items<UnitRow>(admin, 'units', { unitId: units['committee/east']! });
    expect(rows.map((r) => r.unitPath)).toEqual(['committee/east', 'committee/east/group-1', 'committee/east/group-2']);
  });

  it('counts only the days of the period', async () => {
    const before = await items<UnitRow>(admin, 'units', { from: ago(3), to: ago(3) });
    expect(before.find((r) => r.unitPath === 'committee')).toMatchObject({ collectiveSessions: 2, inPersonSessions: 0, rosterPlaces: 13 });
    const long = await items<UnitRow>(admin, 'units', { from: ago(50), to: today() });
    expect(long.find((r) => r.unitPath === 'committee/east/group-1')).toMatchObject({ collectiveSessions: 2 });
  });
});

describe('attendance by member and by session', () => {
  it('gives each member sessions held for them, attended, absent, late, recorded afterwards and hours', async () => {
    const rows = new Map((await items<MemberRow>(admin, 'members')).map((r) => [r.login, r]));
    expect(rows.get('member')).toMatchObject({
      sessionsHeld: 2,
      attended: 2,
      absent: 0,
      late: 1,
      recordedAfterwards: 1,
      creditedSec: 3900,
    });
    expect(rows.get('member06')).toMatchObject({ sessionsHeld: 1, attended: 1, recordedAfterwards: 1, creditedSec: 3600 });
    expect(rows.get('member10')).toMatchObject({ sessionsHeld: 2, attended: 0, absent: 2 });
    // Counted where they were on the session's day.
    expect(rows.get('member25')).toMatchObject({ sessionsHeld: 2, absent: 2, unitName: '东区第一小组' });
    expect(rows.has('member30')).toBe(false);
    expect(rows.get('member04')).toMatchObject({ sessionsHeld: 1, attended: 1, unitName: '北区农村小组' });
    // East group 1 (6), east group 2 (5), west group 1 (6) and the north member who came along.
    expect(rows.size).toBe(18);
  });

  it('lists sessions newest first with their absentees', async () => {
    const rows = await items<SessionRow>(admin, 'sessions');
    expect(rows).toHaveLength(3);
    expect(rows[0]!.sessionId).toBe(sessions.eastInPerson);
    expect(new Set(rows.map((r) => r.sessionId))).toEqual(new Set([sessions.eastInPerson, sessions.eastViewing, sessions.westViewing]));
    const viewing = rows.find((r) => r.sessionId === sessions.eastViewing)!;
    expect(viewing).toMatchObject({ rosterPlaces: 6, attendances: 2, absent: 4, makeupGiven: 0, canGiveMakeup: true });
    expect(viewing.absentees.map((a) => a.login).sort()).toEqual(['member10', 'member15', 'member20', 'member25']);
    expect(rows.find((r) => r.sessionId === sessions.eastInPerson)).toMatchObject({ canGiveMakeup: false });
    const byInspector = await items<SessionRow>(inspector, 'sessions');
    expect(byInspector.every((r) => !r.canGiveMakeup)).toBe(true);
  });
});

describe('scope', () => {
  it("shows a branch admin their branch only: a sibling branch's sessions, members and units never appear", async () => {
    const east = await items<UnitRow>(eastAdmin, 'units');
    expect(east.every((r) => r.unitPath.startsWith('committee/east'))).toBe(true);
    const west = await items<UnitRow>(westAdmin, 'units');
    expect(west.map((r) => r.unitPath)).toEqual(['committee/west', 'committee/west/group-1', 'committee/west/group-2']);
    expect(west[0]).toMatchObject({ collectiveSessions: 1, inPersonSessions: 0, rosterPlaces: 6, attendances: 1 });

    const westSessions = await items<SessionRow>(westAdmin, 'sessions');
    expect(westSessions.map((r) => r.sessionId)).toEqual([sessions.westViewing]);
    const westMembers = await items<MemberRow>(westAdmin, 'members');
    expect(westMembers.map((r) => r.login).sort()).toEqual(['member02', 'member07', 'member12', 'member17', 'member22', 'member27']);
    const eastMembers = await items<MemberRow>(eastAdmin, 'members');
    expect(eastMembers.some((r) => r.login === 'member07')).toBe(false);

    expect((await get(westAdmin, 'units', { unitId: units['committee/east']! })).status).toBe(404);
    expect((await get(eastAdmin, 'sessions', { unitId: units['committee/west/group-1']! })).status).toBe(404);
    expect((await get(await catalog.tokenFor('member'), 'units')).status).toBe(403);
    expect((await get(await catalog.tokenFor('editor'), 'units')).status).toBe(403);
  });

  it('validates the period and says what to send', async () => {
    const reversed = await get(admin, 'units', { from: today(), to: ago(5) });
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.body)).toMatch(/must not be before from/);
    expect((await get(admin, 'units', { from: 'yesterday' })).status).toBe(400);
    expect((await get(admin, 'units', { format: 'pdf' })).status).toBe(400);
  });
});

describe('exports', () => {
  const download = (path: string, token: string) =>
    catalog
      .http()
      .get(path)
      .set(as(token))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it.each(['units', 'members', 'sessions'])('the %s files hold the screen’s cells, in both languages', async (table) => {
    for (const lang of ['zh-CN', 'en']) {
      const query = new URLSearchParams({ ...period, lang }).toString();
      const screen = (await download(`/api/reports/group/${table}?${query}&format=table`, eastAdmin)).body as Buffer;
      const { columns, rows } = JSON.parse(screen.toString('utf8')) as {
        columns: Array<{ key: string; label: string }>;
        rows: Array<Record<string, string>>;
      };
      expect(rows.length).toBeGreaterThan(0);
      const cells = rows.map((row) => columns.map((c) => row[c.key]));

      const csv = await download(`/api/reports/group/${table}?${query}&format=csv`, eastAdmin);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-disposition']).toContain(`-${period.from}-${period.to}.csv`);
      const records = parse((csv.body as Buffer).toString('utf8').replace(/^\ufeff/, '')) as string[][];
      expect(records[0]).toEqual(columns.map((c) => c.label));
      expect(records.slice(1)).toEqual(cells);

      const xlsx = await download(`/api/reports/group/${table}?${query}&format=xlsx`, eastAdmin);
      expect(xlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      const read = Array.from({ length: sheet.rowCount }, (_, r) =>
        Array.from({ length: columns.length }, (_, c) => sheet.getRow(r + 1).getCell(c + 1)),
      );
      expect(read[0]!.map((c) => c.value)).toEqual(columns.map((c) => c.label));
      // Numbers stay numbers in a spreadsheet; formatted, they read as the screen's cell.
      for (const [r, row] of read.slice(1).entries()) {
        for (const [c, cell] of row.entries()) {
          const text = cells[r]![c]!;
          if (typeof cell.value === 'number') {
            if (text.endsWith('%')) expect(`${(cell.value * 100).toFixed(1)}%`).toBe(text);
            else expect(cell.value).toBe(Number(text));
          } else expect(cell.value ?? '—').toBe(text === '—' && cell.value === null ? '—' : text);
        }
      }
    }
  });

  it('names the absentees in the sessions file as on the screen', async () => {
    const csv = await download(`/api/reports/group/sessions?${new URLSearchParams({ ...period, lang: 'zh-CN' })}&format=csv`, eastAdmin);
    const names = (await catalog.dataSource.query(
      `SELECT name FROM users WHERE login IN ('member10', 'member15', 'member20', 'member25')`,
    )) as Array<{
      name: string;
    }>;
    const text = (csv.body as Buffer).toString('utf8');
    for (const { name } of names) expect(text).toContain(name);
  });
});

describe('make-up for absentees', () => {
  const noticesOf = (login: string) =>
    catalog.dataSource.query(`SELECT kind, params, link FROM member_notices WHERE user_id = $1 AND kind = 'group.makeup'`, [users[login]]);

  it('says what to do when no plan has a make-up window, and changes nothing', async () => {
    const refused = await makeup(eastAdmin, sessions.eastViewing!);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'no_makeup_window', absentees: 4 });
    expect(refused.body.message).toMatch(/make-up window/);
    expect(refused.body.message).toMatch(/withoutWindow/);
    expect(await catalog.dataSource.query(`SELECT 1 FROM group_session_makeups`)).toHaveLength(0);
    expect(await noticesOf('member10')).toHaveLength(0);
  });

  it('grants every absentee in one action through the open plans’ make-up windows, once', async () => {
    // A plan of east group 1 whose period ended, with its make-up window open for ten more days.
    const [{ id: planId }] = await catalog.dataSource.query(
      `INSERT INTO study_plans (name, owner_unit_id, period_start, period_end, required_hours, makeup_until, created_by)
       VALUES ('冬季学习计划', $1, $2, $3, 2, $4, $5) RETURNING id`,
      [units['committee/east'], ago(30), ago(1), shift(10), users.admin],
    );
    await catalog.dataSource.query(`INSERT INTO study_plan_units (plan_id, org_unit_id) VALUES ($1, $2)`, [
      planId,
      units['committee/east/group-1'],
    ]);
    // A closed plan with a window, and one without a window: neither is used.
    const [{ id: closedId }] = await catalog.dataSource.query(
      `INSERT INTO study_plans (name, owner_unit_id, period_start, period_end, required_hours, makeup_until, closed_at, created_by)
       VALUES ('已结束的计划', $1, $2, $3, 2, $4, now(), $5) RETURNING id`,
      [units['committee/east'], ago(30), ago(1), shift(10), users.admin],
    );
    await catalog.dataSource.query(`INSERT INTO study_plan_units (plan_id, org_unit_id) VALUES ($1, $2)`, [
      closedId,
      units['committee/east'],
    ]);

    const given = await makeup(eastAdmin, sessions.eastViewing!);
    expect(given.status).toBe(200);
    // member25 has moved to the west and the plan covers east group 1 only: recorded without a window.
    expect(given.body).toMatchObject({ absentees: 4, granted: 4, alreadyGranted: 0, withoutWindow: 1, notified: 4 });
    expect(given.body.plans).toEqual([{ id: planId, name: '冬季学习计划', makeupUntil: shift(10) }]);
    const windowed = (await catalog.dataSource.query(`SELECT user_id FROM study_plan_makeup WHERE plan_id = $1`, [planId])) as Array<{
      user_id: string;
    }>;
    expect(windowed.map((r) => r.user_id).sort()).toEqual([users.member10, users.member15, users.member20].sort());
    expect(await catalog.dataSource.query(`SELECT 1 FROM study_plan_makeup WHERE plan_id = $1`, [closedId])).toHaveLength(0);

    expect(await noticesOf('member10')).toEqual([
      { kind: 'group.makeup', params: { title: lectureTitle, until: shift(10) }, link: `/lectures/${lectureId}` },
    ]);
    expect(await noticesOf('member25')).toEqual([
      { kind: 'group.makeup', params: { title: lectureTitle }, link: `/lectures/${lectureId}` },
    ]);
    expect(await noticesOf('member')).toHaveLength(0);
    const listed = await catalog
      .http()
      .get('/api/notices')
      .set(as(await catalog.tokenFor('member10')));
    expect(listed.body.items[0]).toMatchObject({ kind: 'group.makeup', link: `/lectures/${lectureId}` });

    // Again, by the group's leader: nothing new, no second notice.
    const again = await makeup(await catalog.tokenFor('member'), sessions.eastViewing!);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ absentees: 4, granted: 0, alreadyGranted: 4, notified: 0 });
    expect(await noticesOf('member10')).toHaveLength(1);
    const recorded = await catalog.dataSource.query(`SELECT user_id, plan_ids FROM group_session_makeups WHERE session_id = $1`, [
      sessions.eastViewing,
    ]);
    expect(recorded).toHaveLength(4);

    const [viewing] = (await items<SessionRow>(eastAdmin, 'sessions')).filter((r) => r.sessionId === sessions.eastViewing);
    expect(viewing).toMatchObject({ makeupGiven: 4 });
    expect(viewing!.absentees.every((a) => a.makeupGiven)).toBe(true);
  });

  it('answers concurrent grants once', async () => {
    const session = sessions.westViewing!;
    const [a, b] = await Promise.all([
      makeup(westAdmin, session, { withoutWindow: true }),
      makeup(westAdmin, session, { withoutWindow: true }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.granted + b.body.granted).toBe(5);
    expect(a.body.absentees).toBe(5);
    expect(await noticesOf('member12')).toEqual([
      { kind: 'group.makeup', params: { title: lectureTitle }, link: `/lectures/${lectureId}` },
    ]);
  });

  it('is for admins of the unit and the session’s leaders only, and for ended collective viewings', async () => {
    expect((await makeup(westAdmin, sessions.eastViewing!)).status).toBe(404);
    expect((await makeup(inspector, sessions.eastViewing!)).status).toBe(403);
    expect((await makeup(await catalog.tokenFor('member10'), sessions.eastViewing!)).status).toBe(404);
    // The east branch's secretary leads its groups' sessions.
    expect((await makeup(await catalog.tokenFor('member05'), sessions.eastViewing!)).status).toBe(200);
    const inPerson = await makeup(eastAdmin, sessions.eastInPerson!);
    expect(inPerson.status).toBe(409);
    expect(inPerson.body.message).toMatch(/in-person/);
    const live = await makeup(eastAdmin, sessions.live!);
    expect(live.status).toBe(409);
    expect(live.body.message).toMatch(/end it first/);
    expect((await makeup(eastAdmin, sessions.eastViewing!, { foo: 1 })).status).toBe(400);
    expect((await makeup(eastAdmin, sessions.eastViewing!, { withoutWindow: 'yes' })).status).toBe(400);
    expect((await catalog.http().post('/api/group-sessions/not-an-id/makeup').set(as(eastAdmin)).send({})).status).toBe(400);
    expect((await makeup(eastAdmin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
