import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { ReflectionView, ReviewQueueView } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const tokens: Record<string, string> = {};
const SCRIPT = '<script>alert("x")</script>';
const userId = async (login: string) => (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id as string;

// member11: east/group-2, a committee member (not a reviewer). member06 leads east/group-2; member05 is the east
// secretary; `member` leads east/group-1; member07 is the west secretary; member16 is a plain member of east/group-2.
const LOGINS = ['member11', 'member06', 'member05', 'member', 'member07', 'member16', 'east-admin', 'admin', 'inspector'];

const get = (path: string, who: string) => catalog.http().get(path).set(as(tokens[who]!));
const post = (path: string, who: string, body: object = {}) => catalog.http().post(path).set(as(tokens[who]!)).send(body);
const put = (path: string, who: string, body: object) => catalog.http().put(path).set(as(tokens[who]!)).send(body);
const queueOf = async (who: string) => {
  const answer = await get('/api/review/reflections', who);
  expect(answer.status).toBe(200);
  return answer.body as ReviewQueueView;
};
const download = (path: string, who: string) =>
  get(path, who)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

let written: ReflectionView;

beforeAll(async () => {
  catalog = await startCatalog();
  for (const login of LOGINS) tokens[login] = await catalog.tokenFor(login);
}, 120_000);
afterAll(() => catalog.close());

describe('writing and reviewing a reflection', () => {
  it('saves a draft with <script> in every field as plain text, and refuses an empty or over-long one', async () => {
    const [lecture] = await catalog.dataSource.query(`SELECT id FROM lectures LIMIT 1`);
    const created = await post('/api/reflections', 'member11', { title: SCRIPT, body: `${SCRIPT} 第一稿`, lectureId: lecture?.id });
    expect(created.status).toBe(201);
    written = created.body;
    expect(written).toMatchObject({ title: SCRIPT, body: `${SCRIPT} 第一稿`, status: 'draft', version: 0, history: [] });
    expect(written.can).toMatchObject({ edit: true, submit: true, withdraw: true, review: false });

    const long = await put(`/api/reflections/${written.id}`, 'member11', { body: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(long.body.message).toContain('body: must be at most 5000 characters');
    const longTitle = await put(`/api/reflections/${written.id}`, 'member11', { title: 't'.repeat(101), body: 'x' });
    expect(longTitle.body.message).toContain('title: must be at most 100 characters');
    const two = await post('/api/reflections', 'member11', {
      body: 'x',
      lectureId: '00000000-0000-4000-8000-000000000001',
      courseId: '00000000-0000-4000-8000-000000000002',
    });
    expect(two.status).toBe(400);

    const empty = await post('/api/reflections', 'member16', { body: '   ', submit: true });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('Write your reflection');

    const saved = await put(`/api/reflections/${written.id}`, 'member11', { title: SCRIPT, body: `${SCRIPT} 第一稿，修改中` });
    expect(saved.status).toBe(200);
    expect(saved.body.body).toBe(`${SCRIPT} 第一稿，修改中`);
    // Someone else cannot read or change it.
    expect((await put(`/api/reflections/${written.id}`, 'member16', { body: 'mine' })).status).toBe(404);
    expect((await get(`/api/reflections/${written.id}`, 'member16')).status).toBe(404);
  });

  it('sends it for review to the group leader, the secretary and admins of the unit, and to no one else', async () => {
    const sent = await post(`/api/reflections/${written.id}/submit`, 'member11');
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'submitted', version: 1 });
    expect(sent.body.can.edit).toBe(false);

    for (const who of ['member06', 'member05', 'east-admin', 'admin']) {
      const queue = await queueOf(who);
      expect(queue.isReviewer).toBe(true);
      expect(queue.items.map((i) => i.id)).toContain(written.id);
    }
    const leader = await queueOf('member06');
    expect(leader.units.map((u) => u.name)).toEqual(['东区第二小组']);
    expect(leader.items.find((i) => i.id === written.id)).toMatchObject({ title: SCRIPT, author: { name: expect.any(String) } });
    // The leader of another group and the secretary of another branch do not review it.
    expect((await queueOf('member')).items.map((i) => i.id)).not.toContain(written.id);
    expect((await queueOf('member07')).items.map((i) => i.id)).not.toContain(written.id);
    expect((await get(`/api/reflections/${written.id}`, 'member07')).status).toBe(404);
    expect((await post(`/api/review/reflections/${written.id}`, 'member07', { verdict: 'read' })).status).toBe(404);
    // A member without a reviewing position reviews nobody.
    expect(await queueOf('member16')).toEqual({ isReviewer: false, units: [], items: [] });
    expect((await get('/api/reflections', 'member16')).body.isReviewer).toBe(false);
    expect((await get('/api/reflections', 'member06')).body.isReviewer).toBe(true);
    // An inspector reads reports but reviews nothing.
    expect((await get('/api/review/reflections', 'inspector')).status).toBe(403);
  });

  it('lets the group leader return it with a comment, and tells the author', async () => {
    const bare = await post(`/api/review/reflections/${written.id}`, 'member06', { verdict: 'returned' });
    expect(bare.status).toBe(400);
    expect(bare.body.message).toContain('needs a comment');
    const tooLong = await post(`/api/review/reflections/${written.id}`, 'member06', { verdict: 'returned', comment: 'c'.repeat(1001) });
    expect(tooLong.body.message).toContain('comment: must be at most 1000 characters');

    const returned = await post(`/api/review/reflections/${written.id}`, 'member06', {
      verdict: 'returned',
      comment: `${SCRIPT} 请结合实际`,
    });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ status: 'returned', acceptedAt: null });
    expect(returned.body.history).toEqual([
      expect.objectContaining({ version: 1, review: expect.objectContaining({ verdict: 'returned', comment: `${SCRIPT} 请结合实际` }) }),
    ]);
    const again = await post(`/api/review/reflections/${written.id}`, 'member05', { verdict: 'read' });
    expect(again.status).toBe(409);

    const [notice] = await catalog.dataSource.query(
      `SELECT kind, params, link FROM member_notices WHERE user_id = $1 ORDER BY id DESC LIMIT 1`,
      [await userId('member11')],
    );
    expect(notice).toEqual({
      kind: 'reflection.reviewed',
      params: { title: SCRIPT, verdict: 'returned' },
      link: `/reflections/${written.id}`,
    });
  });

  it('lets the author revise and send it again, keeping the first version and its review', async () => {
    const mine = (await get(`/api/reflections/${written.id}`, 'member11')).body as ReflectionView;
    expect(mine.can).toMatchObject({ edit: true, submit: true });
    await put(`/api/reflections/${written.id}`, 'member11', { title: SCRIPT, body: '修改中' });
    expect((await get(`/api/reflections/${written.id}`, 'member06')).body.body).toBe(`${SCRIPT} 第一稿，修改中`);
    const resent = await post(`/api/reflections/${written.id}/submit`, 'member11', {
      title: '结合实际的体会',
      body: '第二稿：结合社区工作',
    });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: 'submitted', version: 2, title: '结合实际的体会' });
    expect(
      resent.body.history.map((v: { version: number; body: string; review: unknown }) => [v.version, v.body, v.review !== null]),
    ).toEqual([
      [1, `${SCRIPT} 第一稿，修改中`, true],
      [2, '第二稿：结合社区工作', false],
    ]);
    const item = (await queueOf('member05')).items.find((i) => i.id === written.id);
    // A reviewer reads what was sent, not a draft nor unsent edits.
    const unsent = await post('/api/reflections', 'member11', { body: '还没写完' });
    expect((await get(`/api/reflections/${unsent.body.id}`, 'member06')).status).toBe(404);
    expect(item).toMatchObject({ version: 2, resubmitted: true });
  });

  it('lets the secretary accept it as excellent; then it can no longer be changed or withdrawn', async () => {
    const accepted = await post(`/api/review/reflections/${written.id}`, 'member05', { verdict: 'excellent', comment: '写得好' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('excellent');
    expect(accepted.body.acceptedAt).not.toBeNull();
    const [row] = await catalog.dataSource.query(`SELECT status, accepted_at IS NOT NULL AS accepted FROM reflections WHERE id = $1`, [
      written.id,
    ]);
    expect(row).toEqual({ status: 'excellent', accepted: true });
    expect((await put(`/api/reflections/${written.id}`, 'member11', { body: 'later' })).body.message).toContain('accepted');
    expect((await post(`/api/reflections/${written.id}/withdraw`, 'member11')).status).toBe(409);
    expect((await queueOf('member05')).items.map((i) => i.id)).not.toContain(written.id);
  });

  it('never lets anyone review their own reflection', async () => {
    const own = await post('/api/reflections', 'member06', { body: '组长自己的心得', submit: true });
    expect(own.body.status).toBe('submitted');
    expect((await queueOf('member06')).items.map((i) => i.id)).not.toContain(own.body.id);
    const self = await post(`/api/review/reflections/${own.body.id}`, 'member06', { verdict: 'excellent' });
    expect(self.status).toBe(403);
    expect(self.body.message).toContain('your own');
    expect((await queueOf('member05')).items.map((i) => i.id)).toContain(own.body.id);
  });

  it('lets the author withdraw one not yet accepted; it stays on record', async () => {
    const draft = await post('/api/reflections', 'member16', { body: '草稿' });
    const withdrawn = await post(`/api/reflections/${draft.body.id}/withdraw`, 'member16');
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await get('/api/reflections', 'member16')).body.items.map((i: { id: string }) => i.id)).toContain(draft.body.id);
  });
});

