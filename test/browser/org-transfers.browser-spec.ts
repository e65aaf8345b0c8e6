import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { browserSuite, escapeRegExp, expectTidy, fillTemplate, namedLike } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(120_000);

const TIME_ZONE = 'Asia/Shanghai';
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: TIME_ZONE });

/** The member moved: the first of the east branch after the demo member. */
let mover = { login: '', name: '', unit: '', unitPath: '' };
let lectureId = '';
const studyDay = () => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());

beforeAll(async () => {
  const { stack, db } = suite;
  // A published lecture to credit study to, made by the editor through the API.
  const editor = await suite.tokenOf(stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: '转接与学时', categoryId: categories[0]!.id }))
    .id;
  const { assetId } = await publishTestMedia(db, stack.env.STORAGE_DIR!, 2);
  lectureId = (await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, { title: '第一讲', assetId })).id;
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);
  [mover] = await db.query(
    `SELECT u.login, u.name, o.name AS unit, o.path AS "unitPath" FROM users u JOIN org_units o ON o.id = u.org_unit_id
      WHERE u.role = 'member' AND u.active AND o.path LIKE 'committee/east/%' AND u.login <> 'member' ORDER BY u.login LIMIT 1`,
  );
  // The mover joined the east branch long before today, as real members did. On a database seeded
  // today their east period would otherwise begin on the transfer day, and a change of unit on a
  // period's first day replaces that period's unit instead of closing it.
  await db.query(
    `UPDATE member_unit_periods SET from_day = from_day - 90
      WHERE to_day IS NULL AND user_id = (SELECT id FROM users WHERE login = $1)`,
    [mover.login],
  );
}, 180_000);

