import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SearchTermsAfterDigits1732000039000 } from '../../../libs/database/src/migrations/1732000039000-search-terms-after-digits.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

let catalog: CatalogHarness;
let editor: string;
let eastMember: string;
let westMember: string;
let categoryId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const westLogin = async () =>
  (
    await catalog.dataSource.query(
      `SELECT u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path LIKE 'committee/west/%' LIMIT 1`,
    )
  )[0].login as string;

async function course(
  title: string,
  extra: Record<string, unknown> = {},
  options: { publish?: boolean; media?: boolean; lectureTitle?: string; speaker?: string } = {},
) {
  const created = await catalog
    .http()
    .post('/api/courses')
    .set(as(editor))
    .send({ title, categoryId, ...extra });
  expect(created.status).toBe(201);
  const media = options.media === false ? null : await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  const lecture = await catalog
    .http()
    .post(`/api/courses/${created.body.id}/lectures`)
    .set(as(editor))
    .send({
      title: options.lectureTitle ?? `${title} — 第一讲`,
      speaker: options.speaker ?? '张教授',
      assetId: media?.assetId ?? randomUUID(),
    });
  expect(lecture.status).toBe(201);
  if (options.publish !== false)
    expect((await catalog.http().post(`/api/courses/${created.body.id}/publish`).set(as(editor))).status).toBe(200);
  return { id: created.body.id as string, lectureId: lecture.body.id as string, assetId: media?.assetId };
}

const visibleTitles = async (token: string, query = '') =>
  ((await catalog.http().get(`/api/courses?limit=100${query}`).set(as(token))).body.items as Array<{ title: string }>)
    .map((c) => c.title)
    .sort();

beforeAll(async () => {
  catalog = await startCatalog();
  editor = await catalog.tokenFor('editor');
  eastMember = await catalog.tokenFor('member');
  westMember = await catalog.tokenFor(await westLogin());
  categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body.find(
    (c: { code: string }) => c.code === 'political-theory',
  ).id;
}, 120_000);
afterAll(() => catalog.close());

describe('what members see', () => {
  let published: Awaited<ReturnType<typeof course>>;
  beforeAll(async () => {
    published = await course('Published for all');
    await course('Draft course', {}, { publish: false });
    const archived = await course('Archived course');
    await catalog.http().post(`/api/courses/${archived.id}/archive`).set(as(editor));
    await course('West only', { visibleUnitIds: [await unitId('committee/west')] });
    await course('East group 1 only', { visibleUnitIds: [await unitId('committee/east/group-1')] });
    await course('Not ready yet', {}, { media: false });
  }, 120_000);

  it('shows published, ready courses meant for the member unit only', async () => {
    expect(await visibleTitles(eastMember)).toEqual(['East group 1 only', 'Published for all']);
    expect(await visibleTitles(westMember)).toEqual(['Published for all', 'West only']);
  });

  it('hides drafts, archived, foreign and not-ready courses even by id', async () => {
    const studio = (await catalog.http().get('/api/studio/courses').set(as(editor))).body as Array<{ id: string; title: string }>;
    for (const title of ['Draft course', 'Archived course', 'West only', 'Not ready yet']) {
      const id = studio.find((c) => c.title === title)!.id;
      expect((await catalog.http().get(`/api/courses/${id}`).set(as(eastMember))).status).toBe(404);
    }
  });

  it('lists only lectures whose media is ready, with durations', async () => {
    await catalog
      .http()
      .post(`/api/courses/${published.id}/lectures`)
      .set(as(editor))
      .send({ title: 'Still transcoding', assetId: randomUUID() });
    const detail = await catalog.http().get(`/api/courses/${published.id}`).set(as(eastMember));
    expect(detail.status).toBe(200);
    expect(detail.body.lectures.map((l: { title: string }) => l.title)).toEqual(['Published for all — 第一讲']);
    expect(detail.body).toMatchObject({ lectureCount: 1, totalDurationSec: 2 });
    const studio = await catalog.http().get(`/api/studio/courses/${published.id}`).set(as(editor));
    expect(studio.body.lectures.map((l: { media: { status: string } }) => l.media.status)).toEqual(['ready', 'processing']);
  });

  it('refuses playback of lectures a member may not see', async () => {
    const studio = (await catalog.http().get('/api/studio/courses').set(as(editor))).body as Array<{
      title: string;
      lectures: Array<{ id: string }>;
    }>;
    const draftLecture = studio.find((c) => c.title === 'Draft course')!.lectures[0].id;
    const westLecture = studio.find((c) => c.title === 'West only')!.lectures[0].id;
    expect((await catalog.http().post(`/api/lectures/${draftLecture}/playback`).set(as(eastMember))).status).toBe(404);
    expect((await catalog.http().post(`/api/lectures/${westLecture}/playback`).set(as(eastMember))).status).toBe(404);
    expect((await catalog.http().post(`/api/lectures/${draftLecture}/playback`).set(as(editor))).status).toBe(201);
  });
});

