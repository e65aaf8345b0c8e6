import { describe, expect, it } from '@jest/globals';
import { memberLectureColumns, retentionColumns } from './report-columns.js';
import { header } from './report-table.js';
import type { MemberLecture } from './reports.service.js';

const lecture = (over: Partial<MemberLecture> = {}): MemberLecture => ({
  lectureId: 'l1',
  title: '第一讲',
  courseTitle: '理论学习',
  creditedSec: 1800,
  durationSec: 600,
  coverageRatio: 2 / 3,
  completed: false,
  lastStudiedAt: '2025-03-01T17:30:00.000Z',
  lastStudiedDay: '2025-03-02',
  ...over,
});
const member = { name: '王秀英', login: 'wangxy', unitPath: 'committee/east/group-1' };

describe('memberLectureColumns', () => {
  it('heads each column in either language and names the member on every row', () => {
    expect(memberLectureColumns('zh-CN', member).map((c) => header(c, 'zh-CN'))).toEqual([
      '姓名',
      '账号',
      '单位',
      '课时',
      '课程',
      '已计学时',
      '观看比例',
      '是否学完',
      '最近学习日期',
    ]);
    expect(memberLectureColumns('en', member).map((c) => header(c, 'en'))).toEqual([
      'Name',
      'Login',
      'Unit',
      'Lecture',
      'Course',
      'Hours credited',
      'Watched',
      'Completed',
      'Last studied',
    ]);
  });

  it('gives hours to 0.01, the share watched to 0.001, and says in the file’s language whether it is completed', () => {
    const values = (lang: 'zh-CN' | 'en', row: MemberLecture) => memberLectureColumns(lang, member).map((c) => c.value(row));
    expect(values('zh-CN', lecture())).toEqual([
      '王秀英',
      'wangxy',
      'committee/east/group-1',
      '第一讲',
      '理论学习',
      0.5,
      0.667,
      '未学完',
      '2025-03-02',
    ]);
    expect(values('en', lecture({ completed: true, creditedSec: 20, coverageRatio: 1 })).slice(5, 8)).toEqual([0.01, 1, 'Completed']);
    expect(values('zh-CN', lecture({ completed: true }))[7]).toBe('已学完');
  });
});

describe('retentionColumns', () => {
  it('gives the position in seconds and the share of viewers', () => {
    expect(retentionColumns.map((c) => [header(c, 'zh-CN'), header(c, 'en')])).toEqual([
      ['视频位置(秒)', 'Position in the video (s)'],
      ['观看人数比例', 'Share of viewers'],
    ]);
    expect(retentionColumns.map((c) => c.value({ position: 12.5, share: 0.75 }))).toEqual([12.5, 0.75]);
  });
});