describe('the reflections wall', () => {
  it('shows an excellent reflection only after the author consents, on the admin’s unit’s wall, to that subtree', async () => {
    const early = await post(`/api/reflections/${written.id}/publish`, 'east-admin');
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('consent');
    expect((await post(`/api/reflections/${written.id}/publish`, 'member05')).status).toBe(403);

    expect((await post(`/api/reflections/${written.id}/consent`, 'member11', { consent: true })).body.consentAt).not.toBeNull();
    const published = await post(`/api/reflections/${written.id}/publish`, 'east-admin');
    expect(published.status).toBe(200);
    expect(published.body.publishedOn.map((w: { unitName: string }) => w.unitName)).toEqual(['东区分会']);
    const [notice] = await catalog.dataSource.query(`SELECT kind, params FROM member_notices WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, [
      await userId('member11'),
    ]);
    expect(notice).toEqual({ kind: 'reflection.published', params: { title: '结合实际的体会', unit: '东区分会' } });

    const wall = async (who: string) => (await get('/api/reflections/wall', who)).body as Array<{ id: string; body: string }>;
    expect((await wall('member16')).map((w) => w.id)).toEqual([written.id]);
    expect((await wall('member'))[0]!.body).toBe('第二稿：结合社区工作');
    expect(await wall('member07')).toEqual([]);
    expect(await wall('admin')).toEqual([]);

    // Taking consent back takes it off the wall.
    await post(`/api/reflections/${written.id}/consent`, 'member11', { consent: false });
    expect(await wall('member16')).toEqual([]);
    const [{ kept }] = await catalog.dataSource.query(
      `SELECT count(*)::int AS kept FROM reflection_publications WHERE reflection_id = $1`,
      [written.id],
    );
    expect(kept).toBe(1);

    // Shown again with consent, then taken down by the admin: both publications stay on record.
    await post(`/api/reflections/${written.id}/consent`, 'member11', { consent: true });
    expect((await post(`/api/reflections/${written.id}/publish`, 'east-admin')).status).toBe(200);
    expect((await wall('member16')).map((w) => w.id)).toEqual([written.id]);
    expect((await post(`/api/reflections/${written.id}/unpublish`, 'member06')).status).toBe(403);
    const down = await post(`/api/reflections/${written.id}/unpublish`, 'east-admin');
    expect(down.status).toBe(200);
    expect(down.body.publishedOn).toEqual([]);
    expect(await wall('member16')).toEqual([]);
    expect((await post(`/api/reflections/${written.id}/unpublish`, 'east-admin')).status).toBe(409);
    const [{ all }] = await catalog.dataSource.query(
      `SELECT count(*)::int AS "all" FROM reflection_publications WHERE reflection_id = $1`,
      [written.id],
    );
    expect(all).toBe(2);
  });

  it('gives back <script> as the same plain text in JSON', async () => {
    const answer = await get(`/api/reflections/${written.id}`, 'member11');
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.body.history[0].title).toBe(SCRIPT);
  });
});

describe('records kept', () => {
  it.each(['reflections', 'reflection_versions', 'reflection_reviews', 'reflection_publications'])(
    'refuses DELETE on %s',
    async (table) => {
      await expect(catalog.dataSource.query(`DELETE FROM ${table}`)).rejects.toThrow(/Reflections are kept/);
      await expect(catalog.dataSource.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/Reflections are kept/);
    },
  );
});

describe('the reflections report', () => {
  it('counts per unit of the subtree, with wait times, and its files equal the screen', async () => {
    const screen = await get('/api/reports/reflections?lang=en', 'east-admin');
    expect(screen.status).toBe(200);
    const paths = screen.body.items.map((r: { path: string }) => r.path);
    expect(paths).toEqual(['committee/east', 'committee/east/group-1', 'committee/east/group-2']);
    const east = screen.body.items[0];
    expect(east).toMatchObject({ written: 2, reviewed: 2, accepted: 1, returned: 1, pending: 1 });
    expect(east.medianWaitHours).not.toBeNull();
    expect(east.p90WaitHours).not.toBeNull();
    expect(east.oldestPendingHours).not.toBeNull();
    expect(screen.body.items[1]).toMatchObject({ written: 0, pending: 0, medianWaitHours: null });

    const csv = await download('/api/reports/reflections?format=csv&lang=en', 'east-admin');
    const records = parse((csv.body as Buffer).toString('utf8').replace(/^\ufeff/, '')) as string[][];
    expect(records[0]).toEqual(screen.body.columns.map((c: { label: string }) => c.label));
    expect(records.slice(1)).toEqual(screen.body.cells.map((row: Record<string, string>) => Object.values(row)));

    const xlsx = await download('/api/reports/reflections?format=xlsx&lang=en', 'east-admin');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const width = records[0]!.length;
    const cells = Array.from({ length: sheet.rowCount }, (_, r) =>
      Array.from({ length: width }, (_, c) => sheet.getRow(r + 1).getCell(c + 1).value),
    );
    expect(cells).toEqual(
      records.map((row, r) =>
        row.map((text, c) => (r > 0 && typeof cells[r]![c] === 'number' ? Number(text) : text === '—' && r > 0 ? null : text)),
      ),
    );
  });

  it('stays in the caller’s subtree', async () => {
    const west = (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`))[0].id;
    expect((await get(`/api/reports/reflections?unitId=${west}`, 'east-admin')).status).toBe(404);
    const whole = await get('/api/reports/reflections', 'inspector');
    expect(whole.body.items[0]).toMatchObject({ path: 'committee', written: 2 });
    expect((await get('/api/reports/reflections', 'member05')).status).toBe(403);
  });
});
