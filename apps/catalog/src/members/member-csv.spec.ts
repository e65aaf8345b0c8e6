import { describe, expect, it } from '@jest/globals';
import { CsvFileError, normalizeUnitPath, parseMemberCsv } from './member-csv.js';

const csv = (text: string) => Buffer.from(text, 'utf8');

describe('parseMemberCsv', () => {
  it('reads good rows with English headers', () => {
    const { rows, errors } = parseMemberCsv(csv('name,login,unit,category\n王秀英,Wang01,committee/east/g1,retired\n'));
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, name: '王秀英', login: 'wang01', unitPath: 'committee/east/g1', category: 'retired', password: null },
    ]);
  });

  it('accepts Chinese headers, a BOM and CRLF line ends', () => {
    const { rows } = parseMemberCsv(csv('\ufeff姓名,账号,单位,类别\r\n李明,liming,/committee/west/,\r\n'));
    expect(rows).toMatchObject([{ login: 'liming', unitPath: 'committee/west', category: null }]);
  });

  it.each([
    ['name,login,unit\n,a1,committee\n', 'name must not be empty'],
    ['name,login,unit\nA,,committee\n', 'login is empty'],
    ['name,login,unit\nA,a b,committee\n', 'login must be'],
    ['name,login,unit\nA,a1,\n', 'unit is empty'],
    ['name,login,unit,category\nA,a1,committee,Bad Category!\n', 'category must be'],
    ['name,login,unit,password\nA,a1,committee,short\n', 'password must be at least 8'],
  ])('reports a bad row: %j', (text, reason) => {
    const { rows, errors } = parseMemberCsv(csv(text));
    expect(rows).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(2);
    expect(errors[0].reason).toContain(reason);
  });

  it('rejects a login repeated in the file, naming the first line', () => {
    const { rows, errors } = parseMemberCsv(csv('name,login,unit\nA,a1,c\nB,b1,c\nC,A1,c\n'));
    expect(rows.map((r) => r.login)).toEqual(['a1', 'b1']);
    expect(errors).toEqual([{ line: 4, login: 'A1', reason: 'login "a1" already appears on line 2' }]);
  });

  it.each([
    [Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xc0, 0xaf, 0xff]), 'not UTF-8'],
    [csv('name,unit\nA,c\n'), 'Missing column(s): login'],
    [csv(''), 'empty'],
    [csv('name,login,unit\n"A,a1,c\n'), 'not valid CSV'],
  ])('rejects the whole file: %#', (data, message) => {
    expect(() => parseMemberCsv(data)).toThrow(CsvFileError);
    expect(() => parseMemberCsv(data)).toThrow(message);
  });
});

describe('normalizeUnitPath', () => {
  it.each([
    [' /Committee/East/ ', 'committee/east'],
    ['committee / east / g1', 'committee/east/g1'],
    ['', ''],
  ])('%j → %j', (raw, expected) => expect(normalizeUnitPath(raw)).toBe(expected));
});
