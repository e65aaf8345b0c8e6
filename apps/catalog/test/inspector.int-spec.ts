import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { tokenFor } from '../../../test/support/tokens.js';
import { startUpload, type UploadHarness } from '../../../test/support/upload-app.js';

/**
 * An inspector reads the reports of their subtree, files included, and changes nothing: every route that
 * is not a read answers 403 before its own checks, whatever roles it allows, in the catalog and the
 * upload service alike. The routes are taken from the apps' own routers, so a route added later is
 * checked too.
 */
let catalog: CatalogHarness;
let upload: UploadHarness;
let admin: string;
let inspector: string;
let eastPlan: string;
let westPlan: string;
let westMember: string;
const PASSWORD = 'inspector-pass-2026';
const REFUSAL = 'Inspectors read reports and change nothing.';
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const year = new Date().getUTCFullYear();
const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** Writes an inspector may make about their own sign-in; everything else that is not a read is refused. */
const OWN_SIGN_IN = new Set(['POST /api/auth/logout', 'POST /api/account/password']);
/**
 * Public writes: signing in, and heartbeats and answers to "still listening?", which carry the token of a playback
 * session an inspector cannot open (a locked phone's beacon has no sign-in header).
 */
const PUBLIC_WRITES = new Set([
  'POST /api/auth/login',
  'POST /api/heartbeats',
  'POST /api/playback/sessions/:id/checkins/:checkinId/answer',
]);

interface Route {
  method: string;
  path: string;
}

/** Every method and path the app's Express router answers, as Nest registered them. */
function routesOf(app: INestApplication): Route[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string | string[]; methods: Record<string, boolean> } }> };
  };
  const routes: Route[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (!on) continue;
        // `@All` routes are registered for every method Node knows (PROPFIND, MKCOL, ...); the guard refuses
        // them all alike (its table test), and here the methods a browser or tus client sends stand for them.
        if (!['get', 'head', 'options', 'post', 'put', 'patch', 'delete', '_all'].includes(method)) continue;
        const methods = method === '_all' ? ['post', 'put', 'patch', 'delete'] : [method];
        for (const m of methods) routes.push({ method: m.toUpperCase(), path });
      }
    }
  }
  return routes;
}

/** A concrete URL for a route pattern: every parameter becomes a well-formed id. */
const concrete = (path: string) => path.replace(/[{}]/g, '').replace(/\*\w*/g, SOME_ID).replace(/:\w+/g, SOME_ID);

const send = (server: Parameters<typeof request>[0], route: Route, token?: string, body: object | null = {}) => {
  const call = request(server)[route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](concrete(route.path));
  if (token) call.set(as(token));
  call.set('Tus-Resumable', '1.0.0');
  return body ? call.send(body) : call;
};

beforeAll(async () => {
  catalog = await startCatalog();
  upload = await startUpload();
  admin = await catalog.tokenFor('admin');
  const east = await catalog.tokenFor('east-admin');
  const unit = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;

  // A branch admin cannot appoint an inspector; the committee admin can.
  const refused = await catalog
    .http()
    .post('/api/members')
    .set(as(east))
    .send({ login: 'east-inspector-2', name: '东区督查', role: 'inspector', orgUnitId: await unit('committee/east'), password: PASSWORD });
  expect(refused.status).toBe(403);
  const created = await catalog
    .http()
    .post('/api/members')
    .set(as(admin))
    .send({ login: 'east-inspector', name: '东区督查', role: 'inspector', orgUnitId: await unit('committee/east'), password: PASSWORD });
  expect(created.status).toBe(201);
  expect(created.body.role).toBe('inspector');
  await catalog.dataSource.query(`UPDATE users SET must_change_password = false WHERE login = 'east-inspector'`);
  inspector = await catalog.tokenFor('east-inspector', PASSWORD);

  const plan = async (name: string, unitPath: string) => {
    const answer = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(admin))
      .send({ name, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, requiredHours: 10, unitIds: [await unit(unitPath)] });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  eastPlan = await plan('东区年度学习', 'committee/east');
  westPlan = await plan('西区年度学习', 'committee/west');
  [{ id: westMember }] = await catalog.dataSource.query(
    `SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path LIKE 'committee/west%' AND u.role = 'member' LIMIT 1`,
  );
}, 120_000);
afterAll(async () => {
  await upload?.close();
  await catalog?.close();
});

