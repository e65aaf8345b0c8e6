import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishedCourse } from '../../../test/support/study-fixtures.js';

/**
 * Programs on demand: members ask in Chinese, find each other's requests and vote once; editors and admins
 * read the demand of their own subtree, answer it (members told in the app, in the same transaction) and
 * merge duplicates; nothing is deleted; text stays text; the reports' files say what their screen says.
 */

let catalog: CatalogHarness;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
let category: { id: string; nameZh: string };
let subsidyId = '';

const post = (path: string, who: string, body?: object) => catalog.http().post(path).set(as(tokens[who]!)).send(body);
const get = (path: string, who: string) => catalog.http().get(path).set(as(tokens[who]!));
const ask = async (who: string, body: object) => {
  const answer = await post('/api/program-requests', who, body);
  expect(answer.status).toBe(201);
  return answer.body as { id: string; votes: number; title: string };
};
const demandOf = async (who: string, query = '') => {
  const answer = await get(`/api/program-requests/demand${query}`, who);
  expect(answer.status).toBe(200);
  return answer.body as Array<{ id: string; votes: number; title: string; requester: { name: string } | null }>;
};

const download = (path: string, who: string) =>
  get(path, who)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

beforeAll(async () => {
  catalog = await startCatalog();
  // member, member06: east; member07, member08: west. member and member07 are retired, member06 on the job.
  for (const login of ['member', 'member06', 'member07', 'member08', 'editor', 'admin', 'east-admin', 'inspector']) {
    tokens[login] = await catalog.tokenFor(login);
    ids[login] = (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id;
  }
  [category] = (await get('/api/course-categories', 'member')).body;
}, 60_000);
afterAll(() => catalog.close());

describe('asking and voting', () => {
  it('asks for a program and counts the request as the asker’s vote', async () => {
    const asked = await ask('member', { title: '农村电商补贴怎么申请', detail: '想知道需要哪些材料', categoryId: category.id });
    subsidyId = asked.id;
    expect(asked).toMatchObject({
      title: '农村电商补贴怎么申请',
      status: 'open',
      votes: 1,
      mine: true,
      voted: true,
      category: { id: category.id },
    });
  });

  it('finds the request in Chinese from other words while another member types', async () => {
    const found = await get(`/api/program-requests/similar?q=${encodeURIComponent('电商补贴')}`, 'member06');
    expect(found.status).toBe(200);
    expect(found.body[0]).toMatchObject({ id: subsidyId, title: '农村电商补贴怎么申请', score: 1, mine: false, voted: false });
    expect((await get(`/api/program-requests/similar?q=${encodeURIComponent('养猪')}`, 'member06')).body).toEqual([]);
    expect((await get('/api/program-requests/similar?q=', 'member06')).body).toEqual([]);
  });

  it('counts each member once, takes a vote back without deleting it, and keeps the asker’s own vote', async () => {
    expect((await post(`/api/program-requests/${subsidyId}/vote`, 'member06')).body).toMatchObject({ votes: 2, voted: true });
    expect((await post(`/api/program-requests/${subsidyId}/vote`, 'member06')).body).toMatchObject({ votes: 2 });
    expect((await post(`/api/program-requests/${subsidyId}/unvote`, 'member06')).body).toMatchObject({ votes: 1, voted: false });
    const rows = await catalog.dataSource.query(`SELECT withdrawn_at FROM program_request_votes WHERE request_id = $1 AND user_id = $2`, [
      subsidyId,
      ids.member06,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].withdrawn_at).not.toBeNull();
    expect((await post(`/api/program-requests/${subsidyId}/vote`, 'member06')).body).toMatchObject({ votes: 2, voted: true });
    expect((await post(`/api/program-requests/${subsidyId}/vote`, 'member07')).body).toMatchObject({ votes: 3 });
    const own = await post(`/api/program-requests/${subsidyId}/unvote`, 'member');
    expect(own.status).toBe(409);
    expect(own.body.message).toContain('Withdraw the request instead');

    const mine = (await get('/api/program-requests/mine', 'member06')).body;
    expect(mine.voted.map((r: { id: string }) => r.id)).toContain(subsidyId);
    expect((await get('/api/program-requests/mine', 'member')).body.requested.map((r: { id: string }) => r.id)).toEqual([subsidyId]);
  });

  it.each([
    [{ title: '' }, 'say in a few words'],
    [{ title: 'x'.repeat(121) }, 'at most 120'],
    [{ title: '好', detail: 'x'.repeat(501) }, 'at most 500'],
    [{ title: 'a\u0000b' }, 'control characters'],
    [{ title: '好', categoryId: 'nope' }, 'course category'],
  ])('refuses %j with a message saying what to do', async (body, message) => {
    const answer = await post('/api/program-requests', 'member', body);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain(message);
  });

  it('stores and returns <script> as text in every field', async () => {
    const script = '<script>alert(1)</script>';
    const asked = await ask('member06', { title: script, detail: `${script}&amp;` });
    expect((await get(`/api/program-requests/${asked.id}`, 'member')).body).toMatchObject({ title: script, detail: `${script}&amp;` });
    const declined = await post(`/api/program-requests/${asked.id}/answer`, 'editor', { kind: 'declined', reason: script });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ title: script, declineReason: script, status: 'declined' });
    const [row] = await catalog.dataSource.query(`SELECT title, detail, decline_reason FROM program_requests WHERE id = $1`, [asked.id]);
    expect(row).toEqual({ title: script, detail: `${script}&amp;`, decline_reason: script });
  });

  it('lets only the asker withdraw, keeps the row, and closes it to votes', async () => {
    const asked = await ask('member08', { title: '西区村史讲座' });
    expect((await post(`/api/program-requests/${asked.id}/withdraw`, 'member07')).status).toBe(404);
    const withdrawn = await post(`/api/program-requests/${asked.id}/withdraw`, 'member08');
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn' });
    expect((await post(`/api/program-requests/${asked.id}/withdraw`, 'member08')).status).toBe(409);
    expect((await post(`/api/program-requests/${asked.id}/vote`, 'member07')).status).toBe(409);
    expect(await catalog.dataSource.query(`SELECT status FROM program_requests WHERE id = $1`, [asked.id])).toEqual([
      { status: 'withdrawn' },
    ]);
    expect((await demandOf('admin')).map((r) => r.id)).not.toContain(asked.id);
    expect((await demandOf('admin', '?status=withdrawn')).map((r) => r.id)).toContain(asked.id);
    // Not even raw SQL removes a request or its votes.
    await expect(catalog.dataSource.query(`DELETE FROM program_request_votes WHERE request_id = $1`, [asked.id])).rejects.toThrow(
      /rows are kept/,
    );
    await expect(catalog.dataSource.query(`DELETE FROM program_requests WHERE id = $1`, [asked.id])).rejects.toThrow(/rows are kept/);
  });
});

