import { describe, expect, it } from '@jest/globals';
import type { UnitRollup } from '#contracts';
import { memberColumns, memberLectureColumns, overviewColumns, retentionColumns, type ReportLabels } from './report-columns.js';
import { header, type Lang } from './report-table.js';
import type { MemberLecture, MemberStanding } from './reports.service.js';

const names: Record<string, string> = {
  'committee/east': '东区分会',
  'committee/east/group-1': '东区第一小组',
};
const labels = (lang: Lang): ReportLabels => ({
  lang,
  category: (code) => (code === 'retired' ? (lang === 'en' ? 'Retired' : '离退休') : (code ?? '—')),
  unitName: (path) => names[path] ?? path,
  unitTrail: (path) => (path === 'committee/east/group-1' ? '东区分会 / 东区第一小组' : path === 'committee/east' ? '东区分会' : path),
});

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
const texts = <Row>(columns: Array<{ text(row: Row): string }>, row: Row) => columns.map((c) => c.text(row));

describe('memberLectureColumns', () => {
  it('heads each column as the member page does and names the member on every row', () => {
    expect(memberLectureColumns(labels('zh-CN'), member).map((c) => header(c, 'zh-CN'))).toEqual([
      '姓名',
      '账号',
      '单位',
      '单位路径',
      '课时',
      '课程',
      '已计时长',
      '已计学时（小时）',
      '观看比例',
      '是否学完',
      '最近学习',
    ]);
    expect(memberLectureColumns(labels('en'), member).map((c) => header(c, 'en'))).toEqual([
      'Name',
      'Login',
      'Unit',
      'Unit path',
      'Lecture',
      'Course',
      'Credited',
      'Hours credited (h)',
      'Watched',
      'Completed',
      'Last studied',
    ]);
  });

  it('fills the cells as the screen shows them, in the file’s language', () => {
    expect(texts(memberLectureColumns(labels('zh-CN'), member), lecture())).toEqual([
      '王秀英',
      'wangxy',
      '东区第一小组',
      '东区分会 / 东区第一小组',
      '第一讲',
      '理论学习',
      '30 分钟',
      '0.50',
      '66.7%',
      '未学完',
      '2025-03-02',
    ]);
    expect(
      texts(memberLectureColumns(labels('en'), member), lecture({ completed: true, creditedSec: 90, coverageRatio: 1 })).slice(6, 10),
    ).toEqual(['1 min 30 s', '0.03', '100.0%', 'Completed']);
  });
});

describe('memberColumns', () => {
  const standing: MemberStanding = {
    userId: 'u1',
    name: '王秀英',
    login: 'wangxy',
    category: 'retired',
    unitId: 'g1',
    unitPath: 'committee/east/group-1',
    earnedHours: 0.03,
    requiredHours: 32,
    remainingHours: 31.97,
    compulsoryMissing: 0,
    lastStudyDay: null,
    status: 'behind',
    makeupHours: null,
    earnedSec: 108,
    remainingSec: 115_092,
    makeupSec: null,
  };

  it('shows unit and category names, never a path or a code, and durations by the shared rule', () => {
    expect(texts(memberColumns(labels('zh-CN'), false), standing)).toEqual([
      '王秀英',
      'wangxy',
      '东区第一小组',
      '东区分会 / 东区第一小组',
      '离退休',
      '1 分 48 秒',
      '0.03',
      '32 小时',
      '31 小时 58 分',
      '0',
      '从未学习',
      '落后',
    ]);
    expect(texts(memberColumns(labels('en'), false), { ...standing, category: null }).slice(4, 6)).toEqual(['—', '1 min 48 s']);
  });

  it('keeps numbers in the XLSX cells with formats that read as the screen does', () => {
    const earned = memberColumns(labels('zh-CN'), false).find((c) => c.key === 'earnedHoursDecimal')!;
    expect([earned.number!(standing), earned.format]).toEqual([0.03, '0.00']);
  });
});

describe('overviewColumns', () => {
  const unit: UnitRollup = {
    unitId: 'g1',
    parentId: 'e',
    name: '东区第一小组',
    path: 'committee/east/group-1',
    depth: 2,
    members: 7,
    met: 1,
    percentMet: 14.3,
    onTrack: 2,
    behind: 3,
    notStarted: 1,
    totalHours: 0.03,
    averageHours: 0,
    totalSec: 108,
    averageSec: 15,
    compulsoryCompleted: 7,
  };

  it('has the on-track column, unindented names with their path of names, and a percentage as on screen', () => {
    const columns = overviewColumns(labels('zh-CN'));
    expect(columns.map((c) => header(c, 'zh-CN'))).toEqual([
      '单位',
      '单位路径',
      '应学人数',
      '达标人数',
      '达标率',
      '进度正常',
      '落后',
      '未开始',
      '人均学时',
      '总学时',
      '总学时（小时）',
      '完成必修人数',
    ]);
    expect(texts(columns, unit)).toEqual([
      '东区第一小组',
      '东区分会 / 东区第一小组',
      '7',
      '1',
      '14.3%',
      '2',
      '3',
      '1',
      '15 秒',
      '1 分 48 秒',
      '0.03',
      '7',
    ]);
    const percent = columns.find((c) => c.key === 'percentMet')!;
    expect([percent.number!(unit), percent.format]).toEqual([0.143, '0.0%']);
  });
});

