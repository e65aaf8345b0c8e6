// An in-person session recorded afterwards, walked in the pages: the branch admin records yesterday's talk on her
// phone, ticks who came on the roster (one tick taken back as a mistake), and the session credits each attendee its
// length; the members' plan report counts the hours, and a member finds the session in her own history.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { formatHours } from '../../libs/contracts/src/format.js';
import { browserSuite, expectTidy, fillTemplate, messagesOf, phone } from '../support/browser-suite.js';
import { waitUntil } from '../support/ports.js';

jest.setTimeout(180_000);

const TIME_ZONE = 'Asia/Shanghai';
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: TIME_ZONE });
const zh = messagesOf('zh-CN').groupSessions;
const en = messagesOf('en').groupSessions;

const topic = '学习《基层党组织工作条例》辅导报告';
// member20 and member25 came; member30 was ticked by mistake and taken back.
const came = ['member20', 'member25'];
const mistaken = 'member30';
let planId = '';
const people = new Map<string, { id: string; name: string }>();

/** `YYYY-MM-DD` of the day `offset` days from today, in the suite's time zone. */
const dayIn = (offset: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + offset * 86_400_000),
  );

beforeAll(async () => {
  for (const row of (await suite.db.query(`SELECT id, login, name FROM users WHERE login = ANY($1)`, [[...came, mistaken]])) as Array<{
    id: string;
    login: string;
    name: string;
  }>) {
    people.set(row.login, { id: row.id, name: row.name });
  }
  const admin = await suite.tokenOf(suite.stack.demo.branchAdmin);
  const [east] = await suite.db.query(`SELECT id FROM org_units WHERE path = 'committee/east'`);
  planId = (
    await suite.api<{ id: string }>(admin, 'POST', '/api/study-plans', {
      name: '东区二〇二六年学习计划',
      periodStart: dayIn(-60),
      periodEnd: dayIn(60),
      requiredHours: 10,
      unitIds: [east.id],
    })
  ).id;
}, 120_000);

