import { describe, expect, it } from '@jest/globals';
import { asciiName, contentDisposition, csvCell, fileName, safeName } from './report-table.js';

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

describe('contentDisposition', () => {
  it('names the file in UTF-8 and gives an ASCII fallback', () => {
    const value = contentDisposition('2026 年度学习计划 - 东区分会 - 学员 - 2026-12-03', 'plan-committee/east-members-2026-12-03', 'xlsx');
    expect(value).toBe(
      `attachment; filename="plan-committee-east-members-2026-12-03.xlsx"; filename*=UTF-8''${encodeURIComponent('2026 年度学习计划 - 东区分会 - 学员 - 2026-12-03.xlsx')}`,
    );
  });

  it.each([
    ['plan-committee/east-members-2026-12-03', 'plan-committee-east-members-2026-12-03'],
    ['lecture-第一讲-audience retention', 'lecture-audience-retention'],
    ['第一讲', 'report'],
    ['member-wang.xy_01', 'member-wang.xy_01'],
  ])('ASCII fallback of %j is %j', (name, ascii) => expect(asciiName(name)).toBe(ascii));

  it('escapes the characters RFC 5987 does not allow bare', () => {
    expect(contentDisposition("O'Brien (1)", 'member', 'csv')).toContain("filename*=UTF-8''O%27Brien%20%281%29.csv");
  });
});

describe('fileName', () => {
  it('joins the parts that are there', () => {
    expect(fileName('年度学习', '东区分会', '学员', '2026-12-03')).toBe('年度学习 - 东区分会 - 学员 - 2026-12-03');
    expect(fileName(undefined, '东区分会', '课程统计', '2026-12-03')).toBe('东区分会 - 课程统计 - 2026-12-03');
  });
});
