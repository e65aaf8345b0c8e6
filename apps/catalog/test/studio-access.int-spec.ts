import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { DEMO_PASSWORD } from '../src/seed/demo-organisation.js';

// Who may change which course in the studio, who may open which lecture, and who may hand out roles.

type Caller = 'member' | 'committee editor' | 'branch editor' | 'committee admin' | 'branch admin';
const LOGINS: Record<Caller, string> = {
  member: 'member',
  'committee editor': 'editor',
  'branch editor': 'east-editor',
  'committee admin': 'admin',
  'branch admin': 'east-admin',
};
const CALLERS = Object.keys(LOGINS) as Caller[];

let catalog: CatalogHarness;
let categoryId: string;
const tokens = {} as Record<Caller, string>;
const units: Record<string, string> = {};
const as = (caller: Caller) => ({ Authorization: `Bearer ${tokens[caller]}` });
const db = () => catalog.dataSource;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);

/** A course written straight to the database, owned by `owner` and shown to `audience` (paths). */
async function fixture(
  owner: string,
  audience: string[],
  options: { status?: 'draft' | 'published'; readyMedia?: boolean } = {},
): Promise<{ id: string; lectureIds: string[] }> {
  const [{ id: editorId }] = await db().query(`SELECT id FROM users WHERE login = 'editor'`);
  const status = options.status ?? 'draft';
  const [{ id }] = await db().query(
    `INSERT INTO courses (title, category_id, status, created_by, owner_unit_id, published_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $3 = 'published' THEN now() END) RETURNING id`,
    [`Course of ${owner} ${randomUUID().slice(0, 8)}`, categoryId, status, editorId, units[owner]],
  );
  for (const path of audience)
    await db().query(`INSERT INTO course_visibility (course_id, org_unit_id) VALUES ($1, $2)`, [id, units[path]]);
  const lectureIds: string[] = [];
  for (const position of [0, 1]) {
    const assetId = randomUUID();
    if (options.readyMedia) {
      await db().query(`INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES ($1, 'ready', 'video', 60, $2)`, [
        assetId,
        JSON.stringify({ prefix: `media/${assetId}/v1`, master: 'master.m3u8', audioOnly: null, download: 'download.mp4', poster: null }),
      ]);
    }
    const [lecture] = await db().query(
      `INSERT INTO lectures (course_id, position, title, description, speaker, asset_id) VALUES ($1, $2, $3, '', '', $4) RETURNING id`,
      [id, position, `Lecture ${position + 1}`, assetId],
    );
    lectureIds.push(lecture.id);
  }
  return { id, lectureIds };
}

/** Everything a studio route could change about a course, and how many courses and categories exist. */
async function snapshot(courseId: string) {
  const [course] = await db().query(`SELECT to_jsonb(c) - 'search_vector' AS row FROM courses c WHERE id = $1`, [courseId]);
  const visibility = await db().query(`SELECT org_unit_id FROM course_visibility WHERE course_id = $1 ORDER BY org_unit_id`, [courseId]);
  const lectures = await db().query(`SELECT to_jsonb(l) AS row FROM lectures l WHERE course_id = $1 ORDER BY id`, [courseId]);
  const [{ courses, categories }] = await db().query(
    `SELECT (SELECT count(*)::int FROM courses) AS courses, (SELECT count(*)::int FROM course_categories) AS categories`,
  );
  return { course, visibility, lectures, courses, categories };
}

beforeAll(async () => {
  catalog = await startCatalog();
  for (const { id, path } of await db().query(`SELECT id, path FROM org_units`)) units[path] = id;
  categoryId = (await db().query(`SELECT id FROM course_categories WHERE code = 'political-theory'`))[0].id;
  // A branch editor, made the way an organisation would: by the committee admin.
  const admin = await catalog.tokenFor('admin');
  const created = await catalog
    .http()
    .post('/api/members')
    .set({ Authorization: `Bearer ${admin}` })
    .send({ login: 'east-editor', name: '东区编辑', role: 'editor', orgUnitId: units['committee/east'], password: DEMO_PASSWORD });
  expect(created.status).toBe(201);
  for (const caller of CALLERS) tokens[caller] = await catalog.tokenFor(LOGINS[caller]);
}, 120_000);
afterAll(() => catalog.close());

