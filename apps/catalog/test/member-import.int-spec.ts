import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let east: string;
let admin: string;
beforeAll(async () => {
  catalog = await startCatalog();
  [east, admin] = await Promise.all([catalog.tokenFor('east-admin'), catalog.tokenFor('admin')]);
}, 60_000);
afterAll(() => catalog.close());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const upload = (body: string | Buffer, { token = east, type = 'text/csv', filename = 'members.csv' } = {}) =>
  catalog
    .http()
    .post(`/api/members/imports?filename=${encodeURIComponent(filename)}`)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', type)
    .send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
const confirm = (id: string, token = east) =>
  catalog.http().post(`/api/members/imports/${id}/confirm`).set('Authorization', `Bearer ${token}`);
const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params) as Promise<T[]>;
const userCount = async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM users`))[0].n;

// The GBK bytes of the Chinese words the GBK fixture uses (from `iconv -f UTF-8 -t GB18030`): Node has no GBK encoder.
const GBK: Record<string, string> = {
  姓名: 'd0d5c3fb',
  登录名: 'b5c7c2bcc3fb',
  单位: 'b5a5cebb',
  类别: 'c0e0b1f0',
  张三: 'd5c5c8fd',
  李四: 'c0eecbc4',
  东区第一小组: 'b6abc7f8b5dad2bbd0a1d7e9',
  离退休: 'c0ebcdcbd0dd',
  农村: 'c5a9b4e5',
};
function gbk(text: string): Buffer {
  const parts: Buffer[] = [];
  for (const piece of text.split(/([\u3400-\u9fff]+)/)) {
    if (!piece) continue;
    if (/[\u3400-\u9fff]/.test(piece)) {
      if (!GBK[piece]) throw new Error(`no GBK bytes for ${piece}`);
      parts.push(Buffer.from(GBK[piece], 'hex'));
    } else parts.push(Buffer.from(piece, 'ascii'));
  }
  return Buffer.concat(parts);
}

describe('member import: preview', () => {
  it('classifies a UTF-8 file and writes nothing to users before the confirmation', async () => {
    const before = await userCount();
    const answer = await upload(
      [
        'name,login,unit,category,active',
        '赵大爷,imp-zhao,committee/east/group-1,retired,',
        '钱阿姨,imp-qian,group-2,农村,',
        '王秀英改,member,committee/east/group-1,,', // the demo member "member": a new name
        'Nobody,imp-ghost,committee/east/no-such-group,retired,',
      ].join('\n'),
      { filename: '名单.csv' },
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      fileName: '名单.csv',
      encoding: 'utf-8',
      counts: { total: 4, create: 2, update: 1, unchanged: 0, reject: 1 },
      confirmedAt: null,
    });
    expect(answer.body.created).toEqual([
      { line: 2, login: 'imp-zhao', name: '赵大爷', unitPath: 'committee/east/group-1', category: 'retired', active: true },
      { line: 3, login: 'imp-qian', name: '钱阿姨', unitPath: 'committee/east/group-2', category: 'rural', active: true },
    ]);
    expect(answer.body.updated).toEqual([
      {
        line: 4,
        login: 'member',
        name: '王秀英改',
        unitPath: 'committee/east/group-1',
        changes: { name: { from: '王秀英', to: '王秀英改' } },
      },
    ]);
    expect(answer.body.rejected).toEqual([
      {
        line: 5,
        login: 'imp-ghost',
        name: 'Nobody',
        unit: 'committee/east/no-such-group',
        reason: expect.stringContaining('there is no unit "committee/east/no-such-group" in your organisation'),
        reasonZh: expect.stringContaining('本组织没有单位'),
      },
    ]);
    expect(await userCount()).toBe(before);
    expect(await query(`SELECT name FROM users WHERE login = 'member'`)).toEqual([{ name: '王秀英' }]);

    const again = await catalog.http().get(`/api/members/imports/${answer.body.id}`).set('Authorization', `Bearer ${east}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(answer.body);
  });

  it('reads UTF-8 with a BOM, GBK (as Excel in Chinese saves CSV) and .xlsx', async () => {
    const bom = await upload('\ufeff姓名,登录名,单位\n孙七,imp-sun,东区第一小组\n');
    expect(bom.status).toBe(201);
    expect(bom.body).toMatchObject({ encoding: 'utf-8-bom', counts: { create: 1, reject: 0 } });

    const gbkFile = gbk('姓名,登录名,单位,类别\r\n张三,gbk-zhang,东区第一小组,离退休\r\n李四,gbk-li,committee/east/group-2,农村\r\n');
    const fromGbk = await upload(gbkFile, { filename: 'gbk.csv' });
    expect(fromGbk.status).toBe(201);
    expect(fromGbk.body.encoding).toBe('gb18030');
    expect(fromGbk.body.created).toMatchObject([
      { login: 'gbk-zhang', name: '张三', unitPath: 'committee/east/group-1', category: 'retired' },
      { login: 'gbk-li', name: '李四', unitPath: 'committee/east/group-2', category: 'rural' },
    ]);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['姓名', '登录名', '单位', '类别', '状态']);
    sheet.addRow(['周八', 'xlsx-zhou', 'committee/east/group-1', '在职', '在册']);
    sheet.addRow(['吴九', 12345, 'group-2', 'mobile', '']); // a number-looking login, as Excel stores it
    const fromXlsx = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), { type: XLSX, filename: 'list.xlsx' });
    expect(fromXlsx.status).toBe(201);
    expect(fromXlsx.body).toMatchObject({ encoding: 'xlsx', fileName: 'list.xlsx', counts: { create: 2, reject: 0 } });
    expect(fromXlsx.body.created).toMatchObject([
      { login: 'xlsx-zhou', name: '周八', category: 'on-the-job', active: true },
      { login: '12345', name: '吴九', category: 'mobile' },
    ]);
  });

  it('rejects every kind of bad row with its reason and row number', async () => {
    await query(`
      INSERT INTO org_units (parent_id, slug, name, kind, path, depth)
      SELECT id, 'twin-' || n, '同名小组', 'group', 'committee/east/twin-' || n, 2 FROM org_units, generate_series(1, 2) n
       WHERE path = 'committee/east'`);
    const lines = [
      ['姓名', '登录名', '单位', '类别', '状态'],
      ['', 'r-noname', 'group-1', '', ''],
      ['x'.repeat(101), 'r-longname', 'group-1', '', ''],
      ['无登录名', '', 'group-1', '', ''],
      ['坏登录名', 'has space', 'group-1', '', ''],
      ['重复一', 'r-twice', 'group-1', '', ''],
      ['重复二', 'R-Twice', 'group-1', '', ''],
      ['坏状态', 'r-status', 'group-1', '', 'maybe'],
      ['无单位', 'r-nounit', '', '', ''],
      ['未知单位', 'r-unknown', 'committee/east/group-9', '', ''],
      ['外单位', 'r-outside', 'committee/west/group-1', '', ''],
      ['同名单位', 'r-twin', '同名小组', '', ''],
      ['坏类别', 'r-category', 'group-1', 'astronaut', ''],
      ['别人的', 'member03', 'group-1', '', ''], // member03 is in committee/west
      ['管理员', 'east-admin', 'committee/east', '', ''],
      ['调动', 'member', 'committee/east/group-2', '', ''], // member is in group-1
    ];
    const answer = await upload(lines.map((cells) => cells.join(',')).join('\n'));
    expect(answer.status).toBe(201);
    expect(answer.body.counts).toEqual({ total: 15, create: 1, update: 0, unchanged: 0, reject: 14 });
    expect(answer.body.created.map((r: { login: string }) => r.login)).toEqual(['r-twice']);
    const reasons = Object.fromEntries(answer.body.rejected.map((r: { line: number; reason: string }) => [r.line, r.reason]));
    expect(reasons).toEqual({
      2: expect.stringContaining('the name is empty'),
      3: expect.stringContaining('longer than 100 characters'),
      4: expect.stringContaining('the login is empty'),
      5: expect.stringContaining('the login "has space" is not allowed'),
      7: expect.stringContaining('the login "r-twice" already appears on row 6'),
      8: expect.stringContaining('the status "maybe" is not understood'),
      9: expect.stringContaining('the unit is empty'),
      10: expect.stringContaining('there is no unit "committee/east/group-9"'),
      11: expect.stringContaining('the unit "committee/west/group-1" is outside your organisation'),
      12: expect.stringContaining('2 units are named "同名小组"'),
      13: expect.stringContaining('the category "astronaut" is unknown'),
      14: expect.stringContaining('the login "member03" belongs to someone outside your organisation'),
      15: expect.stringContaining('the login "east-admin" is an admin account'),
      16: expect.stringContaining('use a transfer'),
    });

    // The rejected rows, as they were, with a reason column in the file's language: UTF-8 with a BOM.
    const file = await catalog
      .http()
      .get(`/api/members/imports/${answer.body.id}/rejected.csv`)
      .set('Authorization', `Bearer ${east}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    const bytes = file.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1).split('\r\n');
    expect(text[0]).toBe('姓名,登录名,单位,类别,状态,原因');
    expect(text[1]).toMatch(/^,r-noname,group-1,,,姓名为空/);
    expect(text).toHaveLength(14 + 2);

    const xlsx = await catalog
      .http()
      .get(`/api/members/imports/${answer.body.id}/rejected.xlsx?lang=en`)
      .set('Authorization', `Bearer ${east}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const rows = book.worksheets[0].getSheetValues() as unknown[][];
    expect(rows[1].slice(1)).toEqual(['姓名', '登录名', '单位', '类别', '状态', 'reason']);
    expect(String(rows[2][6])).toContain('the name is empty');
  });

  it.each([
    ['wrong columns', 'fullname,user\nA,b\n', 'text/csv', 400, 'Missing column(s): name, login, unit', 'missing-columns'],
    ['an empty file', '', 'text/csv', 400, 'empty', 'empty'],
    ['bytes that are no text', Buffer.from([0x61, 0xff, 0xfe, 0x0a]), 'text/csv', 400, 'neither UTF-8 nor GBK', 'encoding'],
    ['NUL bytes', 'name,login,unit\u0000\n', 'text/csv', 400, 'not a text CSV', 'not-text'],
    ['a password column', 'name,login,unit,password\nA,a1,c,12345678\n', 'text/csv', 400, 'Passwords are not imported', 'password-column'],
    ['a broken .xlsx', Buffer.from('PK\u0003\u0004 not really a zip'), XLSX, 400, 'could not be read', 'xlsx-unreadable'],
    ['a CSV sent as .xlsx', 'name,login,unit\n', XLSX, 400, 'not an .xlsx workbook', 'not-xlsx'],
    ['a JSON body', JSON.stringify({ rows: [] }), 'application/json', 415, 'text/csv', undefined],
  ])('answers %s with a clear 4xx', async (_label, body, type, status, message, code) => {
    const answer = await upload(body, { type });
    expect(answer.status).toBe(status);
    expect(answer.body.message).toContain(message);
    // The page words a whole file's problem in its own language from this code.
    expect(answer.body.code).toBe(code);
  });

  it('answers 413 for a file over 5 MB, and 400 for a file name over 255 characters', async () => {
    expect((await upload(`name,login,unit\n${'x,y,z\n'.repeat(1_000_000)}`)).status).toBe(413);
    expect((await upload('name,login,unit\nA,a1,c\n', { filename: 'x'.repeat(300) })).status).toBe(400);
  });
});

