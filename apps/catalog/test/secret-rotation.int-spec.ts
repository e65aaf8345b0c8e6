import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createLogger } from '#logging';
import { createCatalogApp } from '../src/catalog.app.js';
import { TEST_JWT_SECRET, startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { heartbeatBody } from '../../../test/support/heartbeats.js';
import { publishTestMedia } from '../../../test/support/published-media.js';
import { DEMO_PASSWORD } from '../src/seed/demo-organisation.js';
import { signToken } from '../../../test/support/tokens.js';

const NEW_SECRET = 'the-secret-rotated-in-0123456789abcdefghij';
const STRANGER_SECRET = 'a-secret-nobody-configured-0123456789abcd';

let before: CatalogHarness;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
/** What a member holds from before the rotation: an access token and an open lecture's links. */
let accessToken: string;
let session: { sessionId: string; heartbeatToken: string; masterUrl: string };

/** The same catalog, on the same database, restarted with other secrets. */
async function restartedWith(secrets: { JWT_SECRET: string; JWT_SECRET_PREVIOUS?: string }): Promise<INestApplication> {
  const env = { ...before.env, JWT_SECRET_PREVIOUS: undefined, ...secrets };
  const app = await createCatalogApp(env, createLogger('catalog', 'silent'));
  await app.init();
  return app;
}

beforeAll(async () => {
  before = await startCatalog();
  const editor = await before.tokenFor('editor');
  accessToken = await before.tokenFor('member');
  const categories = await before.http().get('/api/course-categories').set(as(editor));
  const course = await before.http().post('/api/courses').set(as(editor)).send({ title: 'Rotation', categoryId: categories.body[0].id });
  const { assetId } = await publishTestMedia(before.dataSource, before.env.STORAGE_DIR, 6);
  const lecture = await before.http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title: 'L1', assetId });
  await before.http().post(`/api/courses/${course.body.id}/publish`).set(as(editor));
  session = (await before.http().post(`/api/lectures/${lecture.body.id}/playback`).set(as(accessToken))).body;
  expect((await before.http().post('/api/heartbeats').send(heartbeatBody(session, 1))).status).toBe(200);
}, 120_000);
afterAll(() => before.close());

describe('rotating JWT_SECRET', () => {
  it('keeps sign-ins, playing lectures and their heartbeats working while the previous secret is given', async () => {
    const app = await restartedWith({ JWT_SECRET: NEW_SECRET, JWT_SECRET_PREVIOUS: TEST_JWT_SECRET });
    try {
      const http = () => request(app.getHttpServer());
      const me = await http().get('/api/me').set(as(accessToken));
      expect([me.status, me.body.login]).toEqual([200, 'member']);
      expect((await http().post('/api/heartbeats').send(heartbeatBody(session, 2))).status).toBe(200);
      expect((await http().get(session.masterUrl)).status).toBe(200);

      // A token signed with neither secret is refused, whatever it claims.
      const stranger = signToken(
        { sub: me.body.id, login: 'member', role: 'admin', unit: 'x', path: 'committee', iat: Math.floor(Date.now() / 1000) },
        STRANGER_SECRET,
      );
      expect((await http().get('/api/me').set(as(stranger))).status).toBe(401);

      // New sign-ins are signed with the new secret: the old-secret service does not know them.
      const login = await http().post('/api/auth/login').send({ login: 'member', password: DEMO_PASSWORD });
      expect(login.status).toBe(200);
      expect((await http().get('/api/me').set(as(login.body.accessToken))).status).toBe(200);
      expect((await before.http().get('/api/me').set(as(login.body.accessToken))).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('refuses what the old secret signed once the previous secret is removed', async () => {
    const app = await restartedWith({ JWT_SECRET: NEW_SECRET });
    try {
      const http = () => request(app.getHttpServer());
      expect((await http().get('/api/me').set(as(accessToken))).status).toBe(401);
      expect((await http().post('/api/heartbeats').send(heartbeatBody(session, 3))).status).toBe(403);
      expect((await http().get(session.masterUrl)).status).toBe(403);
    } finally {
      await app.close();
    }
  });
});