interface Route {
  name: string;
  /** The status a caller allowed to edit the course gets. */
  ok: number;
  precondition?: 'published';
  send(caller: Caller, course: { id: string; lectureIds: string[] }, branch: string): Promise<{ status: number }>;
}

const ROUTES: Route[] = [
  { name: 'GET studio course', ok: 200, send: (c, { id }) => catalog.http().get(`/api/studio/courses/${id}`).set(as(c)) },
  {
    name: 'PATCH course audience',
    ok: 200,
    send: (c, { id }, branch) =>
      catalog
        .http()
        .patch(`/api/courses/${id}`)
        .set(as(c))
        .send({ visibleUnitIds: [units[`${branch}/group-1`]] }),
  },
  {
    name: 'PATCH course title',
    ok: 200,
    send: (c, { id }) => catalog.http().patch(`/api/courses/${id}`).set(as(c)).send({ title: 'Taken' }),
  },
  { name: 'publish', ok: 200, send: (c, { id }) => catalog.http().post(`/api/courses/${id}/publish`).set(as(c)) },
  {
    name: 'unpublish',
    ok: 200,
    precondition: 'published',
    send: (c, { id }) => catalog.http().post(`/api/courses/${id}/unpublish`).set(as(c)),
  },
  { name: 'archive', ok: 200, send: (c, { id }) => catalog.http().post(`/api/courses/${id}/archive`).set(as(c)) },
  {
    name: 'set cover',
    ok: 200,
    send: (c, { id }) => catalog.http().put(`/api/courses/${id}/cover`).set(as(c)).set('Content-Type', 'image/png').send(PNG),
  },
  {
    name: 'add lecture',
    ok: 201,
    send: (c, { id }) => catalog.http().post(`/api/courses/${id}/lectures`).set(as(c)).send({ title: 'Added' }),
  },
  {
    name: 'reorder lectures',
    ok: 200,
    send: (c, { id, lectureIds }) =>
      catalog
        .http()
        .put(`/api/courses/${id}/lecture-order`)
        .set(as(c))
        .send({ lectureIds: [...lectureIds].reverse() }),
  },
  {
    name: 'rename lecture',
    ok: 200,
    send: (c, { lectureIds }) => catalog.http().patch(`/api/lectures/${lectureIds[0]}`).set(as(c)).send({ title: 'Renamed' }),
  },
  { name: 'delete lecture', ok: 204, send: (c, { lectureIds }) => catalog.http().delete(`/api/lectures/${lectureIds[0]}`).set(as(c)) },
];

/** What each caller gets for a course owned by their own branch (east) and by another branch (west). */
const EXPECTED: Record<Caller, { inside: 'ok' | 403 | 404; outside: 'ok' | 403 | 404 }> = {
  member: { inside: 403, outside: 403 },
  'committee editor': { inside: 'ok', outside: 'ok' },
  'branch editor': { inside: 'ok', outside: 404 },
  'committee admin': { inside: 403, outside: 403 },
  'branch admin': { inside: 403, outside: 403 },
};

const cases = ROUTES.flatMap((route) =>
  CALLERS.flatMap((caller) =>
    (['inside', 'outside'] as const).map((where) => [route.name, caller, where, route, EXPECTED[caller][where]] as const),
  ),
);