describe('an inspector changes nothing', () => {
  it('is refused every catalog route that is not a read', async () => {
    const server = catalog.app.getHttpServer();
    const writes = routesOf(catalog.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    // The catalog's write routes: plans, closing, members, units, courses, lectures, playback, at the least.
    if (process.env.SHOW_ROUTES) console.log(writes.map((r) => `${r.method} ${r.path}`).join('\n'));
    expect(writes.length).toBeGreaterThan(20);
    expect(writes).toContainEqual({ method: 'POST', path: '/api/reports/plans/:id/close' });
    expect(writes).toContainEqual({ method: 'POST', path: '/api/study-plans' });
    const checked: string[] = [];
    for (const route of writes) {
      const name = `${route.method} ${route.path}`;
      if (OWN_SIGN_IN.has(name)) continue;
      const anonymous = await send(server, route);
      if (anonymous.status !== 401) {
        // Only the routes known to need no sign-in may answer without a token.
        expect(PUBLIC_WRITES.has(name) ? name : `${name} answers ${anonymous.status} without a token`).toBe(name);
        continue;
      }
      const answer = await send(server, route, inspector);
      expect({ route: name, status: answer.status, message: answer.body.message }).toEqual({ route: name, status: 403, message: REFUSAL });
      checked.push(name);
    }
    expect(checked.length).toBeGreaterThan(20);
  });

  it('still signs out and changes their own password, where those routes exist', async () => {
    const own = routesOf(catalog.app).filter((r) => OWN_SIGN_IN.has(`${r.method} ${r.path}`));
    for (const route of own) {
      const answer = await send(catalog.app.getHttpServer(), route, inspector);
      expect(answer.body.message).not.toBe(REFUSAL);
    }
  });

  it('is refused before the route checks its input: an admin gets past the role check on the same writes', async () => {
    const server = catalog.app.getHttpServer();
    for (const route of [
      { method: 'POST', path: '/api/study-plans' },
      { method: 'POST', path: '/api/study-plans/:id/makeup' },
      { method: 'POST', path: '/api/reports/plans/:id/close' },
      { method: 'POST', path: '/api/org-units' },
    ]) {
      expect((await send(server, route, inspector)).status).toBe(403);
      const answer = await send(server, route, admin);
      expect([route, answer.status]).toEqual([route, expect.any(Number)]);
      expect(answer.status).not.toBe(403);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    // A write the route opens to every signed-in role is refused all the same.
    const lecture = await catalog.http().post(`/api/lectures/${SOME_ID}/playback`).set(as(inspector));
    expect(lecture.status).toBe(403);
    expect(lecture.body.message).toBe(REFUSAL);
  });

  it('is refused every upload route that writes, and uploads nothing', async () => {
    const server = upload.url;
    const { token } = tokenFor('inspector', { orgPath: 'committee/east' });
    const routes = routesOf(upload.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    expect(routes.map((r) => r.method)).toEqual(expect.arrayContaining(['POST', 'PATCH', 'DELETE']));
    for (const route of routes) {
      const answer = await send(server, route, token, null);
      expect({ route: `${route.method} ${route.path}`, status: answer.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
      });
    }
    // A real tus creation request, as the browser's client sends it.
    const create = await request(server)
      .post('/files')
      .set(as(token))
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', '1000')
      .set('Upload-Metadata', `filename ${Buffer.from('lecture.mp4').toString('base64')}`);
    expect(create.status).toBe(403);
    expect(create.headers.location).toBeUndefined();
    expect(Number((await upload.dataSource.query(`SELECT count(*) FROM media_assets`))[0].count)).toBe(0);
  });
});

describe('an inspector reads the reports of their subtree', () => {
  it('lists the plans that reach their subtree, and reads one', async () => {
    const plans = await catalog.http().get('/api/study-plans').set(as(inspector));
    expect(plans.status).toBe(200);
    const ids = (plans.body as Array<{ id: string }>).map((p) => p.id);
    expect(ids).toContain(eastPlan);
    expect(ids).not.toContain(westPlan);
    const plan = await catalog.http().get(`/api/study-plans/${eastPlan}`).set(as(inspector));
    expect(plan.status).toBe(200);
    expect(plan.body.name).toBe('东区年度学习');
  });

  it('reads the plan overview and the member list, as the screen shows them and as files', async () => {
    const overview = await catalog.http().get(`/api/reports/plans/${eastPlan}/overview`).set(as(inspector));
    expect(overview.status).toBe(200);
    expect(overview.body.items[0]).toMatchObject({ path: 'committee/east' });
    expect(overview.body.items.every((u: { path: string }) => u.path.startsWith('committee/east'))).toBe(true);
    const members = await catalog.http().get(`/api/reports/plans/${eastPlan}/members`).set(as(inspector));
    expect(members.status).toBe(200);
    expect(members.body.items.length).toBeGreaterThan(0);
    expect(members.body.items.every((m: { unitPath: string }) => m.unitPath.startsWith('committee/east'))).toBe(true);
    const csv = await catalog.http().get(`/api/reports/plans/${eastPlan}/members?format=csv&lang=en`).set(as(inspector));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment/);
    expect(csv.text.split('\n').filter(Boolean).length).toBe(members.body.items.length + 1);
    const xlsx = await catalog
      .http()
      .get(`/api/reports/plans/${eastPlan}/overview?format=xlsx`)
      .set(as(inspector))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const trend = await catalog.http().get(`/api/reports/plans/${eastPlan}/trend`).set(as(inspector));
    expect(trend.status).toBe(200);
    const counts = await catalog.http().get('/api/reports/plans/member-counts').set(as(inspector));
    expect(counts.status).toBe(200);
    expect(counts.body.counts[eastPlan]).toBe(members.body.items.length);
  });

  it('reads the course reports and the units of their subtree', async () => {
    const courses = await catalog.http().get('/api/reports/courses').set(as(inspector));
    expect(courses.status).toBe(200);
    const file = await catalog.http().get('/api/reports/courses?format=csv').set(as(inspector));
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/text\/csv/);
    const units = await catalog.http().get('/api/org-units').set(as(inspector));
    expect(units.status).toBe(200);
    expect(JSON.stringify(units.body)).toContain('committee/east');
    expect(JSON.stringify(units.body)).not.toContain('committee/west');
    expect((await catalog.http().get('/api/member-categories').set(as(inspector))).status).toBe(200);
  });

  it('gets 404 for what lies outside their subtree', async () => {
    for (const path of [
      `/api/study-plans/${westPlan}`,
      `/api/reports/plans/${westPlan}/overview`,
      `/api/reports/plans/${westPlan}/members`,
      `/api/reports/plans/${westPlan}/members?format=xlsx`,
      `/api/reports/plans/${westPlan}/trend`,
      `/api/reports/members/${westMember}`,
      `/api/reports/members/${westMember}?format=csv`,
    ]) {
      const answer = await catalog.http().get(path).set(as(inspector));
      expect([path, answer.status]).toEqual([path, 404]);
    }
  });
});