describe('an in-person session recorded afterwards', () => {
  it('is recorded with its roster ticks, credits each attendee its length, and counts in the plan report', async () => {
    const admin = await suite.open(suite.stack.demo.branchAdmin, { locale: 'en', viewport: phone });
    await admin.goto('/group');
    await admin.getByRole('heading', { level: 1, name: en.title }).waitFor();
    await admin.getByRole('link', { name: en.hub.recordInPerson }).click();
    await admin.getByRole('heading', { level: 1, name: en.newSession.title }).waitFor();
    expect(await admin.getByRole('radio', { name: en.newSession.inPerson }).isChecked()).toBe(true);
    const [group] = await suite.db.query(`SELECT id FROM org_units WHERE path = 'committee/east/group-1'`);
    await admin.getByLabel(en.newSession.unitLabel).selectOption(group.id);
    await admin.getByLabel(en.newSession.topic).fill(topic);
    await admin.getByLabel(en.newSession.date).fill(dayIn(-1));
    await admin.getByLabel(en.newSession.starts).fill('09:00');
    await admin.getByLabel(en.newSession.ends).fill('08:30');
    await admin.getByLabel(en.newSession.place).fill('东区党群服务中心');
    await admin.getByLabel(en.newSession.speaker).fill('李书记');
    await admin.getByLabel(en.newSession.materials).fill('《中国共产党支部工作条例（试行）》第一章至第三章');
    await admin.getByRole('button', { name: en.newSession.record }).click();
    await admin.getByRole('alert').filter({ hasText: en.newSession.endBeforeStart }).waitFor();
    await admin.getByLabel(en.newSession.ends).fill('10:30');
    // A day already past: the session will be marked as recorded afterwards.
    await admin.getByText(en.newSession.pastNote).waitFor();
    await expectTidy(admin, 'group-new-in-person-en-390');
    await admin.getByRole('button', { name: en.newSession.record }).click();
    await admin.waitForURL(/\/group\/sessions\/[0-9a-f-]{36}$/);
    const sessionId = new URL(admin.url()).pathname.split('/').pop()!;
    await admin.getByRole('heading', { level: 1, name: topic }).waitFor();
    await admin.getByText(en.session.recordedAfterwards).first().waitFor();
    await admin.getByText('李书记').waitFor();

    // The roster: ticks found by name, one of them taken back.
    const tick = async (login: string, expected: string) => {
      const { name } = people.get(login)!;
      await admin.getByLabel(en.session.searchLabel).fill(name);
      const button = admin.locator(`.roster__item[data-login="${login}"]`).getByRole('button');
      await button.click();
      await admin
        .getByRole('status')
        .filter({ hasText: fillTemplate(en.session.saved, { name, state: expected }) })
        .waitFor();
    };
    for (const login of [...came, mistaken]) await tick(login, en.session.present);
    await tick(mistaken, en.session.absent);
    await admin.getByLabel(en.session.searchLabel).fill('');
    await admin
      .getByText(fillTemplate(en.session.rosterCount, { count: 2, roster: await admin.locator('.roster__item').count() }))
      .waitFor();
    await admin.locator('.group-events li').filter({ hasText: en.session.event.undone }).waitFor();
    await expectTidy(admin, 'group-in-person-roster-en-390');

    // Each attendee is credited the session's ninety minutes; the mistaken tick counts for nothing and stays on record.
    const token = await suite.tokenOf(suite.stack.demo.branchAdmin);
    const roster = await suite.api<Array<{ userId: string; present: boolean; method: string | null; creditedSec: number }>>(
      token,
      'GET',
      `/api/group-sessions/${sessionId}/roster`,
    );
    const entry = (login: string) => roster.find((r) => r.userId === people.get(login)!.id)!;
    for (const login of came) expect(entry(login)).toMatchObject({ present: true, method: 'afterwards', creditedSec: 5400 });
    expect(entry(mistaken)).toMatchObject({ present: false, method: null, creditedSec: 0 });
    const [kept] = await suite.db.query(
      `SELECT undone_at IS NOT NULL AS undone FROM group_session_attendance WHERE session_id = $1 AND user_id = $2`,
      [sessionId, people.get(mistaken)!.id],
    );
    expect(kept).toEqual({ undone: true });

    // The same page in Chinese shows each attendee's credit.
    const adminZh = await suite.open(suite.stack.demo.branchAdmin, { locale: 'zh-CN', viewport: phone });
    await adminZh.goto(`/group/sessions/${sessionId}`);
    await adminZh.getByRole('heading', { level: 1, name: topic }).waitFor();
    const row = adminZh.locator(`.roster__item[data-login="${came[0]}"]`);
    await row.getByText(zh.method.afterwards).waitFor();
    await row.getByText(fillTemplate(zh.hub.credited, { duration: formatHours(1.5, 'zh-CN') })).waitFor();
    await expectTidy(adminZh, 'group-in-person-roster-zh-390');

    // The plan report counts the ninety minutes for each attendee.
    const earned = (login: string) =>
      adminZh.locator(`tr[data-login="${login}"] td[data-label="${messagesOf('zh-CN').reports.col.earnedHours}"]`);
    await waitUntil(
      async () => {
        await adminZh.goto(`/reports/plans/${planId}/members`);
        await earned(came[0]!).waitFor();
        return (await earned(came[0]!).innerText()).trim() === formatHours(1.5, 'zh-CN');
      },
      60_000,
      'the plan report to count the in-person hours',
    );
    expect((await earned(came[1]!).innerText()).trim()).toBe(formatHours(1.5, 'zh-CN'));
    await expectTidy(adminZh, 'group-in-person-plan-zh-390');

    // The member finds it in her own history.
    const member = await suite.open({ login: came[0]!, password: DEMO_PASSWORD }, { locale: 'zh-CN', viewport: phone });
    await member.goto('/group');
    const card = member.locator('.group-card').filter({ hasText: topic });
    await card.getByText(zh.method.afterwards, { exact: false }).waitFor();
    await card.getByText(fillTemplate(zh.hub.credited, { duration: formatHours(1.5, 'zh-CN') }), { exact: false }).waitFor();
    await expectTidy(member, 'group-history-in-person-zh-390');
  });
});
