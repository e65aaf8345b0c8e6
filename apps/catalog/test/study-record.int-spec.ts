import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Stream } from 'node:stream';
import { inflateSync } from 'node:zlib';
import type { MyPlan, StudyRecordSnapshot, StudyRecordVerification } from '#contracts';
import { newRecordCode } from '../src/study-record/record-code.js';
import { MAX_RECORDS_PER_DAY } from '../src/study-record/study-record.service.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import {
  completeLecture,
  creditStudy,
  memberAndNeighbour,
  publishedCourse,
  type TestMember,
} from '../../../test/support/study-fixtures.js';

let catalog: CatalogHarness;
let eastAdmin: string;
let member: string;
let memberId: string;
let other: TestMember;
let lectures: string[] = [];
let watchPlan: string;
let lecturePlan: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const credit = (userId: string, lectureId: string, day: string, seconds: number) => creditStudy(catalog, userId, lectureId, day, seconds);
const complete = (userId: string, lectureId: string) => completeLecture(catalog, userId, lectureId);

/** Binary bodies from supertest. */
const binary = (res: Stream, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};
const downloadPdf = (token: string, lang = 'zh-CN') =>
  catalog.http().get(`/api/me/study-record.pdf?lang=${lang}`).set(as(token)).buffer(true).parse(binary);

/** Every deflated stream of a PDF, as text: the fonts' ToUnicode maps say which characters the page shows. */
const pdfStreams = (pdf: Buffer): string[] => {
  const out: string[] = [];
  for (let at = pdf.indexOf('stream\n'); at >= 0; at = pdf.indexOf('stream\n', at + 7)) {
    const end = pdf.indexOf('\nendstream', at);
    try {
      out.push(inflateSync(pdf.subarray(at + 7, end)).toString('latin1'));
    } catch {
      // not deflated (or not a stream)
    }
  }
  return out;
};