describe('retentionColumns', () => {
  it('gives the position as the chart labels it and the share of viewers', () => {
    expect(retentionColumns().map((c) => [header(c, 'zh-CN'), header(c, 'en')])).toEqual([
      ['视频位置', 'Position in the video'],
      ['观看人数比例', 'Share of viewers'],
    ]);
    expect(texts(retentionColumns(), { position: 72.5, share: 0.75 })).toEqual(['1:12', '75.0%']);
  });
});

describe('memberColumns of a plan that requires exams', () => {
  const row = (exams: MemberStanding['exams']): MemberStanding => ({
    userId: 'u1',
    name: '王秀英',
    login: 'wangxy',
    category: 'retired',
    unitId: 'g1',
    unitPath: 'committee/east/group-1',
    earnedHours: 1,
    requiredHours: 1,
    remainingHours: 0,
    compulsoryMissing: 0,
    lastStudyDay: '2026-12-01',
    status: 'met',
    makeupHours: null,
    earnedSec: 3600,
    remainingSec: 0,
    makeupSec: null,
    exams,
    examsMissing: 0,
  });
  const exams = [
    { examId: 'e1', title: '结业考试' },
    { examId: 'e2', title: '安全考试' },
  ];

  it('adds each exam’s outcome and score before the status, headed by the exam’s title', () => {
    const columns = memberColumns(labels('zh-CN'), false, exams);
    const headings = columns.map((c) => header(c, 'zh-CN'));
    expect(headings.slice(headings.indexOf('最近学习日期') + 1)).toEqual([
      '结业考试 考试结果',
      '结业考试 成绩',
      '安全考试 考试结果',
      '安全考试 成绩',
      '状态',
    ]);
    const member = row([{ examId: 'e1', title: '结业考试', outcome: 'passed', score: 8.5, maxScore: 10, percent: 85 }]);
    const cells = texts(columns, member);
    expect(cells.slice(headings.indexOf('结业考试 考试结果'), headings.indexOf('状态'))).toEqual(['通过', '8.5', '未参加', '—']);
    const score = columns.find((c) => c.key === 'exam1Score')!;
    expect(score.number?.(member)).toBe(8.5);
    expect(columns.find((c) => c.key === 'exam2Score')!.number?.(member)).toBeNull();
    expect(memberColumns(labels('en'), false, exams).map((c) => header(c, 'en'))).toContain('结业考试: outcome');
  });

  it('has no exam columns for a plan without exams', () => {
    expect(memberColumns(labels('zh-CN'), false).map((c) => c.key)).toEqual(memberColumns(labels('zh-CN'), false, []).map((c) => c.key));
    expect(memberColumns(labels('zh-CN'), false).some((c) => c.key.startsWith('exam'))).toBe(false);
  });
});

describe('memberColumns of a plan that requires reflections', () => {
  const member = {
    userId: 'u1',
    name: '王秀英',
    login: 'wangxy',
    category: 'retired',
    unitId: 'g1',
    unitPath: 'committee/east/group-1',
    earnedHours: 1,
    requiredHours: 1,
    remainingHours: 0,
    compulsoryMissing: 0,
    lastStudyDay: '2026-12-01',
    status: 'on_track' as const,
    makeupHours: null,
    earnedSec: 3600,
    remainingSec: 0,
    makeupSec: null,
    reflectionsRequired: 2,
    reflectionsAccepted: 1,
  };
  const exams = [{ examId: 'e1', title: '结业考试' }];

  it('adds the accepted reflections after the exams, headed by the number required, a number in XLSX', () => {
    const columns = memberColumns(labels('zh-CN'), false, { exams, requiredReflections: 2 });
    const headings = columns.map((c) => header(c, 'zh-CN'));
    expect(headings.slice(headings.indexOf('结业考试 成绩') + 1)).toEqual(['已认可心得体会（应交 2 篇）', '状态']);
    const column = columns.find((c) => c.key === 'reflectionsAccepted')!;
    expect(header(column, 'en')).toBe('Reflections accepted (of 2)');
    expect(column.text(member)).toBe('1');
    expect(column.number?.(member)).toBe(1);
    expect(column.text({ ...member, reflectionsAccepted: undefined })).toBe('0');
  });

  it('has no reflections column for a plan that requires none', () => {
    const keys = memberColumns(labels('zh-CN'), false, { exams, requiredReflections: 0 }).map((c) => c.key);
    expect(keys).toEqual(memberColumns(labels('zh-CN'), false, exams).map((c) => c.key));
    expect(keys).not.toContain('reflectionsAccepted');
  });
});
