import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { tokenFor } from '../../../test/support/tokens.js';
import { startUpload } from '../../../test/support/upload-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

let catalog: CatalogHarness;
let origin: string;
let editor: string;
let member: string;
let courseId: string;
let lectureId: string;
let assetId: string;
let hlsPrefix: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Sends the path exactly as written: no client-side normalisation of `//`, `.` or percent escapes. */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}/`, { method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  catalog = await startCatalog();
  const server = catalog.app.getHttpServer() as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  editor = await catalog.tokenFor('editor');
  member = await catalog.tokenFor('member');
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '路径', categoryId: categories.body[0].id });
  courseId = course.body.id;
  ({ assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2));
  lectureId = (await catalog.http().post(`/api/courses/${courseId}/lectures`).set(as(editor)).send({ title: '第一讲', assetId })).body.id;
  await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor));
  const session = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
  expect(session.status).toBe(201);
  hlsPrefix = session.body.masterUrl.replace(/\/master\.m3u8$/, '');
}, 120_000);
afterAll(() => catalog.close());

describe('odd HLS paths', () => {
  it('still serves the master playlist by its plain path', async () => {
    const answer = await raw('GET', `${hlsPrefix}/master.m3u8`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('#EXTM3U');
  });

  it.each([
    '//etc/passwd.m3u8',
    '/.%2fmaster.m3u8',
    '/./master.m3u8',
    '/%2e/master.m3u8',
    '/360p//index.m3u8',
    '/360p/./index.m3u8',
    '/360p/.%2findex.m3u8',
    '/%2fetc%2fpasswd.m3u8',
    '/..%2f..%2fmaster.m3u8',
    '/360p/%2e%2e/master.m3u8',
    '/master.m3u8%00.m4s',
    '/%00/master.m3u8',
    '/360p%2findex.m3u8',
    '/.m3u8',
    '/...m3u8',
    '/360p/index.m3u8%2f',
    '/%ff.m3u8',
    '/%zz.m3u8',
  ])('answers %s with 400 or 404, never a file or a 500', async (suffix) => {
    for (const method of ['GET', 'HEAD']) {
      const answer = await raw(method, `${hlsPrefix}${suffix}`);
      expect([400, 404]).toContain(answer.status);
      expect(answer.body).not.toContain('#EXT');
      expect(answer.body).not.toContain('root:');
    }
  });

  it('answers a very long file name with 404', async () => {
    expect((await raw('GET', `${hlsPrefix}/${'a'.repeat(5000)}.m3u8`)).status).toBe(404);
  });

  it('answers odd segments in place of the token or the asset with 4xx', async () => {
    const [, , token] = hlsPrefix.split('/');
    for (const path of [
      `/hls/${token}//master.m3u8`,
      `/hls//${assetId}/master.m3u8`,
      `/hls/./${assetId}/master.m3u8`,
      `/hls/${token}/%2e/master.m3u8`,
    ]) {
      const answer = await raw('GET', path);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
  });

  it.each([
    '/api/courses/%2e/cover',
    '/api/courses/..%2f/cover',
    '/api/courses//cover',
    '/api/lectures/%00/poster',
    '/api/lectures/.%2f/poster',
  ])('answers the picture path %s with 4xx', async (path) => {
    const answer = await raw('GET', path);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });
});

// Values at and past the edges of what each field holds: int4 limits, huge and odd strings, wrong types.
const UUID_NIL = '00000000-0000-0000-0000-000000000000';
const UUID_UNKNOWN = '7f1d3c52-1111-4aaa-8bbb-123456789abc';
const BAD_VALUES: unknown[] = [
  2147483647,
  2147483648,
  -2147483649,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1,
  0,
  0.000001,
  1.5,
  'x'.repeat(20_000),
  'a\u0000b',
  '\ud800',
  '',
  ' ',
  null,
  true,
  {},
  [],
  ['x'],
  Array.from({ length: 3000 }, () => UUID_UNKNOWN),
  UUID_NIL,
  UUID_UNKNOWN,
  'not-a-uuid',
  '2026-02-30',
  '0000-01-01',
  '9999-12-31',
  '-infinity',
  { $gt: '' },
];
const BAD_PATH_PARAMS = ['not-a-uuid', UUID_NIL, UUID_UNKNOWN, '%00', '..', '%2e%2e', 'x'.repeat(500), '2147483648', '%ff'];
const BAD_QUERY_VALUES = ['2147483648', '-1', '1e400', 'NaN', 'abc', '%00', 'x'.repeat(3000), '', '2026-02-30', 'true'];

