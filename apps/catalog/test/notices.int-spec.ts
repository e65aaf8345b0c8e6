import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NoticeListView } from '#contracts';
import { NoticesService } from '../src/notices/notices.service.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { memberAndNeighbour, type TestMember } from '../../../test/support/study-fixtures.js';

let catalog: CatalogHarness;
let notices: NoticesService;
let member: TestMember;
let other: TestMember;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

const list = async (who: TestMember, limit?: number): Promise<NoticeListView> => {
  const answer = await catalog
    .http()
    .get(`/api/notices${limit === undefined ? '' : `?limit=${limit}`}`)
    .set(as(who.token));
  expect(answer.status).toBe(200);
  return answer.body as NoticeListView;
};
const markRead = (who: TestMember, body?: unknown) => {
  const call = catalog.http().post('/api/notices/read').set(as(who.token));
  return body === undefined ? call : call.send(body as object);
};

beforeAll(async () => {
  catalog = await startCatalog();
  notices = catalog.app.get(NoticesService);
  ({ member, other } = await memberAndNeighbour(catalog));
  const db = catalog.dataSource;
  await notices.notify(db, [member.id], { kind: 'questionnaire.reminder', params: { title: '学习需求调查' }, link: '/questionnaires/1' });
  await notices.notify(db, [member.id, other.id], { kind: 'request.answered', params: { title: '农村电商补贴', status: 'linked' } });
  await notices.notify(db, [member.id], {
    kind: 'reflection.reviewed',
    params: { title: '学习心得', verdict: 'returned' },
    link: '/reflections/7',
  });
  await notices.notify(db, [other.id], {
    kind: 'reflection.published',
    params: { title: '<script>alert(1)</script>', count: 3 },
    link: '/reflections/wall',
  });
}, 120_000);
afterAll(() => catalog.close());

describe('notices', () => {
  it('lists only the caller’s own notices, newest first, with the unread count', async () => {
    const mine = await list(member);
    expect(mine.unread).toBe(3);
    expect(mine.items.map((n) => n.kind)).toEqual(['reflection.reviewed', 'request.answered', 'questionnaire.reminder']);
    expect(mine.items[0]).toMatchObject({ params: { title: '学习心得', verdict: 'returned' }, link: '/reflections/7', readAt: null });
    expect(mine.items[1]!.link).toBeNull();
    expect(Date.parse(mine.items[0]!.createdAt)).not.toBeNaN();

    const theirs = await list(other);
    expect(theirs.unread).toBe(2);
    expect(theirs.items.map((n) => n.kind)).toEqual(['reflection.published', 'request.answered']);
    expect(theirs.items.some((n) => mine.items.some((m) => m.id === n.id))).toBe(false);

    const two = await list(member, 2);
    expect(two.items).toHaveLength(2);
    expect(two.unread).toBe(3);
  });

  it('refuses to list without signing in', async () => {
    expect((await catalog.http().get('/api/notices')).status).toBe(401);
  });

  it('gives back a <script> in a notice’s values as the same plain text, never as markup', async () => {
    const [published] = (await list(other)).items;
    expect(published!.params).toEqual({ title: '<script>alert(1)</script>', count: 3 });
    const raw = await catalog.http().get('/api/notices').set(as(other.token));
    expect(raw.headers['content-type']).toMatch(/^application\/json/);
  });

  it('marks some notices read, leaves the others, and ignores ids that are unknown or someone else’s', async () => {
    const mine = await list(member);
    const theirs = await list(other);
    const [newest] = mine.items;
    const answer = await markRead(member, { ids: [newest!.id, theirs.items[0]!.id, '999999999'] });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ marked: 1 });

    const after = await list(member);
    expect(after.unread).toBe(2);
    expect(after.items.find((n) => n.id === newest!.id)!.readAt).not.toBeNull();
    // The other member's notice is untouched.
    expect((await list(other)).unread).toBe(2);

    // Marking it again changes nothing.
    expect((await markRead(member, { ids: [newest!.id] })).body).toEqual({ marked: 0 });
  });

  it('marks all of the caller’s notices read when no ids are given, and only theirs', async () => {
    const answer = await markRead(member, {});
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ marked: 2 });
    const after = await list(member);
    expect(after.unread).toBe(0);
    expect(after.items.every((n) => n.readAt !== null)).toBe(true);
    expect((await list(other)).unread).toBe(2);

    // An empty body also means all.
    const empty = await markRead(other);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ marked: 2 });
    expect((await list(other)).unread).toBe(0);
  });

  it.each([
    ['?limit=0', 'limit: must be at least 1'],
    ['?limit=101', 'limit: must be at most 100'],
    ['?limit=2.5', 'limit: must be a whole number'],
  ])('refuses the list query %s with a clear message', async (query, message) => {
    const answer = await catalog.http().get(`/api/notices${query}`).set(as(member.token));
    expect({ status: answer.status, message: answer.body.message }).toEqual({ status: 400, message: expect.stringContaining(message) });
  });

  it.each([
    ['an empty list', { ids: [] }, 'ids: must name at least one notice, or be left out to mark all'],
    ['a word', { ids: ['abc'] }, 'must be the id of a notice'],
    ['id 0', { ids: ['0'] }, 'must be the id of a notice'],
    ['SQL text', { ids: ['1; DROP TABLE member_notices'] }, 'must be the id of a notice'],
    ['201 ids', { ids: Array.from({ length: 201 }, (_, i) => String(i + 1)) }, 'ids: must name at most 200 notices'],
  ])('refuses to mark %s read with a clear message', async (_what, body, message) => {
    const answer = await markRead(member, body);
    expect({ status: answer.status, message: answer.body.message }).toEqual({ status: 400, message: expect.stringContaining(message) });
  });
});