beforeAll(async () => {
  catalog = await startCatalog();
  eastAdmin = await catalog.tokenFor('east-admin');
  const people = await memberAndNeighbour(catalog);
  member = people.member.token;
  memberId = people.member.id;
  other = people.other;
  lectures = (await publishedCourse(catalog, '党史学习', ['第一讲', '第二讲'])).lectures;

  const plan = async (body: Record<string, unknown>) => {
    const answer = await catalog.http().post('/api/study-plans').set(as(eastAdmin)).send(body);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  watchPlan = await plan({
    name: '年度学习',
    periodStart: daysFromToday(-10),
    periodEnd: daysFromToday(20),
    requiredHours: 2,
    compulsoryLectureIds: [lectures[1]],
  });
  lecturePlan = await plan({
    name: '上月专题',
    periodStart: daysFromToday(-40),
    periodEnd: daysFromToday(-5),
    requiredHours: 1,
    mode: 'per_lecture',
    creditHoursPerLecture: 0.5,
  });
  // The member fell short of the per-lecture plan, so the make-up window is theirs.
  expect(
    (
      await catalog
        .http()
        .post(`/api/study-plans/${lecturePlan}/makeup`)
        .set(as(eastAdmin))
        .send({ until: daysFromToday(10) })
    ).status,
  ).toBe(200);
  await credit(memberId, lectures[0]!, daysFromToday(-2), 1800.25);
  await credit(memberId, lectures[1]!, daysFromToday(-1), 900.5);
  await complete(memberId, lectures[0]!);
}, 120_000);
afterAll(() => catalog.close());

describe('My study: which rule counted each hour', () => {
  it('splits each plan’s earned hours by rule, and the parts add up to the earned hours', async () => {
    const answer = await catalog.http().get('/api/me/study').set(as(member));
    expect(answer.status).toBe(200);
    const plans = answer.body.plans as MyPlan[];
    const watch = plans.find((p) => p.id === watchPlan)!;
    const perLecture = plans.find((p) => p.id === lecturePlan)!;
    expect(watch.hoursByRule).toEqual([
      { rule: 'watch_time', hours: 1800.25 / 3600, lectures: 1 },
      { rule: 'compulsory', hours: 900.5 / 3600, lectures: 1 },
    ]);
    // Completed today, after the period: counted in the make-up window, by the plan's rule (0.5 h per lecture).
    expect(perLecture.hoursByRule).toEqual([
      { rule: 'per_lecture', hours: 0, lectures: 0 },
      { rule: 'makeup', hours: 0.5, lectures: 1 },
    ]);
    expect(perLecture.creditHoursPerLecture).toBe(0.5);
    for (const plan of plans) {
      const sum = plan.hoursByRule.reduce((total, part) => total + part.hours, 0);
      expect(sum).toBeCloseTo(plan.earnedHours, 9);
    }
  });
});

describe('Study record', () => {
  let code: string;

  it('issues a kept record and answers its PDF, with the record number and the verification link in it', async () => {
    const answer = await downloadPdf(member);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/pdf');
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="study-record-[0-9A-Z]{26}\.pdf"; filename\*=UTF-8''/);
    const pdf = answer.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    code = answer.headers['x-study-record'] as string;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const text = pdf.toString('latin1');
    expect(text).toContain(code);
    expect(text).toMatch(new RegExp(`/URI \\(http://127\\.0\\.0\\.1:\\d+/verify/${code}\\)`));
    // The embedded font's ToUnicode map holds every character of the member's Chinese name.
    const maps = pdfStreams(pdf)
      .filter((s) => s.includes('begincmap'))
      .join('\n')
      .toLowerCase();
    for (const ch of '王秀英') expect(maps).toContain(`<${ch.codePointAt(0)!.toString(16).padStart(4, '0')}>`);
    expect(pdf.length).toBeLessThan(400_000);

    const [row] = await catalog.dataSource.query(`SELECT user_id, lang, snapshot FROM study_records WHERE code = $1`, [code]);
    expect(row.user_id).toBe(memberId);
    expect(row.lang).toBe('zh-CN');
    const snapshot = row.snapshot as StudyRecordSnapshot;
    expect(snapshot).toMatchObject({ name: '王秀英', login: 'member' });
    expect(snapshot.unitPath.length).toBeGreaterThanOrEqual(3);
    const watch = snapshot.plans.find((p) => p.planId === watchPlan)!;
    expect(watch.lectures).toEqual([
      expect.objectContaining({ courseTitle: '党史学习', lectureTitle: '第一讲', creditedSec: 1800.25, completedOn: expect.any(String) }),
    ]);
  });

  it('gives the same record again for an identical download soon after, and a new one in the other language', async () => {
    const again = await downloadPdf(member);
    expect(again.headers['x-study-record']).toBe(code);
    const english = await downloadPdf(member, 'en');
    expect(english.status).toBe(200);
    expect(english.headers['x-study-record']).not.toBe(code);
    const [{ count }] = await catalog.dataSource.query(`SELECT count(*)::int AS count FROM study_records WHERE user_id = $1`, [memberId]);
    expect(count).toBe(2);
  });

  it('is verified by anyone without signing in, without the login, and says whether the figures still match', async () => {
    const answer = await catalog.http().get(`/api/study-records/${code}`);
    expect(answer.status).toBe(200);
    const body = answer.body as StudyRecordVerification;
    expect(body).toMatchObject({ code, name: '王秀英', lang: 'zh-CN', current: { sameAsIssued: true } });
    expect(JSON.stringify(body)).not.toContain('"login"');
    expect(JSON.stringify(body)).not.toContain(memberId);
    expect(body.plans.find((p) => p.name === '年度学习')).toMatchObject({ lectureCount: 1, earnedHours: (1800.25 + 900.5) / 3600 });
    // Typed by hand from the paper: lower case, in groups.
    const typed = code
      .toLowerCase()
      .match(/.{1,4}/g)!
      .join('-');
    expect((await catalog.http().get(`/api/study-records/${typed}`)).status).toBe(200);

    await credit(memberId, lectures[0]!, daysFromToday(0), 600);
    const later = await catalog.http().get(`/api/study-records/${code}`);
    expect(later.body.current.sameAsIssued).toBe(false);
    expect(later.body.plans).toEqual(body.plans);
  });

  it.each(['0123456789ABCDEFGHJKMNPQRS', 'abc', 'UUUUUUUUUUUUUUUUUUUUUUUUUU', '%2e%2e', 'x'.repeat(100)])(
    'answers 404 for a record number that was never issued or cannot be one: %s',
    async (bad) => {
      const answer = await catalog.http().get(`/api/study-records/${bad}`);
      expect(answer.status).toBe(404);
      expect(answer.body.message).toMatch(/No study record/);
    },
  );

  it('is issued only for the caller: another member gets their own, and admins and inspectors none', async () => {
    const theirs = await downloadPdf(other.token);
    expect(theirs.status).toBe(200);
    const [row] = await catalog.dataSource.query(`SELECT user_id, snapshot FROM study_records WHERE code = $1`, [
      theirs.headers['x-study-record'],
    ]);
    expect(row.user_id).toBe(other.id);
    expect(row.snapshot.name).toBe(other.name);
    // Nothing in the request names whose record it is; extra parameters change nothing.
    const sneaky = await catalog.http().get(`/api/me/study-record.pdf?lang=zh-CN&userId=${memberId}`).set(as(other.token));
    expect(sneaky.status).toBe(200);
    const [again] = await catalog.dataSource.query(`SELECT user_id FROM study_records WHERE code = $1`, [sneaky.headers['x-study-record']]);
    expect(again.user_id).toBe(other.id);
    expect((await catalog.http().get('/api/me/study-record.pdf')).status).toBe(401);
    expect((await downloadPdf(eastAdmin)).status).toBe(403);
    expect((await downloadPdf(await catalog.tokenFor('inspector'))).status).toBe(403);
    expect((await catalog.http().get('/api/me/study-record.pdf?lang=fr').set(as(member))).status).toBe(400);
  });

  it('opens the PDF by a signed link without the Authorization header, for in-app browsers', async () => {
    const link = await catalog.http().post('/api/me/study-record/link?lang=zh-CN').set(as(member));
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/^\/api\/study-records\/[0-9A-Z]{26}\/pdf\?t=/);
    const opened = await catalog.http().get(link.body.url).buffer(true).parse(binary);
    expect(opened.status).toBe(200);
    expect(opened.headers['content-disposition']).toMatch(/^inline;/);
    expect((opened.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const forged = link.body.url.replace(/t=(\d+)/, (_: string, n: string) => `t=${Number(n) + 1000}`);
    expect((await catalog.http().get(forged)).status).toBe(404);
    expect((await catalog.http().get(link.body.url.replace(/\?t=.*/, ''))).status).toBe(400);
  });

  it('issues at most 20 new records a day per member, and says so', async () => {
    const [{ count }] = await catalog.dataSource.query(`SELECT count(*)::int AS count FROM study_records WHERE user_id = $1`, [other.id]);
    for (let i = count; i < MAX_RECORDS_PER_DAY; i++) {
      await catalog.dataSource.query(
        `INSERT INTO study_records (code, user_id, lang, time_zone, content_hash, snapshot) VALUES ($1, $2, 'en', 'UTC', $3, '{}')`,
        [newRecordCode(), other.id, `filler-${i}`],
      );
    }
    // Identical to one issued minutes ago: given again, not counted.
    expect((await downloadPdf(other.token)).status).toBe(200);
    const refused = await catalog.http().get('/api/me/study-record.pdf?lang=en').set(as(other.token));
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/20 study records .* try again tomorrow/);
  });

  it('keeps every issued record: rows cannot be changed or deleted', async () => {
    await expect(catalog.dataSource.query(`DELETE FROM study_records WHERE code = $1`, [code])).rejects.toThrow(/kept as issued/);
    await expect(catalog.dataSource.query(`UPDATE study_records SET lang = 'en' WHERE code = $1`, [code])).rejects.toThrow(
      /kept as issued/,
    );
    expect((await catalog.dataSource.query(`SELECT 1 FROM study_records WHERE code = $1`, [code])).length).toBe(1);
  });
});