describe('member import: confirm', () => {
  it('applies creates and updates in one go; new members have no password and must choose one', async () => {
    const preview = await upload(
      [
        '姓名,登录名,单位,类别,状态',
        '郑十,conf-zheng,committee/east/group-1,retired,',
        '冯十一,conf-feng,group-2,,停用',
        '陈十二改,member05,,,停用', // member05: committee/east/group-1 in the demo; a blank unit keeps them there
      ].join('\n'),
    );
    expect(preview.status).toBe(201);
    expect(preview.body.counts).toMatchObject({ create: 2, update: 1, reject: 0 });
    const done = await confirm(preview.body.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: preview.body.id, created: 2, updated: 1, rejected: 0 });

    const people = await query(
      `SELECT u.login, u.name, u.category, u.active, u.password_hash, u.must_change_password, u.role, o.path
         FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE login IN ('conf-zheng', 'conf-feng', 'member05') ORDER BY login`,
    );
    expect(people).toEqual([
      expect.objectContaining({ login: 'conf-feng', active: false, password_hash: null, must_change_password: true, role: 'member' }),
      expect.objectContaining({
        login: 'conf-zheng',
        name: '郑十',
        category: 'retired',
        active: true,
        password_hash: null,
        path: 'committee/east/group-1',
      }),
      expect.objectContaining({
        login: 'member05',
        name: '陈十二改',
        active: false,
        must_change_password: false,
        path: 'committee/east/group-1',
      }),
    ]);
    // The unit-period trigger opened a period for each new member.
    expect(
      await query(`SELECT count(*)::int AS n FROM member_unit_periods p JOIN users u ON u.id = p.user_id WHERE u.login LIKE 'conf-%'`),
    ).toEqual([{ n: 2 }]);

    const twice = await confirm(preview.body.id);
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('already confirmed');
  });

  it('checks every row again: if one would now be rejected, answers 409 naming it and writes nothing', async () => {
    const preview = await upload('姓名,登录名,单位\n新人甲,drift-a,group-1\n新人乙,drift-b,group-1\n老人,member10,group-1\n');
    expect(preview.status).toBe(201);
    expect(preview.body.counts).toMatchObject({ create: 2, update: 1 });
    // Meanwhile someone in another branch takes drift-b, and member10 is moved from group-1 to group-2.
    await query(
      `INSERT INTO users (login, name, role, org_unit_id) SELECT 'drift-b', '别人', 'member', id FROM org_units WHERE path = 'committee/west'`,
    );
    await query(`UPDATE users SET org_unit_id = (SELECT id FROM org_units WHERE path = 'committee/east/group-2') WHERE login = 'member10'`);
    const before = await userCount();

    const answer = await confirm(preview.body.id);
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('Nothing was imported');
    expect(answer.body.rows).toEqual([
      expect.objectContaining({
        line: 3,
        login: 'drift-b',
        reason: expect.stringContaining('belongs to someone outside your organisation'),
      }),
      expect.objectContaining({ line: 4, login: 'member10', reason: expect.stringContaining('use a transfer') }),
    ]);
    expect(await userCount()).toBe(before);
    expect(await query(`SELECT login FROM users WHERE login = 'drift-a'`)).toEqual([]);
    expect(await query(`SELECT confirmed_at FROM member_import_batches WHERE id = $1`, [preview.body.id])).toEqual([
      { confirmed_at: null },
    ]);
  });

  it('keeps batches to their creator and previews to an hour', async () => {
    const preview = await upload('姓名,登录名,单位\n某人,scope-one,group-1\n');
    const id = preview.body.id as string;
    for (const answer of [
      await confirm(id, admin),
      await catalog.http().get(`/api/members/imports/${id}`).set('Authorization', `Bearer ${admin}`),
      await catalog.http().get(`/api/members/imports/${id}/rejected.csv`).set('Authorization', `Bearer ${admin}`),
    ]) {
      expect(answer.status).toBe(404);
    }
    const member = await catalog.tokenFor('member');
    expect((await upload('姓名,登录名,单位\n某人,scope-two,group-1\n', { token: member })).status).toBe(403);
    expect((await confirm(id, member)).status).toBe(403);
    expect((await confirm('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await confirm('not-an-id')).status).toBe(400);

    await query(`UPDATE member_import_batches SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    const late = await confirm(id);
    expect(late.status).toBe(410);
    expect(late.body.message).toContain('Upload the file again');
    expect(await query(`SELECT login FROM users WHERE login = 'scope-one'`)).toEqual([]);
  });

  it('previews and confirms 10,000 rows', async () => {
    const rows = ['姓名,登录名,单位,类别'];
    for (let i = 0; i < 10_000; i++) rows.push(`成员${i},bulk-${i},group-${(i % 2) + 1},${i % 3 ? 'retired' : '农村'}`);
    const before = await userCount();
    const preview = await upload(rows.join('\n'));
    expect(preview.status).toBe(201);
    expect(preview.body.counts).toEqual({ total: 10_000, create: 10_000, update: 0, unchanged: 0, reject: 0 });
    expect(preview.body.created).toHaveLength(preview.body.listLimit);
    const done = await confirm(preview.body.id);
    expect(done.status).toBe(200);
    expect(done.body.created).toBe(10_000);
    expect(await userCount()).toBe(before + 10_000);
    expect(
      await query(
        `SELECT count(*)::int AS n FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login LIKE 'bulk-%' AND o.path = 'committee/east/group-2'`,
      ),
    ).toEqual([{ n: 5_000 }]);
  }, 120_000);
});
