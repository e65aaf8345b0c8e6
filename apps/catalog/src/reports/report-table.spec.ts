import { describe, expect, it } from '@jest/globals';
import { csvCell } from './report-table.js';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['王秀英', '王秀英'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['@cmd', "'@cmd"],
    [12.5, '12.5'],
    [-3, '-3'],
    [null, ''],
  ])('%j → %j', (value, expected) => expect(csvCell(value as string | number | null)).toBe(expected));
});