describe('member transfers between branches', () => {
  it('lets the east branch admin send a member to the west branch with a reason, at phone width in Chinese', async () => {
    const page = await suite.open(suite.stack.demo.branchAdmin, { locale: 'zh-CN' });
    await page.goto('/organisation/transfers');
    await page.getByRole('heading', { level: 1, name: zh.orgTransfers.title }).waitFor();
    await page.getByText(zh.orgTransfers.waitingTheirsNone).waitFor();
    await expectTidy(page, 'org-transfers-east-empty-390');

    await page.getByLabel(zh.orgTransfers.findMember).fill(mover.login);
    await page.getByRole('button', { name: zh.orgTransfers.search, exact: true }).click();
    await page.getByRole('button', { name: namedLike(zh.orgTransfers.transfer, mover.name) }).click();
    await page.getByRole('heading', { name: fillTemplate(zh.orgTransfers.formTitle, { name: mover.name }) }).waitFor();
    // Another branch is found in the organisation's directory, by name.
    await page.getByLabel(zh.orgTransfers.outside).check();
    await page.getByLabel(zh.orgTransfers.findUnit).fill('西区第一');
    await page.getByRole('button', { name: zh.orgTransfers.search, exact: true }).click();
    await page.getByRole('button', { name: namedLike(zh.orgTransfers.chooseUnit, '示范委员会 / 西区分会 / 西区第一小组') }).click();
    await page.getByText(fillTemplate(zh.orgTransfers.chosenUnit, { unit: '示范委员会 / 西区分会 / 西区第一小组' })).waitFor();
    await page.getByLabel(zh.orgTransfers.reason).fill('工作调动到西区');
    await expectTidy(page, 'org-transfers-east-form-390');
    await page.getByRole('button', { name: zh.orgTransfers.submit }).click();

    await page.getByText(fillTemplate(zh.orgTransfers.sentPending, { unit: '西区第一小组' })).waitFor();
    const waiting = page.locator('section', { has: page.getByRole('heading', { name: zh.orgTransfers.waitingTheirs }) });
    const card = waiting.locator('article', { hasText: mover.name });
    await card.getByText(fillTemplate(zh.orgTransfers.reasonText, { reason: '工作调动到西区' })).waitFor();
    await expect(card.getByRole('button', { name: namedLike(zh.orgTransfers.cancel, mover.name) }).count()).resolves.toBe(1);
    // The member stays in the east until the west accepts.
    const [{ path }] = await suite.db.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = $1`, [
      mover.login,
    ]);
    expect(path).toMatch(/^committee\/east\//);
    await expectTidy(page, 'org-transfers-east-sent-390');
  });

  it('lets the committee admin accept it on the transfers page in English; the history shows the move', async () => {
    const page = await suite.open(suite.stack.demo.committeeAdmin, { locale: 'en' });
    await page.goto('/organisation/transfers');
    const mine = page.locator('section', { has: page.getByRole('heading', { name: en.orgTransfers.waitingMine }) });
    const card = mine.locator('article', { hasText: mover.name });
    await card.getByText(fillTemplate(en.orgTransfers.fromTo, { from: mover.unit, to: '西区第一小组' })).waitFor();
    await expectTidy(page, 'org-transfers-admin-incoming-390-en');

    // Rejecting needs a note; the page says so instead of sending.
    await card.getByRole('button', { name: namedLike(en.orgTransfers.reject, mover.name) }).click();
    await card.getByText(en.orgTransfers.needNote).waitFor();
    await card.getByLabel(en.orgTransfers.note).fill('Welcome to the west branch');
    await card.getByRole('button', { name: namedLike(en.orgTransfers.accept, mover.name) }).click();
    await page.getByText(fillTemplate(en.orgTransfers.accepted, { name: mover.name })).waitFor();
    await page.getByText(en.orgTransfers.waitingMineNone).waitFor();

    const [{ path }] = await suite.db.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = $1`, [
      mover.login,
    ]);
    expect(path).toBe('committee/west/group-1');

    const decided = page.locator('section', { has: page.getByRole('heading', { name: en.orgTransfers.decided }) });
    const record = decided.locator('li', { hasText: mover.name }).first();
    await record.getByText(en.orgTransfers.status.done).first().waitFor();
    await record
      .getByText(fillTemplate(en.orgTransfers.noteText, { note: 'Welcome to the west branch' }))
      .first()
      .waitFor();
    await record.getByText(fillTemplate(en.orgTransfers.showHistory, { name: mover.name })).click();
    const history = record.locator('.transfer-history');
    await history.getByRole('heading', { name: fillTemplate(en.orgTransfers.historyOf, { name: mover.name }) }).waitFor();
    await history.getByText(fillTemplate(en.orgTransfers.currentUnit, { unit: '西区第一小组' })).waitFor();
    await history.locator('.transfer-periods__open', { hasText: '西区第一小组' }).waitFor();
    await history.locator('.transfer-periods li', { hasText: '东区' }).waitFor();
    await expectTidy(page, 'org-transfers-admin-accepted-390-en');
  });

  it('shows the sending branch the decided transfer, and no longer the member', async () => {
    const page = await suite.open(suite.stack.demo.branchAdmin, { locale: 'zh-CN' });
    await page.goto('/organisation/transfers');
    const decided = page.locator('section', { has: page.getByRole('heading', { name: zh.orgTransfers.decided }) });
    await decided.locator('article', { hasText: mover.name }).getByText(zh.orgTransfers.status.done).waitFor();
    await page.getByLabel(zh.orgTransfers.findMember).fill(mover.login);
    await page.getByRole('button', { name: zh.orgTransfers.search, exact: true }).click();
    await page.getByText(zh.orgTransfers.noMembers).waitFor();
  });
});

