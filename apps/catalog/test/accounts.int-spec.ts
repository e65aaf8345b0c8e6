import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { TEST_JWT_SECRET, startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Builds a JWT by hand so tests can forge what a real signer would refuse to make. */
function token(claims: object, secret: string | null, alg = 'HS256'): string {
  const unsigned = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);

let catalog: CatalogHarness;
beforeAll(async () => {
  catalog = await startCatalog();
}, 60_000);
afterAll(() => catalog.close());

describe('login', () => {
  it('returns a token and the user for the demo member', async () => {
    const answer = await catalog.http().post('/api/auth/login').send({ login: 'Member', password: 'lectern-demo' });
    expect(answer.status).toBe(200);
    expect(answer.body.user).toMatchObject({
      login: 'member',
      role: 'member',
      category: 'retired',
      orgUnit: { path: 'committee/east/group-1' },
    });
    expect(answer.body.user).not.toHaveProperty('passwordHash');
    expect(answer.body.accessToken).toEqual(expect.any(String));
  });

  it.each([
    [{ login: 'member', password: 'wrong-password' }, 401, 'Wrong username or password.'],
    [{ login: 'nobody', password: 'lectern-demo' }, 401, 'Wrong username or password.'],
    [{ login: '', password: 'x' }, 400, 'login: enter your username'],
    [{ login: 'member' }, 400, 'password'],
    [{ login: ['member'], password: 'lectern-demo' }, 400, 'login'],
  ])('refuses %j with %i', async (body, status, message) => {
    const answer = await catalog.http().post('/api/auth/login').send(body);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toContain(message);
  });

  it('refuses a deactivated account with a message that says so', async () => {
    await catalog.dataSource.query(`UPDATE users SET active = false WHERE login = 'member30'`);
    const answer = await catalog.http().post('/api/auth/login').send({ login: 'member30', password: 'lectern-demo' });
    expect(answer.status).toBe(401);
    expect(answer.body.message).toContain('deactivated');
  });
});

describe('GET /api/me', () => {
  it('answers the signed-in user', async () => {
    const token = await catalog.tokenFor('east-admin');
    const answer = await catalog.http().get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ login: 'east-admin', role: 'admin', orgUnit: { path: 'committee/east', name: '东区分会' } });
  });

  it('asks for a sign-in without a token', async () => {
    const answer = await catalog.http().get('/api/me');
    expect(answer.status).toBe(401);
    expect(answer.body.message).toContain('Sign in first');
  });

  it('refuses an expired token', async () => {
    const payload = { sub: '00000000-0000-0000-0000-000000000000', login: 'member', role: 'member', unit: 'u', path: 'committee' };
    const expired = token({ ...payload, iat: now() - 120, exp: now() - 60 }, TEST_JWT_SECRET);
    const answer = await catalog.http().get('/api/me').set('Authorization', `Bearer ${expired}`);
    expect(answer.status).toBe(401);
    expect(answer.body.message).toContain('expired');
  });

  it.each([
    [
      'signed with another secret',
      () => token({ sub: 'x', login: 'x', role: 'admin', unit: 'u', path: 'committee' }, 'another-secret-of-enough-length-000000'),
    ],
    ['with alg none', () => token({ sub: 'x', login: 'x', role: 'admin', unit: 'u', path: 'committee' }, null, 'none')],
    ['that is not a JWT', () => 'not-a-token'],
    ['with a made-up role', () => token({ sub: 'x', login: 'x', role: 'root', unit: 'u', path: 'committee', iat: now() }, TEST_JWT_SECRET)],
  ])('refuses a token %s', async (_label, makeToken) => {
    const answer = await catalog.http().get('/api/me').set('Authorization', `Bearer ${makeToken()}`);
    expect(answer.status).toBe(401);
    expect(answer.body.message).toContain('Invalid access token');
  });
});

describe('roles', () => {
  it('keeps members out of admin endpoints', async () => {
    const token = await catalog.tokenFor('member');
    const answer = await catalog.http().get('/api/members').set('Authorization', `Bearer ${token}`);
    expect(answer.status).toBe(403);
    expect(answer.body.message).toContain('admin');
  });
});

describe('a token of an account that changed', () => {
  it('stops working as soon as an admin deactivates the account or changes its role', async () => {
    const admin = await catalog.tokenFor('admin');
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const login = async (name: string) =>
      (await catalog.http().post('/api/auth/login').send({ login: name, password: 'lectern-demo' })).body.accessToken as string;
    const [{ id: deactivated }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member28'`);
    const [{ id: promoted }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member29'`);
    const leaving = await login('member28');
    const changing = await login('member29');
    expect((await catalog.http().get('/api/me').set(as(leaving))).status).toBe(200);
    expect((await catalog.http().get('/api/me').set(as(changing))).status).toBe(200);

    expect((await catalog.http().patch(`/api/members/${deactivated}`).set(as(admin)).send({ active: false })).status).toBe(200);
    expect((await catalog.http().patch(`/api/members/${promoted}`).set(as(admin)).send({ role: 'editor' })).status).toBe(200);

    const refused = await catalog.http().get('/api/me').set(as(leaving));
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('deactivated');
    const stale = await catalog.http().get('/api/me').set(as(changing));
    expect(stale.status).toBe(401);
    expect(stale.body.message).toContain('sign in again');
    expect(
      (
        await catalog
          .http()
          .get('/api/me')
          .set(as(await login('member29')))
      ).status,
    ).toBe(200);
  });
});