describe('Study record at a configured public address', () => {
  it('points the QR code at PUBLIC_ORIGIN, whatever address the request came in by', async () => {
    const site = await startCatalog({ PUBLIC_ORIGIN: 'https://Study.Example.org/' });
    try {
      const answer = await site
        .http()
        .get('/api/me/study-record.pdf?lang=en')
        .set('Host', 'attacker.example')
        .set(as(await site.tokenFor('member')))
        .buffer(true)
        .parse(binary);
      expect(answer.status).toBe(200);
      const code = answer.headers['x-study-record'] as string;
      const text = (answer.body as Buffer).toString('latin1');
      expect(text).toContain(`/URI (https://study.example.org/verify/${code})`);
      expect(text).not.toContain('attacker.example');
    } finally {
      await site.close();
    }
  });
});

describe('Study record: exams passed', () => {
  /** An exam of the member's organisation, and one attempt of the member's at it, as taking and grading leave them. */
  const examWithAttempt = async (title: string, attempt: { score: number; passed: boolean; voided?: boolean }) => {
    const [exam] = await catalog.dataSource.query(
      `INSERT INTO exams (owner_unit_id, title, paper_kind, time_limit_min, pass_percent, opens_at, closes_at, status, created_by)
       SELECT u.org_unit_id, $1, 'fixed', 30, 60, now() - interval '2 days', now() + interval '2 days', 'published', u.id
         FROM users u WHERE u.login = 'east-admin' RETURNING id`,
      [title],
    );
    await catalog.dataSource.query(
      `INSERT INTO exam_attempts (exam_id, user_id, number, device_hash, started_at, deadline_at, paper, max_score, status,
                                  submitted_at, submit_reason, auto_score, score, passed, graded_at, voided_at, voided_by, void_reason)
       SELECT $1, $2, 1, 'device', now() - interval '1 hour', now() - interval '30 minutes', '[]', 50, $5,
              now() - interval '40 minutes', 'member', $3, $3, $4, now() - interval '40 minutes',
              CASE WHEN $6 THEN now() END, CASE WHEN $6 THEN u.id END, CASE WHEN $6 THEN 'sat for someone else' END
         FROM users u WHERE u.login = 'east-admin'`,
      [exam.id, memberId, attempt.score, attempt.passed, attempt.voided ? 'voided' : 'graded', attempt.voided ?? false],
    );
    return exam.id as string;
  };

  it('lists each exam passed with its score; a failed or voided attempt is not on it, and voiding a pass later shows', async () => {
    const passed = await examWithAttempt('结业考试', { score: 43.5, passed: true });
    await examWithAttempt('入学测试', { score: 20, passed: false });
    await examWithAttempt('补考', { score: 48, passed: true, voided: true });

    const answer = await downloadPdf(member, 'en');
    expect(answer.status).toBe(200);
    const code = answer.headers['x-study-record'] as string;
    const [row] = await catalog.dataSource.query(`SELECT snapshot FROM study_records WHERE code = $1`, [code]);
    expect((row.snapshot as StudyRecordSnapshot).exams).toEqual([
      { examId: passed, title: '结业考试', passedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), score: 43.5, maxScore: 50, percent: 87 },
    ]);
    // The exam's title is drawn in the PDF: its characters are in the embedded font's map.
    const maps = pdfStreams(answer.body as Buffer)
      .filter((s) => s.includes('begincmap'))
      .join('\n')
      .toLowerCase();
    for (const ch of '结业考试') expect(maps).toContain(`<${ch.codePointAt(0)!.toString(16).padStart(4, '0')}>`);

    const verified = (await catalog.http().get(`/api/study-records/${code}`)).body as StudyRecordVerification;
    expect(verified.exams.map((e) => e.title)).toEqual(['结业考试']);
    expect(verified.current.sameAsIssued).toBe(true);

    await catalog.dataSource.query(
      `UPDATE exam_attempts SET status = 'voided', voided_at = now(), void_reason = 'answers copied' WHERE exam_id = $1`,
      [passed],
    );
    const later = (await catalog.http().get(`/api/study-records/${code}`)).body as StudyRecordVerification;
    expect(later.current.sameAsIssued).toBe(false);
    expect(later.exams.map((e) => e.title)).toEqual(['结业考试']);
  });
});