describe('study by unit and period', () => {
  it('renders the period report with its table, exports and chart, at phone width in Chinese and English', async () => {
    // Study credited today to the demo member (east, group 1) and to the member moved to the west today.
    for (const [login, seconds] of [
      ['member', 5400],
      [mover.login, 1800],
    ] as const) {
      const [{ id }] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [login]);
      await suite.db.query(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)`, [
        id,
        lectureId,
        studyDay(),
        seconds,
      ]);
    }
    const admin = (
      await suite.api<{ accessToken: string }>(null, 'POST', '/api/auth/login', {
        login: suite.stack.demo.committeeAdmin.login,
        password: suite.stack.demo.committeeAdmin.password,
      })
    ).accessToken;
    const figures = await suite.api<{ items: Array<{ path: string; ownMembers: number; totalMembers: number }> }>(
      admin,
      'GET',
      `/api/reports/units/study?from=${studyDay()}&to=${studyDay()}`,
    );
    expect(figures.items.filter((r) => r.ownMembers > 0 || r.path === 'committee')).toEqual([
      expect.objectContaining({ path: 'committee', totalMembers: 2 }),
      expect.objectContaining({ path: 'committee/east/group-1', ownMembers: 1 }),
      expect.objectContaining({ path: 'committee/west/group-1', ownMembers: 1 }),
    ]);
    for (const locale of ['zh-CN', 'en'] as const) {
      const labels = locale === 'en' ? en : zh;
      const page = await suite.open(suite.stack.demo.committeeAdmin, { locale: locale });
      await page.goto('/reports/units');
      await page.getByRole('heading', { level: 1, name: labels.orgTransfers.reportTitle }).waitFor();
      const table = page.getByRole('table', { name: labels.orgTransfers.units });
      await table.getByRole('rowheader', { name: '示范委员会' }).waitFor();
      await table.getByRole('rowheader', { name: '东区第一小组' }).waitFor();
      await page.getByRole('group', { name: new RegExp(escapeRegExp(labels.orgTransfers.units)) }).waitFor();
      // A period that ends before it starts is refused on the page.
      const year = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date()).slice(0, 4);
      await page.getByLabel(labels.orgTransfers.from, { exact: true }).fill(`${year}-12-31`);
      await page.getByLabel(labels.orgTransfers.to, { exact: true }).fill(`${year}-01-01`);
      await page.getByRole('button', { name: labels.orgTransfers.show }).click();
      await page.getByText(labels.orgTransfers.badPeriod).waitFor();
      await page.getByLabel(labels.orgTransfers.from, { exact: true }).fill(`${year}-01-01`);
      await page.getByLabel(labels.orgTransfers.to, { exact: true }).fill(studyDay());
      await page.getByRole('button', { name: labels.orgTransfers.show }).click();
      // Today's study counts where each member belongs today: the moved member's in the west.
      const cell = (path: string, column: string) => table.locator(`tr[data-unit-path="${path}"] td[data-label="${column}"]`);
      await expect(cell('committee', labels.orgTransfers.col.totalMembers).textContent()).resolves.toBe('2');
      await expect(cell('committee/west/group-1', labels.orgTransfers.col.ownMembers).textContent()).resolves.toBe('1');
      await expect(cell('committee/east/group-1', labels.orgTransfers.col.ownMembers).textContent()).resolves.toBe('1');
      await page.getByRole('figure').getByText(labels.orgTransfers.chart).first().waitFor();
      await expectTidy(page, `unit-study-390-${locale}`);
    }
  });
});

describe("the member's page", () => {
  it('shows the transfer history and unit periods, and moves a member inside the subtree at once', async () => {
    const [{ id }] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [mover.login]);
    const page = await suite.open(suite.stack.demo.committeeAdmin, { locale: 'zh-CN' });
    await page.goto(`/organisation/members/${id}`);
    const history = page.locator('.transfer-history');
    await history.getByRole('heading', { name: fillTemplate(zh.orgTransfers.historyOf, { name: mover.name }) }).waitFor();
    await history
      .locator('article', { hasText: fillTemplate(zh.orgTransfers.reasonText, { reason: '工作调动到西区' }) })
      .getByText(zh.orgTransfers.status.done)
      .waitFor();
    await history.locator('.transfer-periods__open', { hasText: '西区第一小组' }).waitFor();
    await expectTidy(page, 'org-transfers-member-page-390');

    await history.getByRole('button', { name: namedLike(zh.orgTransfers.transfer, mover.name) }).click();
    await history.getByLabel(zh.orgTransfers.findUnit).fill('西区第二');
    await history.getByRole('button', { name: zh.orgTransfers.search, exact: true }).click();
    await history.getByRole('button', { name: namedLike(zh.orgTransfers.chooseUnit, '示范委员会 / 西区分会 / 西区第二小组') }).click();
    await history.getByLabel(zh.orgTransfers.reason).fill('小组调整');
    await history.getByRole('button', { name: zh.orgTransfers.submit }).click();
    await history.getByText(fillTemplate(zh.orgTransfers.sentDone, { name: mover.name, unit: '西区第二小组' })).waitFor();
    await history.locator('.transfer-periods__open', { hasText: '西区第二小组' }).waitFor();
    await history.locator('article', { hasText: fillTemplate(zh.orgTransfers.reasonText, { reason: '小组调整' }) }).waitFor();
    const [{ path }] = await suite.db.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`, [id]);
    expect(path).toBe('committee/west/group-2');
    // The member's facts at the top of the page follow the move without a reload.
    await page.locator('dl.facts dd', { hasText: '西区第二小组' }).waitFor();
    await expectTidy(page, 'org-transfers-member-page-moved-390');
  });
});
