import { describe, expect, it } from '@jest/globals';
import { csvCell, safeName } from './report-table.js';

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

describe('safeName', () => {
  it.each([
    ['plan-members', 'plan-members'],
    ['member-lectures-wang.xy_01', 'member-lectures-wang.xy_01'],
    ['lecture-retention-第一讲', 'lecture-retention-第一讲'],
    ['lecture-retention-问答: 是/否?', 'lecture-retention-问答- 是-否-'],
    ['a\\b*c[d]e<f>g|h"i', 'a-b-c-d-e-f-g-h-i'],
    ['tab\there\nnewline', 'tab-here-newline'],
    ["'quoted'", 'quoted'],
    ['', 'report'],
    ['///', '-'],
  ])('%j → %j', (name, expected) => expect(safeName(name)).toBe(expected));
});
