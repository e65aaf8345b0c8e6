// The group attendance report, read by the east branch's admin as they would: in Chinese on a phone and in English
// at a desk. They read the units, members and sessions of their branch only, give a viewing's absentees make-up in one
// action (through a plan's make-up window), give it for a viewing no plan has a window for after being told so, and
// export the tables. An absentee finds the make-up on their home page.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { captureDownload, expectConsoleErrors } from '../support/browser.js';
import {
  browserSuite,
  desktop,
  escapeRegExp,
  expectTidy,
  fillTemplate,
  messagesOf,
  namedLike,
  phone,
  type Locale,
} from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(180_000);

const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: 'Asia/Shanghai' });
const zh = messagesOf('zh-CN');
const en = messagesOf('en');

const courseTitle = '基层治理集体学习';
const viewingTitle = '第一讲 议事协商';
const secondTitle = '第二讲 民主评议';
const planName = '东区第一小组冬季学习';
const sessions: Record<string, string> = {};
let lectureIds: string[] = [];

const unitId = async (path: string) => (await suite.db.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const userId = async (login: string) => (await suite.db.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id as string;

/** An ended session `daysAgo` days ago, as the session pages leave it, with who attended. */
async function heldSession(
  name: string,
  fields: { kind: 'collective' | 'in_person'; unit: string; daysAgo: number; lectureId?: string; topic?: string; afterwards?: boolean },
  attendance: Array<{ login: string; method: string; late?: boolean; sec?: number }>,
) {
  const admin = await userId('admin');
  const [{ id }] = await suite.db.query(
    `INSERT INTO group_sessions (kind, org_unit_id, lecture_id, topic, starts_at, ends_at, status, recorded_afterwards, code_secret, created_by)
     VALUES ($1, $2, $3, $4, now() - make_interval(days => $5), now() - make_interval(days => $5) + interval '1 hour', 'ended', $6, $7, $8)
     RETURNING id`,
    [
      fields.kind,
      await unitId(fields.unit),
      fields.lectureId ?? null,
      fields.topic ?? null,
      fields.daysAgo,
      fields.afterwards ?? false,
      randomBytes(32),
      admin,
    ],
  );
  for (const a of attendance) {
    await suite.db.query(
      `INSERT INTO group_session_attendance (session_id, user_id, method, late, first_in_at, recorded_by, credited_sec)
       SELECT $1, $2, $3, $4, starts_at, $5, $6 FROM group_sessions WHERE id = $1`,
      [id, await userId(a.login), a.method, a.late ?? false, admin, a.sec ?? 0],
    );
  }
  sessions[name] = id;
}

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id }))
    .id;
  lectureIds = [];
  for (const title of [viewingTitle, secondTitle]) {
    const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 2);
    lectureIds.push((await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, { title, assetId })).id);
  }
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);

  // Everyone has been in their unit since well before the sessions.
  await suite.db.query(`UPDATE member_unit_periods SET from_day = current_date - 60`);
  // East group 1 (member, member05, 10, 15, 20, 25, 30): a viewing two of them attended.
  await heldSession('viewing', { kind: 'collective', unit: 'committee/east/group-1', daysAgo: 3, lectureId: lectureIds[0] }, [
    { login: 'member', method: 'roster', late: true, sec: 1200 },
    { login: 'member05', method: 'qr', sec: 1500 },
  ]);
  // East group 2 (member06, 11, 16, 21, 26): a viewing no plan has a make-up window for.
  await heldSession('second', { kind: 'collective', unit: 'committee/east/group-2', daysAgo: 2, lectureId: lectureIds[1] }, [
    { login: 'member06', method: 'code', sec: 1800 },
    { login: 'member11', method: 'qr', sec: 1800 },
    { login: 'member16', method: 'roster', sec: 1800 },
  ]);
  // The whole east branch in person, recorded afterwards.
  await heldSession('inPerson', { kind: 'in_person', unit: 'committee/east', daysAgo: 1, topic: '学习贯彻全会精神', afterwards: true }, [
    { login: 'member', method: 'afterwards', sec: 5400 },
    { login: 'member06', method: 'afterwards', sec: 5400 },
    { login: 'member10', method: 'afterwards', sec: 5400 },
  ]);
  // The west branch's viewing: never in the east admin's report.
  await heldSession('west', { kind: 'collective', unit: 'committee/west/group-1', daysAgo: 3, lectureId: lectureIds[0] }, [
    { login: 'member07', method: 'qr', sec: 900 },
  ]);

  // A plan of east group 1 whose period ended yesterday, with its make-up window open ten more days.
  const [{ id: planId }] = await suite.db.query(
    `INSERT INTO study_plans (name, owner_unit_id, period_start, period_end, required_hours, makeup_until, created_by)
     VALUES ($1, $2, current_date - 40, current_date - 1, 2, current_date + 10, $3) RETURNING id`,
    [planName, await unitId('committee/east'), await userId('admin')],
  );
  await suite.db.query(`INSERT INTO study_plan_units (plan_id, org_unit_id) VALUES ($1, $2)`, [
    planId,
    await unitId('committee/east/group-1'),
  ]);
}, 180_000);

