import { describe, expect, it } from '@jest/globals';
import { decodeSpreadsheetText, parseRosterCsv, RosterFileError } from './class-roster-csv.js';

// 张三 in GBK.
const GBK_ZHANG_SAN = [0xd5, 0xc5, 0xc8, 0xfd];

describe('class roster CSV', () => {
  it.each([
    [
      'a login header',
      'login\nalice\nbob\n',
      [
        { row: 2, login: 'alice' },
        { row: 3, login: 'bob' },
      ],
    ],
    [
      'no header: the first column',
      'alice\nbob',
      [
        { row: 1, login: 'alice' },
        { row: 2, login: 'bob' },
      ],
    ],
    [
      'the login column among others',
      'name,用户名\nAlice, alice \nBob,bob\n',
      [
        { row: 2, login: 'alice' },
        { row: 3, login: 'bob' },
      ],
    ],
    ['a byte-order mark before the header', '\uFEFFlogin\r\nalice\r\n', [{ row: 2, login: 'alice' }]],
    [
      'empty lines skipped but counted',
      'login\n\nalice\n\n\nbob\n',
      [
        { row: 3, login: 'alice' },
        { row: 6, login: 'bob' },
      ],
    ],
    ['a row with no login kept, to be reported', 'name,login\nAlice,\n', [{ row: 2, login: '' }]],
  ])('reads %s', (_label, text, rows) => {
    expect(parseRosterCsv(Buffer.from(text, 'utf8'))).toEqual(rows);
  });

  it('decodes GBK files and UTF-8 with or without a byte-order mark', () => {
    expect(decodeSpreadsheetText(Buffer.from([...GBK_ZHANG_SAN, 0x0a]))).toBe('张三\n');
    expect(decodeSpreadsheetText(Buffer.from('张三', 'utf8'))).toBe('张三');
    expect(decodeSpreadsheetText(Buffer.from('\uFEFF张三', 'utf8'))).toBe('张三');
    const gbk = Buffer.concat([Buffer.from('login\n'), Buffer.from(GBK_ZHANG_SAN), Buffer.from('\nbob\n')]);
    expect(parseRosterCsv(gbk)).toEqual([
      { row: 2, login: '张三' },
      { row: 3, login: 'bob' },
    ]);
  });

  it.each([
    ['an empty file', ''],
    ['only blank lines', '\n\n'],
    ['an unclosed quote', 'login\n"alice\n'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseRosterCsv(Buffer.from(text))).toThrow(RosterFileError);
  });
});
