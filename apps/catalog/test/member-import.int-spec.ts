import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let token: string;
beforeAll(async () => {
  catalog = await startCatalog();
  token = await catalog.tokenFor('east-admin');
}, 60_000);
afterAll(() => catalog.close());

const importCsv = (body: string | Buffer, type = 'text/csv') =>
  catalog.http().post('/api/members/import').set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);

describe('member CSV import', () => {
  it('imports good rows, reports bad rows by line, and updates on re-import', async () => {
    const csv = [
      'name,login,unit,category,password',
      '赵大爷,zhaody,committee/east/group-1,retired,first-password',
      '钱阿姨,qianay,committee/east/group-2,rural,',
      'Nobody,ghost,committee/east/no-such-group,retired,',
      'Bad Cat,badcat,committee/east/group-1,astronaut,',
      'Twice,zhaody,committee/east/group-1,retired,',
      '',
    ].join('\n');
    const first = await importCsv(csv);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 2, updated: 0, rejected: 3 });
    expect(first.body.errors).toEqual([
      { line: 4, login: 'ghost', reason: expect.stringContaining('unit "committee/east/no-such-group" does not exist') },
      { line: 5, login: 'badcat', reason: expect.stringContaining('category "astronaut" is unknown') },
      { line: 6, login: 'zhaody', reason: 'login "zhaody" already appears on line 2' },
    ]);

    const login = await catalog.http().post('/api/auth/login').send({ login: 'zhaody', password: 'first-password' });
    expect(login.status).toBe(200);

    const again = await importCsv('name,login,unit,category\n赵大爷,zhaody,committee/east/group-2,on-the-job\n');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, updated: 1, rejected: 0 });
    const rows = await catalog.dataSource.query(
      `SELECT u.category, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE login = 'zhaody'`,
    );
    expect(rows).toEqual([{ category: 'on-the-job', path: 'committee/east/group-2' }]);
  });

  it('refuses to turn an editor or admin into a member by import', async () => {
    const answer = await importCsv('name,login,unit\nMe,east-admin,committee/east\n');
    expect(answer.status).toBe(422);
    expect(answer.body.errors[0].reason).toContain('is an admin account');
  });

  it.each([
    ['wrong columns', 'fullname,user\nA,b\n', 'text/csv', 400, 'Missing column(s): name, login, unit'],
    [
      'non-UTF-8 (GBK) text',
      Buffer.from([
        0x6e, 0x61, 0x6d, 0x65, 0x2c, 0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x2c, 0x75, 0x6e, 0x69, 0x74, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x61,
        0x2c, 0x62, 0x0a,
      ]),
      'text/csv',
      400,
      'not UTF-8',
    ],
    ['an empty file', '', 'text/csv', 400, 'empty'],
    ['a JSON body', JSON.stringify({ rows: [] }), 'application/json', 415, 'text/csv'],
  ])('answers %s with a clear 4xx', async (_label, body, type, status, message) => {
    const answer = await importCsv(body, type);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toContain(message);
  });

  it('answers 413 for a file over 5 MB', async () => {
    const answer = await importCsv(`name,login,unit\n${'x,y,z\n'.repeat(1_000_000)}`);
    expect(answer.status).toBe(413);
  });
});