describe('search', () => {
  beforeAll(async () => {
    await course('马克思主义基本原理', { description: '政治理论学习的基础课程' }, { lectureTitle: '唯物辩证法', speaker: '李明教授' });
    await course(
      'Market Economy Basics',
      { description: 'Supply, demand and prices' },
      { lectureTitle: 'How prices form', speaker: 'Dr. Chen' },
    );
    await course('现代农业科技', { description: '大棚蔬菜种植技术' }, { lectureTitle: 'Greenhouse irrigation', speaker: '王农艺师' });
    await course('第3个要点', { description: 'AI时代' }, { lectureTitle: '2024年度学习计划', speaker: '赵老师' });
  }, 120_000);

  it.each([
    ['政治理论', ['马克思主义基本原理']],
    ['辩证法', ['马克思主义基本原理']],
    ['李明', ['马克思主义基本原理']],
    ['蔬菜种植', ['现代农业科技']],
    ['market', ['Market Economy Basics']],
    ['PRICES', ['Market Economy Basics']],
    ['econ', ['Market Economy Basics']],
    ['greenhouse', ['现代农业科技']],
    ['chen', ['Market Economy Basics']],
    ['量子计算', []],
    ['!!!', []],
    // Chinese right after a digit or Latin letters is found like any other Chinese word.
    ['要点', ['第3个要点']],
    ['个要点', ['第3个要点']],
    ['第3个要点', ['第3个要点']],
    ['时代', ['第3个要点']],
    ['AI时代', ['第3个要点']],
    ['年度学习', ['第3个要点']],
    ['学习计划', ['第3个要点']],
  ])('finds %j', async (q, expected) => {
    expect(await visibleTitles(eastMember, `&q=${encodeURIComponent(q)}`)).toEqual(expected);
  });

  it('finds a course indexed before Chinese after digits was split, once the migration recomputed its terms', async () => {
    const { id } = await course('第5条重点', { description: '2025年度工作安排' }, { lectureTitle: 'Lecture one', speaker: '孙讲师' });
    // The terms as the earlier rule stored them: the Chinese after a digit glued to it.
    await catalog.dataSource.query(`UPDATE courses SET search_vector = to_tsvector('simple', $2) WHERE id = $1`, [
      id,
      '第 5条重点 2025年度工作安排 lecture one 孙讲 讲师',
    ]);
    const found = (q: string) => visibleTitles(eastMember, `&q=${encodeURIComponent(q)}`);
    expect(await found('重点')).toEqual([]);
    expect(await found('工作安排')).toEqual([]);
    const runner = catalog.dataSource.createQueryRunner();
    try {
      await new SearchTermsAfterDigits1732000039000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await found('重点')).toEqual(['第5条重点']);
    expect(await found('工作安排')).toEqual(['第5条重点']);
    expect(await found('孙讲师')).toEqual(['第5条重点']);
    expect(await found('lecture')).toEqual(['第5条重点']);
    // The other courses keep their terms.
    expect(await found('要点')).toEqual(['第3个要点']);
    expect(await found('蔬菜种植')).toEqual(['现代农业科技']);
  });

  it('pages and sorts', async () => {
    const first = await catalog.http().get('/api/courses?limit=2&offset=0&sort=newest').set(as(eastMember));
    const second = await catalog.http().get('/api/courses?limit=2&offset=2&sort=newest').set(as(eastMember));
    expect(first.body.total).toBeGreaterThanOrEqual(4);
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect((await catalog.http().get('/api/courses?sort=best').set(as(eastMember))).status).toBe(400);
  });
});

describe('studio', () => {
  it('reorders lectures, rejecting an incomplete order', async () => {
    const c = await course('Order test', {}, { publish: false });
    const second = await catalog.http().post(`/api/courses/${c.id}/lectures`).set(as(editor)).send({ title: 'Second' });
    const bad = await catalog
      .http()
      .put(`/api/courses/${c.id}/lecture-order`)
      .set(as(editor))
      .send({ lectureIds: [second.body.id] });
    expect(bad.status).toBe(400);
    const good = await catalog
      .http()
      .put(`/api/courses/${c.id}/lecture-order`)
      .set(as(editor))
      .send({ lectureIds: [second.body.id, c.lectureId] });
    expect(good.body.lectures.map((l: { title: string; position: number }) => [l.title, l.position])).toEqual([
      ['Second', 0],
      ['Order test — 第一讲', 1],
    ]);
  });

  it('replaces a lecture media without changing the lecture id', async () => {
    const c = await course('Replace media');
    const media = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 3);
    const updated = await catalog.http().patch(`/api/lectures/${c.lectureId}`).set(as(editor)).send({ assetId: media.assetId });
    expect(updated.body).toMatchObject({ id: c.lectureId, assetId: media.assetId, durationSec: 3 });
  });

  it('keeps members out of the studio and checks cover images by their bytes', async () => {
    expect((await catalog.http().get('/api/studio/courses').set(as(eastMember))).status).toBe(403);
    const c = await course('Cover test', {}, { publish: false });
    const fake = await catalog
      .http()
      .put(`/api/courses/${c.id}/cover`)
      .set(as(editor))
      .set('Content-Type', 'image/png')
      .send(Buffer.from('<svg></svg>'));
    expect(fake.status).toBe(400);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    const ok = await catalog.http().put(`/api/courses/${c.id}/cover`).set(as(editor)).set('Content-Type', 'image/png').send(png);
    expect(ok.status).toBe(200);
    const cover = await catalog.http().get(ok.body.coverUrl);
    expect(cover.status).toBe(200);
    expect(cover.headers['content-type']).toBe('image/png');
  });

  it.each([
    [{ title: '', categoryId: randomUUID() }, 'title'],
    [{ title: 'x', categoryId: 'nope' }, 'categoryId'],
    [{ title: 'x', categoryId: randomUUID() }, 'no such course category'],
    [{ title: 'x'.repeat(201), categoryId: randomUUID() }, 'title'],
  ])('rejects a bad course %#', async (body, message) => {
    const answer = await catalog.http().post('/api/courses').set(as(editor)).send(body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
  });

  it('refuses to publish twice with a clear conflict', async () => {
    const c = await course('Publish twice');
    const again = await catalog.http().post(`/api/courses/${c.id}/publish`).set(as(editor));
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('published course cannot be published');
  });
});
