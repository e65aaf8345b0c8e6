import { describe, expect, it, jest } from '@jest/globals';
import { browserSuite, expectTidy, fillTemplate, messagesOf, phone } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(150_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
const year = new Date().getFullYear();
const limitDay = `${year}-03-05`;
const otherDay = `${year}-03-06`;
const planName = `${year} 年集中学习计划`;

describe('a plan that counts study by its own rules', () => {
  it('is set up by an admin on a phone and explained to a member on My study, in Chinese and English', async () => {
    const zh = messagesOf('zh-CN');
    const en = messagesOf('en');

    // The branch admin makes the plan on a phone: at most 2 hours a day, 45 minutes make a study hour, in-person counted.
    const admin = await suite.open(suite.stack.demo.branchAdmin, { locale: 'zh-CN', viewport: phone });
    await admin.goto('/plans/new');
    await admin.getByRole('heading', { level: 1, name: zh.plans.new }).waitFor();
    await admin.getByLabel(zh.planForm.name).fill(planName);
    await admin.getByLabel(zh.planForm.requiredHours).fill('10');
    const rules = admin.getByRole('group', { name: zh.planRules.title });
    await rules.getByText(zh.planRules.form.hint).waitFor();
    // A limit beyond a day is refused beside its field, before anything is sent.
    await rules.getByLabel(zh.planRules.form.dailyLimit).fill('30');
    await admin.getByRole('button', { name: zh.planForm.create }).click();
    await rules.getByText(zh.planRules.form.errors.dailyLimit).waitFor();
    await expectTidy(admin, 'plan-rules-form-zh-phone');
    await rules.getByLabel(zh.planRules.form.dailyLimit).fill('2');
    await rules.getByLabel(zh.planRules.form.conversion).fill('45');
    expect(await rules.getByRole('checkbox', { name: zh.planRules.form.inPerson }).isChecked()).toBe(true);
    const created = admin.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/study-plans'));
    const create = admin.getByRole('button', { name: zh.planForm.create });
    await create.click();
    const response = await created;
    expect(response.status()).toBe(201);
    expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({
      dailyLimitHours: 2,
      minutesPerStudyHour: 45,
      countsInPerson: true,
      countsAudio: true,
    });
    const { id: planId } = (await response.json()) as { id: string };

    // The plan's page says its rules in words.
    await admin.waitForURL(new RegExp(`/reports/plans/${planId}`));
    const summary = admin.getByRole('region', { name: zh.planRules.title });
    await summary.getByText(fillTemplate(zh.planRules.summary.conversion, { minutes: 45 })).waitFor();
    await summary.getByText(fillTemplate(zh.planRules.summary.dailyLimit, { hours: 2 })).waitFor();
    await expectTidy(admin, 'plan-rules-plan-zh-phone');
    const adminEn = await suite.open(suite.stack.demo.branchAdmin, { locale: 'en', viewport: phone });
    await adminEn.goto(`/reports/plans/${planId}`);
    const summaryEn = adminEn.getByRole('region', { name: en.planRules.title });
    await summaryEn.getByText(fillTemplate(en.planRules.summary.conversion, { minutes: 45 })).waitFor();
    await summaryEn.getByText(fillTemplate(en.planRules.summary.dailyLimit, { hours: 2 })).waitFor();
    await expectTidy(adminEn, 'plan-rules-plan-en-phone');

    // The member studied 3 hours on 5 March (1 over the limit), half an hour with the screen off on 6 March and
    // attended an hour's in-person session that day: 2 + 0.5 + 1 = 3.5 hours, at 45 minutes an hour 4.67 study hours.
    const [member] = await suite.db.query(`SELECT id, org_unit_id FROM users WHERE login = 'member'`);
    // A published lecture to have studied (all courses count toward the plan).
    const editor = await suite.tokenOf(suite.stack.demo.editor);
    const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
    const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 2);
    const course = await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: '集中学习课', categoryId: categories[0]!.id });
    const lecture = await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${course.id}/lectures`, { title: '第一讲', assetId });
    await suite.api(editor, 'POST', `/api/courses/${course.id}/publish`);
    const [adminRow] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [suite.stack.demo.branchAdmin.login]);
    await suite.db.query(
      `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec, audio_sec) VALUES ($1, $2, $3, 10800, 0), ($1, $2, $4, 1800, 1800)`,
      [member.id, lecture.id, limitDay, otherDay],
    );
    const [session] = await suite.db.query(
      `INSERT INTO group_sessions (kind, org_unit_id, topic, starts_at, ends_at, status, code_secret, created_by)
       VALUES ('in_person', $1, '专题学习', $2::timestamptz, $2::timestamptz + interval '1 hour', 'ended', decode(md5(random()::text), 'hex'), $3)
       RETURNING id`,
      [member.org_unit_id, `${otherDay}T04:00:00Z`, adminRow.id],
    );
    await suite.db.query(
      `INSERT INTO group_session_attendance (session_id, user_id, method, first_in_at, recorded_by, credited_sec)
       VALUES ($1, $2, 'roster', $3::timestamptz, $4, 3600)`,
      [session.id, member.id, `${otherDay}T04:00:00Z`, adminRow.id],
    );

    for (const [locale, messages, cutDay] of [
      ['zh-CN', zh, '3 月 5 日'],
      ['en', en, 'March 5'],
    ] as const) {
      const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
      await page.goto('/study');
      await page.getByRole('heading', { level: 1, name: messages.study.title }).waitFor();
      const card = page.getByRole('article', { name: planName });
      const counting = card.locator('.study-counting');
      await counting.getByRole('heading', { name: messages.planRules.counting.title }).waitFor();
      await counting.getByText(fillTemplate(messages.planRules.counting.conversion, { minutes: 45 })).waitFor();
      await counting
        .getByText(
          `${fillTemplate(messages.planRules.counting.dailyLimit, { hours: 2 })}${messages.planRules.counting.colon}${fillTemplate(
            messages.planRules.counting.cutDay,
            { date: cutDay, hours: 1 },
          )}`,
        )
        .waitFor();
      await counting.getByText(fillTemplate(messages.planRules.counting.result, { hours: 4.67 })).waitFor();
      await expectTidy(page, `plan-rules-my-study-${locale === 'en' ? 'en' : 'zh'}-phone`);
    }
  });
});