describe('demand and its scope', () => {
  it('counts the votes of the admin’s own subtree only, and hides what has none there', async () => {
    const west = await ask('member08', { title: '西区合作社怎么办' });
    const committee = await demandOf('admin');
    expect(committee.find((r) => r.id === subsidyId)).toMatchObject({ votes: 3, requester: { name: '王秀英' } });
    expect(committee.map((r) => r.id)).toContain(west.id);
    const east = await demandOf('east-admin');
    expect(east.find((r) => r.id === subsidyId)).toMatchObject({ votes: 2 });
    expect(east.map((r) => r.id)).not.toContain(west.id);
    expect((await get(`/api/program-requests/demand/${west.id}`, 'east-admin')).status).toBe(404);
    expect((await post(`/api/program-requests/${west.id}/answer`, 'east-admin', { kind: 'planned', note: '下月' })).status).toBe(404);
    // The editor, at the committee, sees the whole organisation.
    expect((await demandOf('editor')).find((r) => r.id === subsidyId)).toMatchObject({ votes: 3 });
    // A request asked in the west with a vote from the east shows to the east admin, without the west asker's name.
    await post(`/api/program-requests/${west.id}/vote`, 'member06');
    expect((await demandOf('east-admin')).find((r) => r.id === west.id)).toMatchObject({ votes: 1, requester: null });
  });

  it('filters by unit of the subtree and by member category, and refuses units outside it', async () => {
    const group2 = (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/east/group-2'`))[0].id;
    const westUnit = (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`))[0].id;
    expect((await demandOf('east-admin', `?unitId=${group2}`)).find((r) => r.id === subsidyId)).toMatchObject({ votes: 1 });
    expect((await demandOf('admin', '?category=retired')).find((r) => r.id === subsidyId)).toMatchObject({ votes: 2 });
    expect((await demandOf('east-admin', '?category=retired')).find((r) => r.id === subsidyId)).toMatchObject({ votes: 1 });
    expect((await get(`/api/program-requests/demand?unitId=${westUnit}`, 'east-admin')).status).toBe(404);
    expect((await get('/api/program-requests/demand', 'member')).status).toBe(403);
    const filters = (await get('/api/program-requests/filters', 'east-admin')).body;
    expect(filters.units.map((u: { path: string }) => u.path)).toEqual([
      'committee/east',
      'committee/east/group-1',
      'committee/east/group-2',
    ]);
    expect(filters.memberCategories.map((c: { code: string }) => c.code)).toContain('retired');
    const detail = await get(`/api/program-requests/demand/${subsidyId}`, 'east-admin');
    expect(detail.body.votesByCategory).toEqual(
      expect.arrayContaining([
        { category: 'retired', votes: 1 },
        { category: 'on-the-job', votes: 1 },
      ]),
    );
  });
});

describe('answers', () => {
  it('needs a reason to decline, a note to plan and a published course to link', async () => {
    expect((await post(`/api/program-requests/${subsidyId}/answer`, 'editor', { kind: 'declined' })).status).toBe(400);
    const blank = await post(`/api/program-requests/${subsidyId}/answer`, 'editor', { kind: 'declined', reason: '  ' });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('needs a reason');
    expect((await post(`/api/program-requests/${subsidyId}/answer`, 'editor', { kind: 'maybe' })).status).toBe(400);
    const missing = await post(`/api/program-requests/${subsidyId}/answer`, 'editor', { kind: 'course', courseId: ids.member });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('pick one from the list');
    expect(await catalog.dataSource.query(`SELECT count(*)::int AS n FROM member_notices`)).toEqual([{ n: 1 }]);
  });

  it('plans, then links a course, telling the asker and every voter each time in the app', async () => {
    const planned = await post(`/api/program-requests/${subsidyId}/answer`, 'east-admin', { kind: 'planned', note: '下个月安排' });
    expect(planned.status).toBe(200);
    expect(planned.body).toMatchObject({ status: 'planned', answerNote: '下个月安排' });
    const { courseId } = await publishedCourse(catalog, '农村电商入门', ['补贴申请流程']);
    const choices = (await get(`/api/program-requests/demand/${subsidyId}/courses?q=${encodeURIComponent('电商')}`, 'editor')).body;
    expect(choices).toEqual([{ id: courseId, title: '农村电商入门' }]);
    const linked = await post(`/api/program-requests/${subsidyId}/answer`, 'editor', { kind: 'course', courseId });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ status: 'answered', course: { id: courseId, title: '农村电商入门' }, answerNote: null });

    const read = (await get(`/api/program-requests/${subsidyId}`, 'member')).body;
    expect(read).toMatchObject({ status: 'answered', votes: 3, course: { id: courseId, title: '农村电商入门' } });
    for (const login of ['member', 'member06', 'member07']) {
      const notices = (await get('/api/notices', login)).body.items.filter((n: { link: string }) => n.link === `/requests/${subsidyId}`);
      expect(notices.map((n: { params: { status: string } }) => n.params.status)).toEqual(['answered', 'planned']);
      expect(notices[0]).toMatchObject({
        kind: 'request.answered',
        params: { title: '农村电商补贴怎么申请', courseTitle: '农村电商入门' },
      });
    }
    expect((await post(`/api/program-requests/${subsidyId}/vote`, 'member08')).status).toBe(409);
  });

  it('merges a duplicate: votes move once per member, the duplicate stays, withdrawn and pointing to the kept one', async () => {
    const kept = await ask('member06', { title: '养殖技术培训' });
    const duplicate = await ask('member', { title: '养殖技术' });
    await post(`/api/program-requests/${duplicate.id}/vote`, 'member06');
    await post(`/api/program-requests/${duplicate.id}/vote`, 'member07');
    expect((await post(`/api/program-requests/${duplicate.id}/merge`, 'east-admin', { intoId: kept.id })).status).toBe(403);
    expect((await post(`/api/program-requests/${duplicate.id}/merge`, 'editor', { intoId: duplicate.id })).status).toBe(400);
    const merged = await post(`/api/program-requests/${duplicate.id}/merge`, 'editor', { intoId: kept.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: kept.id, votes: 3 });
    expect((await get(`/api/program-requests/${duplicate.id}`, 'member')).body).toMatchObject({
      status: 'withdrawn',
      mergedInto: kept.id,
      votes: 0,
    });
    expect(
      await catalog.dataSource.query(`SELECT count(*)::int AS n FROM program_request_votes WHERE request_id = $1`, [duplicate.id]),
    ).toEqual([{ n: 3 }]);
    expect((await get(`/api/program-requests/${kept.id}`, 'member')).body).toMatchObject({ voted: true, mine: false });
  });
});

describe('reports', () => {
  const base = '/api/reports/program-requests';

  it('counts open requests per week and category in the caller’s subtree', async () => {
    const committee = (await get(`${base}/open-by-week?weeks=4`, 'inspector')).body;
    expect(committee.items).toHaveLength(4);
    const now = committee.items[3];
    const [{ open }] = await catalog.dataSource.query(
      `SELECT count(*)::int AS open FROM program_requests WHERE first_answered_at IS NULL AND status IN ('open', 'planned')`,
    );
    expect(now.total).toBe(open);
    expect(now.byCategory[category.id] ?? 0).toBe(0);
    const east = (await get(`${base}/open-by-week?weeks=4`, 'east-admin')).body;
    const [{ eastOpen }] = await catalog.dataSource.query(
      `SELECT count(*)::int AS "eastOpen" FROM program_requests r JOIN org_units o ON o.id = r.org_unit_id
        WHERE first_answered_at IS NULL AND status IN ('open', 'planned') AND o.path LIKE 'committee/east/%'`,
    );
    expect(east.items[3].total).toBe(eastOpen);
    expect(eastOpen).toBeLessThan(open);
    expect((await get(`${base}/open-by-week`, 'member')).status).toBe(403);
  });

  it('gives days to a first answer per category', async () => {
    await catalog.dataSource.query(`UPDATE program_requests SET created_at = first_answered_at - interval '3 days' WHERE id = $1`, [
      subsidyId,
    ]);
    const times = (await get(`${base}/answer-times?lang=en`, 'admin')).body;
    expect(times.items.find((r: { categoryId: string }) => r.categoryId === category.id)).toMatchObject({
      answered: 1,
      medianDays: 3,
      p90Days: 3,
    });
    expect(times.items.find((r: { categoryId: string | null }) => r.categoryId === null)).toMatchObject({
      answered: 1,
      categoryName: 'No category',
    });
  });

  it.each(['open-by-week', 'answer-times'])('exports %s as the screen shows it, in CSV and XLSX', async (report) => {
    for (const lang of ['zh-CN', 'en']) {
      const screen = (await get(`${base}/${report}?format=table&lang=${lang}`, 'east-admin')).body as {
        columns: Array<{ key: string; label: string }>;
        rows: Array<Record<string, string>>;
      };
      const cells = screen.rows.map((row) => screen.columns.map((c) => row[c.key]));
      const csv = await download(`${base}/${report}?format=csv&lang=${lang}`, 'east-admin');
      expect(csv.status).toBe(200);
      expect(decodeURIComponent(csv.headers['content-disposition'])).toContain('东区分会');
      const records = parse((csv.body as Buffer).toString('utf8').replace(/^\ufeff/, '')) as string[][];
      expect(records[0]).toEqual(screen.columns.map((c) => c.label));
      expect(records.slice(1)).toEqual(cells);

      const xlsx = await download(`${base}/${report}?format=xlsx&lang=${lang}`, 'east-admin');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body);
      const sheet = book.worksheets[0]!;
      const values = Array.from({ length: sheet.rowCount }, (_, r) =>
        Array.from({ length: screen.columns.length }, (_, c) => sheet.getRow(r + 1).getCell(c + 1).value),
      );
      expect(values).toEqual(
        records.map((row, r) =>
          row.map((text, c) => (r > 0 && typeof values[r]![c] === 'number' ? Number(text) : r > 0 && text === '—' ? null : text)),
        ),
      );
    }
  });
});