describe('every studio route as every role', () => {
  it.each(cases)('%s as %s, course %s their scope', async (_name, caller, where, route, expected) => {
    const branch = where === 'inside' ? 'committee/east' : 'committee/west';
    const course = await fixture(branch, [branch], { status: route.precondition ?? 'draft' });
    const before = await snapshot(course.id);
    const answer = await route.send(caller, course, branch);
    if (expected === 'ok') {
      expect(answer.status).toBe(route.ok);
    } else {
      expect(answer.status).toBe(expected);
      expect(await snapshot(course.id)).toEqual(before);
    }
  });

  it.each(CALLERS)('the studio list as %s shows only courses they may edit', async (caller) => {
    const east = await fixture('committee/east', ['committee/east']);
    const west = await fixture('committee/west', ['committee/west']);
    const committee = await fixture('committee', []);
    const answer = await catalog.http().get('/api/studio/courses').set(as(caller));
    const expected = EXPECTED[caller].inside;
    if (expected !== 'ok') return expect(answer.status).toBe(expected);
    expect(answer.status).toBe(200);
    const ids = (answer.body as Array<{ id: string }>).map((c) => c.id);
    expect(ids).toContain(east.id);
    if (EXPECTED[caller].outside === 'ok') expect(ids).toEqual(expect.arrayContaining([west.id, committee.id]));
    else expect(ids).not.toEqual(expect.arrayContaining([west.id]));
    if (EXPECTED[caller].outside !== 'ok') expect(ids).not.toContain(committee.id);
  });

  it.each(CALLERS)('the audience picker as %s offers only units they may name', async (caller) => {
    const answer = await catalog.http().get('/api/org-units/visible').set(as(caller));
    const expected = EXPECTED[caller].inside;
    if (expected !== 'ok') return expect(answer.status).toBe(expected);
    const paths = (answer.body as Array<{ path: string }>).map((u) => u.path);
    if (EXPECTED[caller].outside === 'ok') expect(paths).toContain('committee/west');
    else expect(paths.every((p) => p === 'committee/east' || p.startsWith('committee/east/'))).toBe(true);
  });

  it.each(CALLERS.flatMap((caller) => (['inside', 'outside'] as const).map((where) => [caller, where, EXPECTED[caller][where]] as const)))(
    'creating a course as %s with an audience %s their scope',
    async (caller, where, expected) => {
      const branch = where === 'inside' ? 'committee/east' : 'committee/west';
      const before = await snapshot(randomUUID());
      const answer = await catalog
        .http()
        .post('/api/courses')
        .set(as(caller))
        .send({ title: `Created by ${caller}`, categoryId, visibleUnitIds: [units[`${branch}/group-1`]] });
      if (expected === 'ok') return expect(answer.status).toBe(201);
      expect(answer.status).toBe(expected);
      expect(await snapshot(randomUUID())).toEqual(before);
    },
  );
});

describe('course ownership', () => {
  it('a new course is owned by its editor unit, or by a unit they choose inside their subtree', async () => {
    const own = await catalog.http().post('/api/courses').set(as('branch editor')).send({ title: 'Own', categoryId });
    expect(own.status).toBe(201);
    expect((await db().query(`SELECT owner_unit_id FROM courses WHERE id = $1`, [own.body.id]))[0].owner_unit_id).toBe(
      units['committee/east'],
    );
    // An omitted audience of a branch editor's course is their own unit, never the whole committee.
    expect(own.body.visibleUnitIds).toEqual([units['committee/east']]);
    expect(own.body.ownerUnit).toMatchObject({ id: units['committee/east'], path: 'committee/east' });
    const group = await catalog
      .http()
      .post('/api/courses')
      .set(as('branch editor'))
      .send({ title: 'Group', categoryId, ownerUnitId: units['committee/east/group-1'] });
    expect(group.status).toBe(201);
    expect(group.body.ownerUnit.id).toBe(units['committee/east/group-1']);
    const foreign = await catalog
      .http()
      .post('/api/courses')
      .set(as('branch editor'))
      .send({ title: 'Foreign', categoryId, ownerUnitId: units['committee/west'] });
    expect(foreign.status).toBe(404);
  });

  it('a branch editor cannot open a course to the whole committee', async () => {
    const everyone = await catalog
      .http()
      .post('/api/courses')
      .set(as('branch editor'))
      .send({ title: 'All', categoryId, visibleUnitIds: [] });
    expect(everyone.status).toBe(400);
    expect(everyone.body.message).toContain('visibleUnitIds');
    const course = await fixture('committee/east', ['committee/east']);
    const widened = await catalog.http().patch(`/api/courses/${course.id}`).set(as('branch editor')).send({ visibleUnitIds: [] });
    expect(widened.status).toBe(400);
    const byCommittee = await catalog.http().patch(`/api/courses/${course.id}`).set(as('committee editor')).send({ visibleUnitIds: [] });
    expect(byCommittee.status).toBe(200);
  });

  it('a branch editor keeps or removes units a committee editor named, but cannot add such units', async () => {
    const course = await fixture('committee/east', ['committee/east', 'committee/west']);
    const audience = (ids: string[]) =>
      catalog.http().patch(`/api/courses/${course.id}`).set(as('branch editor')).send({ visibleUnitIds: ids });
    // The studio form sends the audience with every save.
    expect((await audience([units['committee/east'], units['committee/west']])).status).toBe(200);
    expect((await audience([units['committee/east'], units['committee/north']])).status).toBe(404);
    expect((await audience([units['committee/west']])).status).toBe(200);
    expect((await audience([units['committee/east']])).status).toBe(200);
    expect((await audience([units['committee/east'], units['committee/west']])).status).toBe(404);
    const everyone = await fixture('committee/east', []);
    const unchanged = await catalog
      .http()
      .patch(`/api/courses/${everyone.id}`)
      .set(as('branch editor'))
      .send({ title: 'T', visibleUnitIds: [] });
    expect(unchanged.status).toBe(200);
  });

  it('a committee editor may move a course to another owner; a branch editor only inside their subtree', async () => {
    const course = await fixture('committee/east', ['committee/east']);
    const away = await catalog
      .http()
      .patch(`/api/courses/${course.id}`)
      .set(as('branch editor'))
      .send({ ownerUnitId: units['committee/west'] });
    expect(away.status).toBe(404);
    const down = await catalog
      .http()
      .patch(`/api/courses/${course.id}`)
      .set(as('branch editor'))
      .send({ ownerUnitId: units['committee/east/group-2'] });
    expect(down.status).toBe(200);
    const moved = await catalog
      .http()
      .patch(`/api/courses/${course.id}`)
      .set(as('committee editor'))
      .send({ ownerUnitId: units['committee/west'] });
    expect(moved.status).toBe(200);
    expect((await catalog.http().get(`/api/studio/courses/${course.id}`).set(as('branch editor'))).status).toBe(404);
  });
});

