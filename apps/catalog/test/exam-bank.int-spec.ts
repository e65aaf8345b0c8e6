import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { crc32, deflateSync } from 'node:zlib';
import type { CursorPage, QuestionView } from '#contracts';
import type { CatalogHarness } from '../../../test/support/catalog-app.js';
import { startWithBranchEditors } from './support/exam-rows.js';

let catalog: CatalogHarness;
let units: Record<string, string>;
let tokens: Record<string, string>;

beforeAll(async () => {
  ({ catalog, units, tokens } = await startWithBranchEditors(['editor', 'east-editor', 'west-editor', 'admin', 'inspector', 'member']));
}, 120_000);
afterAll(() => catalog.close());

const as = (login: string) => ({ Authorization: `Bearer ${tokens[login]}` });
const http = () => catalog.http();

const single = (stem: string, extra: Record<string, unknown> = {}) => ({
  kind: 'single',
  stem,
  options: [
    { key: 'A', text: '1919' },
    { key: 'B', text: '1921' },
    { key: 'C', text: '1949' },
  ],
  answer: { keys: ['B'] },
  points: 2,
  explanation: '中共一大于1921年召开。',
  topic: ' 党史 ',
  courseId: null,
  lectureId: null,
  difficulty: 2,
  tags: [' 建党 ', '建党'],
  imageId: null,
  ...extra,
});

const create = (login: string, body: Record<string, unknown>) => http().post('/api/exam-questions').set(as(login)).send(body);