async function openReport(locale: Locale, viewport = phone): Promise<Page> {
  const m = messagesOf(locale);
  const page = await suite.open(suite.stack.demo.branchAdmin, { locale, viewport, acceptDownloads: true });
  await page.goto('/reports');
  await page.getByRole('heading', { level: 1, name: m.reports.title }).waitFor();
  await page.getByRole('link', { name: m.groupAttendance.title }).click();
  await page.getByRole('heading', { level: 1, name: m.groupAttendance.title }).waitFor();
  await page.locator('.group-session').first().waitFor();
  return page;
}

const cells = async (page: Page, selector: string) => {
  const row = page.locator(selector).first();
  await row.waitFor();
  return row.locator('th, td').allInnerTexts();
};

const viewingCard = (page: Page, title: string) =>
  page.locator('article.group-session').filter({ has: page.getByRole('heading', { name: title }) });

describe('the group attendance report', () => {
  it('reads the branch in Chinese on a phone, gives a viewing’s absentees make-up at once, and exports', async () => {
    const page = await openReport('zh-CN');
    const m = zh.groupAttendance;
    // Group 1: a viewing (7 places, 2 attended) and the in-person session (7 places, 2 attended): 4 of 14.
    expect(await cells(page, 'tr[data-unit-path="committee/east/group-1"]')).toEqual([
      '东区第一小组',
      '1',
      '1',
      '4',
      '14',
      '28.6%',
      '3 小时 45 分',
    ]);
    // The branch: two viewings, one in-person session; 12 places in person, 7 + 5 viewing.
    expect((await cells(page, 'tr[data-unit-path="committee/east"]')).slice(1, 6)).toEqual(['2', '1', '8', '24', '33.3%']);
    await page.getByRole('figure').filter({ hasText: m.chart }).waitFor();
    const text = (await page.getByRole('main').textContent()) ?? '';
    for (const foreign of ['西区', '北区']) expect(text).not.toContain(foreign);
    const member10 = await cells(page, 'tr[data-login="member10"]');
    // Held for them 2, attended 1, absent 1, late 0, recorded afterwards 1.
    expect(member10.slice(2, 7)).toEqual(['2', '1', '1', '0', '1']);
    await expectTidy(page, 'group-attendance-zh-390');

    const card = viewingCard(page, viewingTitle);
    await card.getByText(fillTemplate(m.absentees, { count: 5 })).waitFor();
    await card.getByRole('button', { name: namedLike(m.giveMakeup, fillTemplate(m.giveMakeupOf, { title: viewingTitle })) }).click();
    await card
      .getByRole('status')
      .filter({ hasText: fillTemplate(m.makeupDoneFirst, { granted: 5 }) })
      .waitFor();
    await card.getByRole('status').filter({ hasText: planName }).waitFor();
    // The list reloads with each absentee marked.
    await card
      .locator('.group-session__figures')
      .getByText(fillTemplate(m.makeupCount, { count: 5 }))
      .waitFor();
    expect(await card.getByText(m.makeupBadge).count()).toBe(5);
    await expectTidy(page, 'group-attendance-makeup-zh-390');

    const granted = await suite.db.query(
      `SELECT u.login FROM study_plan_makeup m JOIN users u ON u.id = m.user_id JOIN study_plans p ON p.id = m.plan_id
        WHERE p.name = $1 ORDER BY u.login`,
      [planName],
    );
    expect(granted.map((r: { login: string }) => r.login)).toEqual(['member10', 'member15', 'member20', 'member25', 'member30']);

    const units = page.getByRole('region', { name: m.units });
    const file = await captureDownload(page, () =>
      units.getByRole('button', { name: new RegExp(`^${escapeRegExp(zh.exports.xlsx)}`) }).click(),
    );
    expect(file.name).toMatch(/^东区分会 - 集体学习考勤 单位 - \d{4}-\d{2}-\d{2}~\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(file.body.subarray(0, 2).toString()).toBe('PK');
    const list = page.getByRole('region', { name: m.sessions });
    const csv = await captureDownload(page, () =>
      list.getByRole('button', { name: new RegExp(`^${escapeRegExp(zh.exports.csv)}`) }).click(),
    );
    expect(csv.name).toMatch(/^东区分会 - 集体学习考勤 场次 - .*\.csv$/);
    const rows = csv.body
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.includes(viewingTitle))).toContain(',7,');
    expect(csv.body.toString('utf8')).not.toContain('西区');
  });

  it('is told when no plan has a make-up window, and gives it anyway, in English at a desk', async () => {
    const page = await openReport('en', desktop);
    const m = en.groupAttendance;
    expect((await cells(page, 'tr[data-unit-path="committee/east/group-2"]')).slice(0, 6)).toEqual([
      '东区第二小组',
      '1',
      '1',
      '4',
      '10',
      '40.0%',
    ]);
    const card = viewingCard(page, secondTitle);
    // The first answer is a 409 saying no plan has a make-up window: the page explains it.
    expectConsoleErrors(/status of 409/);
    await card.getByRole('button', { name: namedLike(m.giveMakeup, fillTemplate(m.giveMakeupOf, { title: secondTitle })) }).click();
    await card.getByText(m.noWindow).waitFor();
    await expectTidy(page, 'group-attendance-no-window-en-desktop');
    expect(await suite.db.query(`SELECT 1 FROM group_session_makeups WHERE session_id = $1`, [sessions.second])).toHaveLength(0);
    await card.getByRole('button', { name: m.giveWithoutWindow }).click();
    await card
      .getByRole('status')
      .filter({ hasText: fillTemplate(m.makeupDoneFirst, { granted: 2 }) })
      .waitFor();
    await card
      .getByRole('status')
      .filter({ hasText: fillTemplate(m.makeupWithoutWindow, { count: 2 }) })
      .waitFor();

    // Giving it again for the first viewing changes nothing.
    const first = viewingCard(page, viewingTitle);
    await first
      .locator('.group-session__figures')
      .getByText(fillTemplate(m.makeupCount, { count: 5 }))
      .waitFor();
    await first.getByRole('button', { name: namedLike(m.giveMakeup, fillTemplate(m.giveMakeupOf, { title: viewingTitle })) }).click();
    await first.getByRole('status').filter({ hasText: m.makeupNothing }).waitFor();
    await expectTidy(page, 'group-attendance-en-desktop');
  });

  it('reads in English on a phone and in Chinese at a desk', async () => {
    const phonePage = await openReport('en', phone);
    await phonePage.getByRole('figure').filter({ hasText: en.groupAttendance.chart }).waitFor();
    await viewingCard(phonePage, viewingTitle).getByText(en.groupAttendance.makeupBadge).first().waitFor();
    await expectTidy(phonePage, 'group-attendance-en-390');
    const deskPage = await openReport('zh-CN', desktop);
    await deskPage.getByRole('figure').filter({ hasText: zh.groupAttendance.chart }).waitFor();
    await expectTidy(deskPage, 'group-attendance-zh-desktop');
  });

  it('tells an absentee on their home page to make up the lecture', async () => {
    const page = await suite.open({ login: 'member15', password: DEMO_PASSWORD }, { locale: 'zh-CN', viewport: phone });
    await page.goto('/study');
    const notice = page.getByRole('link', { name: new RegExp(`请在 .+ 前补学《${escapeRegExp(viewingTitle)}》`) });
    await notice.waitFor();
    await expectTidy(page, 'group-attendance-notice-zh-390');
    await notice.click();
    await page.waitForURL(new RegExp(`/lectures/${lectureIds[0]}$`));
  });
});