describe('course categories are shared by the whole committee', () => {
  it.each([
    ['member', 403],
    ['committee editor', 201],
    ['branch editor', 403],
    ['committee admin', 201],
    ['branch admin', 403],
  ] as const)('adding one as %s → %s', async (caller, expected) => {
    const code = `cat-${randomUUID().slice(0, 8)}`;
    const answer = await catalog.http().post('/api/course-categories').set(as(caller)).send({ code, nameZh: '新类', nameEn: 'New' });
    expect(answer.status).toBe(expected);
    const stored = await db().query(`SELECT 1 FROM course_categories WHERE code = $1`, [code]);
    expect(stored).toHaveLength(expected === 201 ? 1 : 0);
  });

  it.each([
    ['committee admin', 201],
    ['branch admin', 403],
  ] as const)('adding a member category as %s → %s', async (caller, expected) => {
    const code = `mc-${randomUUID().slice(0, 8)}`;
    const answer = await catalog.http().post('/api/member-categories').set(as(caller)).send({ code, nameZh: '新类', nameEn: 'New' });
    expect(answer.status).toBe(expected);
    expect(await db().query(`SELECT 1 FROM member_categories WHERE code = $1`, [code])).toHaveLength(expected === 201 ? 1 : 0);
  });
});

describe('who hands out roles', () => {
  it.each(['editor', 'admin'] as const)('a branch admin cannot create an %s', async (role) => {
    const login = `east-${role}-${randomUUID().slice(0, 6)}`;
    const answer = await catalog
      .http()
      .post('/api/members')
      .set(as('branch admin'))
      .send({ login, name: 'X', role, orgUnitId: units['committee/east/group-1'] });
    expect(answer.status).toBe(403);
    expect(await db().query(`SELECT 1 FROM users WHERE login = $1`, [login])).toEqual([]);
  });

  it('a branch admin creates members, but cannot make one an editor or admin, nor change an editor account', async () => {
    const created = await catalog
      .http()
      .post('/api/members')
      .set(as('branch admin'))
      .send({ login: `east-m-${randomUUID().slice(0, 6)}`, name: 'M', orgUnitId: units['committee/east/group-1'] });
    expect(created.status).toBe(201);
    for (const role of ['editor', 'admin']) {
      const promoted = await catalog.http().patch(`/api/members/${created.body.id}`).set(as('branch admin')).send({ role });
      expect(promoted.status).toBe(403);
    }
    const [eastEditor] = await db().query(`SELECT id, password_hash, name FROM users WHERE login = 'east-editor'`);
    const taken = await catalog
      .http()
      .patch(`/api/members/${eastEditor.id}`)
      .set(as('branch admin'))
      .send({ password: 'taken-over-1', name: 'Taken' });
    expect(taken.status).toBe(403);
    expect(await db().query(`SELECT id, password_hash, name FROM users WHERE login = 'east-editor'`)).toEqual([eastEditor]);
    expect((await db().query(`SELECT role FROM users WHERE id = $1`, [created.body.id]))[0].role).toBe('member');
  });

  it('the committee admin may create and promote editors anywhere', async () => {
    const created = await catalog
      .http()
      .post('/api/members')
      .set(as('committee admin'))
      .send({ login: `west-ed-${randomUUID().slice(0, 6)}`, name: 'W', role: 'member', orgUnitId: units['committee/west'] });
    expect(created.status).toBe(201);
    const promoted = await catalog.http().patch(`/api/members/${created.body.id}`).set(as('committee admin')).send({ role: 'editor' });
    expect(promoted.status).toBe(200);
  });
});