/** A real 1×1 PNG: signature, IHDR, one deflated scanline, IEND, each chunk with its CRC. */
function onePixelPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 200, 30, 30, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('question bank', () => {
  it('creates, edits, retires and restores a question, tidying what was typed', async () => {
    const created = await create('east-editor', single('中国共产党成立于哪一年？'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'single',
      answer: { keys: ['B'] },
      topic: '党史',
      tags: ['建党'],
      points: 2,
      ownerUnit: { id: units['committee/east'], name: '东区分会' },
      retiredAt: null,
      usedBy: 0,
      imageUrl: null,
    });
    const id = created.body.id as string;

    const edited = await http()
      .put(`/api/exam-questions/${id}`)
      .set(as('east-editor'))
      .send(single('中国共产党成立于哪一年？（单选）', { answer: { keys: ['b'] }, points: 3 }));
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ stem: '中国共产党成立于哪一年？（单选）', points: 3, answer: { keys: ['B'] } });

    const retired = await http().post(`/api/exam-questions/${id}/retire`).set(as('east-editor'));
    expect(retired.status).toBe(200);
    expect(retired.body.retiredAt).toEqual(expect.any(String));
    const listed = await http().get('/api/exam-questions').set(as('east-editor'));
    expect(listed.body.items.map((q: { id: string }) => q.id)).not.toContain(id);
    const withRetired = await http().get('/api/exam-questions?includeRetired=true').set(as('east-editor'));
    expect(withRetired.body.items.map((q: { id: string }) => q.id)).toContain(id);
    expect((await http().post(`/api/exam-questions/${id}/retire`).set(as('east-editor'))).status).toBe(409);

    const restored = await http().post(`/api/exam-questions/${id}/restore`).set(as('east-editor'));
    expect(restored.status).toBe(200);
    expect(restored.body.retiredAt).toBeNull();
    // There is no delete.
    expect((await http().delete(`/api/exam-questions/${id}`).set(as('east-editor'))).status).toBe(404);
  });

  it('keeps each editor to their subtree, and lets branches use the committee bank without changing it', async () => {
    const east = (await create('east-editor', single('东区的题'))).body.id as string;
    const committee = (await create('editor', single('委员会的题'))).body.id as string;

    // Another branch's editor is not even told the question exists.
    expect((await http().get(`/api/exam-questions/${east}`).set(as('west-editor'))).status).toBe(404);
    expect((await http().put(`/api/exam-questions/${east}`).set(as('west-editor')).send(single('改'))).status).toBe(404);
    expect((await http().post(`/api/exam-questions/${east}/retire`).set(as('west-editor'))).status).toBe(404);
    const westList = await http().get('/api/exam-questions?limit=200').set(as('west-editor'));
    const westIds = westList.body.items.map((q: { id: string }) => q.id);
    expect(westIds).toContain(committee);
    expect(westIds).not.toContain(east);

    // The committee's question is usable by a branch, but only the committee's editors change it.
    expect((await http().get(`/api/exam-questions/${committee}`).set(as('east-editor'))).status).toBe(200);
    const refused = await http().put(`/api/exam-questions/${committee}`).set(as('east-editor')).send(single('改'));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('only its editors can change it');
    expect((await http().put(`/api/exam-questions/${east}`).set(as('editor')).send(single('委员会改东区的题'))).status).toBe(200);

    // A question owned by a unit outside the caller's subtree cannot be made.
    const foreign = await create('east-editor', single('西区的题', { ownerUnitId: units['committee/west'] }));
    expect(foreign.status).toBe(404);
    const inside = await create('east-editor', single('小组的题', { ownerUnitId: units['committee/east/group-1'] }));
    expect(inside.status).toBe(201);
    expect(inside.body.ownerUnit.id).toBe(units['committee/east/group-1']);

    // Admins and inspectors read; members do not; only editors write.
    expect((await http().get(`/api/exam-questions/${east}`).set(as('admin'))).status).toBe(200);
    expect((await http().get('/api/exam-questions').set(as('inspector'))).status).toBe(200);
    expect((await http().get('/api/exam-questions').set(as('member'))).status).toBe(403);
    expect((await create('admin', single('管理员的题'))).status).toBe(403);
  });

  it('says what to fix in a question that does not hold together', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [single('两个答案', { answer: { keys: ['A', 'B'] } }), 'exactly one correct option'],
      [single('不存在的选项', { answer: { keys: ['E'] } }), '"E" is not one of the options (A, B, C)'],
      [single('一个选项', { options: [{ key: 'A', text: 'x' }], answer: { keys: ['A'] } }), 'needs at least 2 options'],
      [
        single('重复字母', {
          options: [
            { key: 'A', text: 'x' },
            { key: 'A', text: 'y' },
          ],
          answer: { keys: ['A'] },
        }),
        'the letter A is used twice',
      ],
      [{ ...single('判断'), kind: 'true_false', options: [], answer: {} }, 'say whether the statement is true or false'],
      [
        { ...single('一大在____召开'), kind: 'fill_blank', options: [], answer: { blanks: [['上海'], ['1921']] } },
        'the stem has 1 blank but the answer gives 2',
      ],
      [{ ...single('多选'), kind: 'multiple', answer: { keys: [] } }, 'choose at least one correct option'],
      [single('没有课程', { courseId: '00000000-0000-4000-8000-000000000000' }), 'courseId: there is no such course'],
      [single('没有图片', { imageId: '00000000-0000-4000-8000-000000000000' }), 'imageId: there is no such image'],
    ];
    for (const [body, message] of cases) {
      const answer = await create('east-editor', body);
      expect({ status: answer.status, message: answer.body.message }).toEqual({ status: 400, message: expect.stringContaining(message) });
    }
    const badKind = await create('east-editor', { ...single('x'), kind: 'essay' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.message).toContain('kind: must be single, multiple, true_false, fill_blank or short_answer');

    const fill = await create('east-editor', {
      ...single('中共一大在（ ）召开，时间是____年。'),
      kind: 'fill_blank',
      options: [],
      answer: { blanks: [['上海', '上海市'], ['1921']] },
    });
    expect(fill.status).toBe(201);
    expect(fill.body.answer).toEqual({ blanks: [['上海', '上海市'], ['1921']] });
  });

  it('lists page by page with filters, and names the topics in use', async () => {
    for (let i = 0; i < 5; i++) expect((await create('west-editor', single(`分页题 ${i}`, { topic: '分页' }))).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: CursorPage<QuestionView> } = await http()
        .get(`/api/exam-questions?topic=${encodeURIComponent('分页')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(as('west-editor'));
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((q) => q.stem));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['分页题 4', '分页题 3', '分页题 2', '分页题 1', '分页题 0']);
    const found = await http()
      .get(`/api/exam-questions?q=${encodeURIComponent('题 3')}`)
      .set(as('west-editor'));
    expect(found.body.items.map((q: { stem: string }) => q.stem)).toEqual(['分页题 3']);
    expect((await http().get('/api/exam-questions?cursor=nonsense').set(as('west-editor'))).body.message).toContain('cursor');
    const topics = await http().get('/api/exam-questions/topics').set(as('west-editor'));
    expect(topics.body).toEqual(expect.arrayContaining(['分页', '党史']));
  });
});

describe('malformed requests', () => {
  it('answers 400 with what to fix, never a server error', async () => {
    const answers = await Promise.all([
      http().get('/api/exam-questions?difficulty=hard').set(as('editor')),
      http().get('/api/exam-questions?limit=0').set(as('editor')),
      http().get('/api/exam-questions?kind=essay').set(as('editor')),
      http().get('/api/exam-questions/not-an-id').set(as('editor')),
      create('editor', { ...single('x'), answer: 'B' }),
      create('editor', { ...single('x'), options: [{ text: '没有字母' }] }),
      create('editor', { ...single('x'), points: 'two' }),
      http().post('/api/exam-images').set(as('editor')).set('Content-Type', 'application/json').send({}),
      http().post('/api/exam-images').set(as('editor')).set('Content-Type', 'image/png').send(Buffer.alloc(0)),
    ]);
    for (const answer of answers) {
      expect({ status: answer.status, hasMessage: typeof answer.body.message === 'string' }).toEqual({ status: 400, hasMessage: true });
    }
  });
});

describe('question images', () => {
  it('stores a real PNG and serves it to any signed-in user with caching headers', async () => {
    const png = onePixelPng();
    const uploaded = await http().post('/api/exam-images').set(as('east-editor')).set('Content-Type', 'image/png').send(png);
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id as string;

    const read = await http()
      .get(`/api/exam-images/${id}`)
      .set(as('member'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('image/png');
    expect(read.headers['cache-control']).toBe('private, max-age=86400');
    expect(Buffer.compare(read.body as Buffer, png)).toBe(0);
    const etag = read.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await http().get(`/api/exam-images/${id}`).set(as('member')).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect((await http().get(`/api/exam-images/${id}`)).status).toBe(401);

    const withImage = await create('east-editor', single('看图作答', { imageId: id }));
    expect(withImage.status).toBe(201);
    expect(withImage.body.imageUrl).toBe(`/api/exam-images/${id}`);
  });

  it('refuses a file that only claims to be an image, one too large, and non-editors', async () => {
    const fake = await http()
      .post('/api/exam-images')
      .set(as('east-editor'))
      .set('Content-Type', 'image/png')
      .send(Buffer.from('this is a text file named picture.png'));
    expect(fake.status).toBe(400);
    expect(fake.body.message).toContain('not a PNG, JPEG, WebP or GIF image');

    const big = Buffer.concat([onePixelPng(), Buffer.alloc(2 * 1024 * 1024)]);
    const tooBig = await http().post('/api/exam-images').set(as('east-editor')).set('Content-Type', 'image/png').send(big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toContain('at most 2 MB');

    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([1, 0, 1, 0, 0, 0, 0, 0x3b])]);
    const stored = await http().post('/api/exam-images').set(as('east-editor')).set('Content-Type', 'image/gif').send(gif);
    expect(stored.status).toBe(201);
    expect((await catalog.dataSource.query(`SELECT content_type FROM exam_images WHERE id = $1`, [stored.body.id]))[0].content_type).toBe(
      'image/gif',
    );

    const member = await http().post('/api/exam-images').set(as('member')).set('Content-Type', 'image/png').send(onePixelPng());
    expect(member.status).toBe(403);
  });
});
