import { describe, expect, it } from '@jest/globals';
import { CsvFileError, decodeCsv, normalizeUnitPath, parseActive, parseMemberCsv, parseMemberTable, readCsvRecords } from './member-csv.js';

const csv = (text: string) => Buffer.from(text, 'utf8');
// 张三 and 李四 in GBK, written out by hand (Node has no GBK encoder).
const ZHANG_SAN_GBK = [0xd5, 0xc5, 0xc8, 0xfd];
const LI_SI_GBK = [0xc0, 0xee, 0xcb, 0xc4];

describe('decodeCsv', () => {
  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeCsv(csv('姓名\n张三\n'))).toEqual({ text: '姓名\n张三\n', encoding: 'utf-8' });
    expect(decodeCsv(csv('\ufeff姓名\n张三\n'))).toEqual({ text: '姓名\n张三\n', encoding: 'utf-8-bom' });
  });

  it('falls back to GB18030 for what Excel in Chinese saves (GBK)', () => {
    const data = Buffer.from([...Buffer.from('name\n'), ...ZHANG_SAN_GBK, 0x0a, ...LI_SI_GBK, 0x0a]);
    expect(decodeCsv(data)).toEqual({ text: 'name\n张三\n李四\n', encoding: 'gb18030' });
  });

  it('refuses bytes that are neither', () => {
    // 0xFF is neither a UTF-8 nor a GB18030 byte.
    expect(() => decodeCsv(Buffer.from([0x61, 0xff, 0x0a]))).toThrow(CsvFileError);
  });
});

describe('parseMemberTable', () => {
  const table = (text: string) => parseMemberTable(readCsvRecords(text));

  it('reads rows with English headers, keeping the original cells and spreadsheet row numbers', () => {
    const { header, rows } = table('name,login,unit,category,active\n王秀英,Wang01,committee/east/g1,retired,\n\n李明,liming,g2,,停用\n');
    expect(header).toEqual(['name', 'login', 'unit', 'category', 'active']);
    expect(rows).toEqual([
      {
        line: 2,
        cells: ['王秀英', 'Wang01', 'committee/east/g1', 'retired', ''],
        name: '王秀英',
        login: 'wang01',
        unit: 'committee/east/g1',
        category: 'retired',
        active: null,
        problems: [],
      },
      {
        line: 4,
        cells: ['李明', 'liming', 'g2', '', '停用'],
        name: '李明',
        login: 'liming',
        unit: 'g2',
        category: '',
        active: false,
        problems: [],
      },
    ]);
  });

  it('accepts Chinese headers in any order and ignores extra columns', () => {
    const { rows } = table('备注,单位,登录名,姓名,类别,状态\nx,东区第一小组,zs01,张三,离退休,在册\n');
    expect(rows).toMatchObject([{ name: '张三', login: 'zs01', unit: '东区第一小组', category: '离退休', active: true }]);
  });

  it.each([
    ['姓名,登录名,单位\n,a1,c\n', 'name-missing'],
    [`姓名,登录名,单位\n${'x'.repeat(101)},a1,c\n`, 'name-too-long'],
    ['姓名,登录名,单位\nA,,c\n', 'login-missing'],
    ['姓名,登录名,单位\nA,a b,c\n', 'login-format'],
    ['姓名,登录名,单位\nA,-a,c\n', 'login-format'],
    ['姓名,登录名,单位,状态\nA,a1,c,maybe\n', 'active-bad'],
  ])('finds a bad row on its own: %j', (text, code) => {
    const { rows } = table(text);
    expect(rows).toHaveLength(1);
    expect(rows[0].problems.map((p) => p.code)).toEqual([code]);
  });

  it('flags a login repeated in the file (in any case), naming the first row', () => {
    const { rows } = table('name,login,unit\nA,a1,c\nB,b1,c\nC,A1,c\n');
    expect(rows.map((r) => r.problems)).toEqual([[], [], [{ code: 'login-duplicate', params: { login: 'a1', line: 2 } }]]);
  });

  it.each([
    ['name,unit\nA,c\n', 'Missing column(s): login'],
    ['', 'empty'],
    ['\n\n', 'empty'],
    ['name,login,unit\n', 'no members'],
    ['name,login,unit,password\nA,a1,c,secret12\n', 'Passwords are not imported'],
  ])('rejects the whole file: %j', (text, message) => {
    expect(() => table(text)).toThrow(CsvFileError);
    expect(() => table(text)).toThrow(message);
  });

  it('rejects unbalanced quotes and binary content', () => {
    expect(() => readCsvRecords('name,login,unit\n"A,a1,c\n')).toThrow('not valid CSV');
    expect(() => readCsvRecords('name\u0000,login')).toThrow(CsvFileError);
  });
});

describe('parseMemberCsv', () => {
  it('reads a GBK file end to end', () => {
    const data = Buffer.from([...Buffer.from('name,login,unit\n'), ...ZHANG_SAN_GBK, ...Buffer.from(',zs,g1\n')]);
    const parsed = parseMemberCsv(data);
    expect(parsed.encoding).toBe('gb18030');
    expect(parsed.rows).toMatchObject([{ name: '张三', login: 'zs', unit: 'g1' }]);
  });
});

describe('parseActive', () => {
  it.each([
    ['', null],
    ['是', true],
    ['Active', true],
    ['在册', true],
    ['否', false],
    ['停用', false],
    ['inactive', false],
    ['perhaps', 'bad'],
  ])('%j → %j', (raw, expected) => expect(parseActive(raw)).toBe(expected));
});

describe('normalizeUnitPath', () => {
  it.each([
    [' /Committee/East/ ', 'committee/east'],
    ['committee / east / g1', 'committee/east/g1'],
    ['', ''],
  ])('%j → %j', (raw, expected) => expect(normalizeUnitPath(raw)).toBe(expected));
});