interface Route {
  who: 'admin' | 'editor' | 'member';
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  body?: Record<string, unknown>;
  query?: string[];
}

describe('bad input on every route', () => {
  let tokens: Record<Route['who'], string>;
  let routes: Route[];

  beforeAll(async () => {
    tokens = { admin: await catalog.tokenFor('admin'), editor, member };
    const admin = tokens.admin;
    const units = (await catalog.http().get('/api/org-units').set(as(admin))).body as Array<{ id: string; path: string }>;
    const unitId = units.find((u) => u.path.includes('/'))!.id;
    const spareUnit = await catalog.http().post('/api/org-units').set(as(admin)).send({ parentId: unitId, slug: 'spare', name: 'Spare' });
    const spareMember = await catalog
      .http()
      .post('/api/members')
      .set(as(admin))
      .send({ login: 'spare-person', name: 'Spare', orgUnitId: unitId });
    const categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body[0].id as string;
    const plan = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(admin))
      .send({ name: 'Probe', periodStart: '2026-01-01', periodEnd: '2026-12-31', requiredHours: 2 });
    expect([spareUnit.status, spareMember.status, plan.status]).toEqual([201, 201, 201]);
    const ids = { unit: spareUnit.body.id, member: spareMember.body.id, plan: plan.body.id };
    routes = [
      { who: 'member', method: 'get', path: '/api/me' },
      { who: 'member', method: 'get', path: '/api/me/study' },
      { who: 'admin', method: 'get', path: '/api/org-units' },
      { who: 'admin', method: 'post', path: '/api/org-units', body: { parentId: unitId, slug: 'probe', name: 'Probe', kind: 'group' } },
      { who: 'admin', method: 'patch', path: `/api/org-units/${ids.unit}`, body: { name: 'Spare 2', slug: 'spare' } },
      { who: 'editor', method: 'get', path: '/api/org-units/visible' },
      { who: 'member', method: 'get', path: '/api/course-categories' },
      { who: 'editor', method: 'post', path: '/api/course-categories', body: { code: 'probe', nameZh: '探', nameEn: 'Probe' } },
      { who: 'member', method: 'get', path: '/api/courses', query: ['q', 'categoryId', 'sort', 'limit', 'offset'] },
      { who: 'member', method: 'get', path: `/api/courses/${courseId}` },
      {
        who: 'editor',
        method: 'post',
        path: '/api/courses',
        body: { title: 'Probe', description: '', categoryId, compulsory: false, visibleUnitIds: [unitId], ownerUnitId: unitId },
      },
      { who: 'editor', method: 'get', path: '/api/studio/courses' },
      { who: 'editor', method: 'get', path: `/api/studio/courses/${courseId}` },
      {
        who: 'editor',
        method: 'patch',
        path: `/api/courses/${courseId}`,
        body: { title: '路径', description: '', categoryId, compulsory: false },
      },
      {
        who: 'editor',
        method: 'post',
        path: `/api/courses/${courseId}/lectures`,
        body: { title: 'Probe', speaker: '', description: '', assetId: null },
      },
      { who: 'editor', method: 'put', path: `/api/courses/${courseId}/lecture-order`, body: { lectureIds: [lectureId] } },
      { who: 'editor', method: 'patch', path: `/api/lectures/${lectureId}`, body: { title: '第一讲', speaker: '', description: '' } },
      { who: 'admin', method: 'get', path: '/api/members', query: ['q', 'unitId', 'category', 'role', 'active', 'limit', 'offset'] },
      { who: 'admin', method: 'get', path: `/api/members/${ids.member}` },
      {
        who: 'admin',
        method: 'post',
        path: '/api/members',
        body: { login: 'probe-person', name: 'Probe', role: 'member', orgUnitId: unitId, category: 'retired', password: 'long-enough-1' },
      },
      { who: 'admin', method: 'patch', path: `/api/members/${ids.member}`, body: { name: 'Spare', orgUnitId: unitId, category: null } },
      { who: 'admin', method: 'get', path: '/api/member-categories' },
      { who: 'admin', method: 'post', path: '/api/member-categories', body: { code: 'probe', nameZh: '探', nameEn: 'Probe' } },
      { who: 'admin', method: 'get', path: '/api/study-plans' },
      {
        who: 'admin',
        method: 'post',
        path: '/api/study-plans',
        body: {
          name: 'Probe',
          periodStart: '2026-01-01',
          periodEnd: '2026-06-30',
          requiredHours: 1,
          mode: 'watch_time',
          creditHoursPerLecture: null,
          unitIds: [unitId],
          categories: ['retired'],
          courseIds: [courseId],
          compulsoryLectureIds: [lectureId],
          completionThreshold: 0.9,
        },
      },
      { who: 'admin', method: 'get', path: `/api/study-plans/${ids.plan}` },
      { who: 'admin', method: 'post', path: `/api/study-plans/${ids.plan}/makeup`, body: { until: '2027-01-31' } },
      { who: 'admin', method: 'get', path: `/api/reports/plans/${ids.plan}/overview`, query: ['format', 'lang', 'fresh'] },
      {
        who: 'admin',
        method: 'get',
        path: `/api/reports/plans/${ids.plan}/members`,
        query: ['format', 'lang', 'unitId', 'category', 'status', 'q', 'sort', 'order'],
      },
      { who: 'admin', method: 'get', path: `/api/reports/plans/${ids.plan}/trend`, query: ['format', 'lang'] },
      { who: 'admin', method: 'get', path: '/api/reports/courses', query: ['format', 'lang'] },
      { who: 'admin', method: 'get', path: `/api/reports/lectures/${lectureId}`, query: ['format', 'lang'] },
      { who: 'admin', method: 'get', path: `/api/reports/members/${ids.member}`, query: ['format', 'lang'] },
    ];
  }, 60_000);

  /** Sends one request and returns a line describing it when the answer is a server error. */
  const probe = async (route: Route, path: string, body?: unknown, query?: Record<string, string>): Promise<string | null> => {
    let req = catalog.http()[route.method](path).set(as(tokens[route.who]));
    if (query) req = req.query(query);
    const answer = body === undefined ? await req : await req.set('Content-Type', 'application/json').send(JSON.stringify(body));
    if (answer.status < 500) return null;
    const shown = JSON.stringify(body ?? query ?? null).slice(0, 120);
    return `${route.method.toUpperCase()} ${path.slice(0, 120)} ${shown} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`;
  };

  it("answers PostgreSQL's refusals with 400 and a sentence, not SQL", async () => {
    const plan = { name: 'Edge', periodStart: '2026-01-01', periodEnd: '2026-06-30', requiredHours: 1 };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      // The date type starts at 4713 BC but has no year 0: the database refuses it (22008).
      [{ ...plan, periodStart: '0000-01-01' }, /date or time is not valid/],
      // Hours are kept to 0.01: less would round to 0, which the plan's check refuses.
      [{ ...plan, requiredHours: 0.000001 }, /requiredHours: must be at least 0\.01 hours/],
      // A NUL byte cannot be stored in text (22021).
      [{ ...plan, name: 'a\u0000b' }, /cannot be stored/],
    ];
    for (const [body, message] of cases) {
      const answer = await catalog.http().post('/api/study-plans').set(as(tokens.admin)).send(body);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(message);
      expect(JSON.stringify(answer.body)).not.toMatch(/INSERT|SELECT|UPDATE|violates|constraint|syntax/i);
    }
  });

  it('answers a bad value in any body field with 4xx, never 500', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.body)) {
      for (const field of Object.keys(route.body!)) {
        for (const value of BAD_VALUES) {
          const failure = await probe(route, route.path, { ...route.body, [field]: value });
          if (failure) failures.push(failure);
        }
      }
      for (const body of [[], 'text', 42, null, Array.from({ length: 10 }, () => route.body)]) {
        const failure = await probe(route, route.path, body);
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers a bad value in any query parameter with 4xx, never 500', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.query)) {
      for (const key of route.query!) {
        for (const value of BAD_QUERY_VALUES) {
          const failure = await probe(route, route.path, undefined, { [key]: value });
          if (failure) failures.push(failure);
        }
        const failure = await probe(route, `${route.path}?${key}=a&${key}=b&${key}[x]=c`);
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers a bad id in any path with 4xx, never 500', async () => {
    const failures: string[] = [];
    const idPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
    for (const route of routes.filter((r) => idPattern.test(r.path))) {
      for (const param of BAD_PATH_PARAMS) {
        const failure = await probe(route, route.path.replace(idPattern, param), route.body);
        if (failure) failures.push(failure);
      }
    }
    for (const path of [
      '/api/courses/:id/publish',
      '/api/courses/:id/unpublish',
      '/api/courses/:id/archive',
      '/api/lectures/:id/playback',
    ]) {
      for (const param of BAD_PATH_PARAMS) {
        const who = path.includes('playback') ? 'member' : 'editor';
        const failure = await probe({ who, method: 'post', path }, path.replace(':id', param));
        if (failure) failures.push(failure);
      }
    }
    for (const param of BAD_PATH_PARAMS) {
      for (const [who, method, path] of [
        ['admin', 'delete', `/api/org-units/${param}`],
        ['editor', 'delete', `/api/lectures/${param}`],
        ['admin', 'post', `/api/reports/plans/${param}/close`],
        ['editor', 'put', `/api/courses/${param}/cover`],
      ] as const) {
        const failure = await probe({ who, method, path }, path);
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

describe('bad input to the upload service', () => {
  it('answers odd tus headers, metadata and ids with 4xx, never 500', async () => {
    const upload = await startUpload();
    const { token } = tokenFor('editor');
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const failures: string[] = [];
    const send = async (method: string, path: string, headers: Record<string, string> = {}) => {
      const answer = await fetch(`${upload.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0', ...headers },
      });
      const text = await answer.text();
      if (answer.status >= 500)
        failures.push(`${method} ${path.slice(0, 80)} ${JSON.stringify(headers).slice(0, 160)} → ${answer.status} ${text.slice(0, 120)}`);
    };
    try {
      const metadata = (fields: Record<string, string>) =>
        Object.entries(fields)
          .map(([key, value]) => `${key} ${b64(value)}`)
          .join(',');
      for (const length of ['-1', '0', '1.5', 'abc', '2147483648', '9007199254740993', '99999999999999999999999', '']) {
        await send('POST', '/files', { 'Upload-Length': length, 'Upload-Metadata': metadata({ filename: 'a.mp4' }) });
      }
      const malformed: Array<Record<string, string>> = [
        { filename: 'a\u0000.mp4' },
        { filename: 'x'.repeat(5000) + '.mp4' },
        { filename: 'a.mp4', filetype: 'video/mp4\u0000' },
        { filename: 'a.mp4', filetype: 'x'.repeat(5000) },
        { filename: 'a.mp4', sha256: 'not-hex\u0000' },
        { filename: 'a.mp4', sha256: 'f'.repeat(5000) },
        { filename: '\ud800.mp4' },
      ];
      for (const fields of malformed) {
        await send('POST', '/files', { 'Upload-Length': '10', 'Upload-Metadata': metadata(fields) });
      }
      for (const raw of ['filename', 'filename !!!', 'filename a b c', ',,,', 'x'.repeat(10_000)]) {
        await send('POST', '/files', { 'Upload-Length': '10', 'Upload-Metadata': raw });
      }
      for (const id of ['-'.repeat(36), '0'.repeat(36), 'not-an-id', '%00', '..']) {
        await send('HEAD', `/files/${id}`);
        await send('PATCH', `/files/${id}`, { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': '0' });
        await send('DELETE', `/files/${id}`);
        await send('GET', `/api/assets/${id}`);
        await send('GET', `/api/uploads/${id}/asset`);
      }
      for (const limit of ['0', '-1', '2147483648', 'abc', '1e400', '']) await send('GET', `/api/assets?limit=${limit}`);
    } finally {
      await upload.close();
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