describe('who may open playback', () => {
  const open = (caller: Caller, lectureId: string) => catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(caller));

  it.each([
    // [caller, course owner, audience, status, expected]
    ['committee admin', 'committee/east', [], 'draft', 404],
    ['branch admin', 'committee/east', ['committee/east'], 'draft', 404],
    ['branch admin', 'committee/west', ['committee/west'], 'published', 404],
    ['committee admin', 'committee/west', ['committee/west'], 'published', 404],
    ['branch admin', 'committee/west', ['committee/east'], 'published', 201],
    ['member', 'committee/east', ['committee/east'], 'draft', 404],
    ['member', 'committee/west', ['committee/west'], 'published', 404],
    ['member', 'committee/west', ['committee/east/group-1'], 'published', 201],
    ['branch editor', 'committee/east', ['committee/east/group-2'], 'draft', 201],
    ['branch editor', 'committee/west', ['committee/west'], 'draft', 404],
    ['branch editor', 'committee/west', ['committee/west'], 'published', 404],
    ['branch editor', 'committee/west', [], 'published', 201],
    ['committee editor', 'committee/west', ['committee/west'], 'draft', 201],
  ] as const)('%s, course of %s shown to %j, %s → %s', async (caller, owner, audience, status, expected) => {
    const course = await fixture(owner, [...audience], { status, readyMedia: true });
    const answer = await open(caller, course.lectureIds[0]);
    expect(answer.status).toBe(expected);
    if (expected === 404) expect(answer.body).not.toHaveProperty('masterUrl');
    else expect(answer.body.masterUrl).toMatch(/^\/hls\//);
  });

  it('a removed lecture kept for its study records is opened by no one', async () => {
    const course = await fixture('committee', [], { status: 'published', readyMedia: true });
    await db().query(`UPDATE lectures SET archived_at = now() WHERE id = $1`, [course.lectureIds[0]]);
    for (const caller of ['member', 'committee editor'] as const) expect((await open(caller, course.lectureIds[0])).status).toBe(404);
    expect((await open('member', course.lectureIds[1])).status).toBe(201);
  });

  it('an open racing the course being unpublished waits for it and then refuses', async () => {
    const course = await fixture('committee', [], { status: 'published', readyMedia: true });
    const unpublish = db().createQueryRunner();
    await unpublish.connect();
    try {
      await unpublish.startTransaction();
      await unpublish.query(`UPDATE courses SET status = 'draft' WHERE id = $1`, [course.id]);
      const [{ pid }] = await unpublish.query(`SELECT pg_backend_pid() AS pid`);
      let finished = false;
      const opening = open('member', course.lectureIds[0]).then((answer) => {
        finished = true;
        return answer;
      });
      // Until the open either answers or is seen waiting for the unpublishing transaction.
      for (;;) {
        const [{ waiting }] = await db().query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))`,
          [pid],
        );
        if (waiting > 0 || finished) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await unpublish.commitTransaction();
      const answer = await opening;
      expect(answer.status).toBe(404);
    } finally {
      await unpublish.release();
    }
  });

  it('opens at the same moment by one person all succeed, and the last one is the live session', async () => {
    const course = await fixture('committee', [], { status: 'published', readyMedia: true });
    const [{ id: userId }] = await db().query(`SELECT id FROM users WHERE login = 'member02'`);
    const token = await catalog.tokenFor('member02');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        catalog
          .http()
          .post(`/api/lectures/${course.lectureIds[i % 2]}/playback`)
          .set({ Authorization: `Bearer ${token}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    const live = await db().query(`SELECT id FROM playback_sessions WHERE user_id = $1 AND superseded_at IS NULL`, [userId]);
    expect(live).toHaveLength(1);
    const all = await db().query(`SELECT id FROM playback_sessions WHERE user_id = $1`, [userId]);
    expect(all).toHaveLength(8);
    expect(answers.map((a) => a.body.sessionId)).toContain(live[0].id);
  });
});
