import type { Column } from './report-table.js';
import { roundHours } from './plan-status.js';
import type { MemberFacts, MemberLecture, MemberStanding, RetentionPoint, UnitRollup } from './reports.service.js';

const STATUS: Record<string, { zh: string; en: string }> = {
  met: { zh: '已达标', en: 'Met' },
  on_track: { zh: '进度正常', en: 'On track' },
  behind: { zh: '落后', en: 'Behind' },
  not_started: { zh: '未开始', en: 'Not started' },
};

export const statusLabel = (status: string, lang: 'zh-CN' | 'en') => (lang === 'en' ? STATUS[status]?.en : STATUS[status]?.zh) ?? status;

export const overviewColumns: Column<UnitRollup>[] = [
  { key: 'name', zh: '单位', en: 'Unit', value: (r) => `${'  '.repeat(Math.max(0, r.depth))}${r.name}` },
  { key: 'path', zh: '单位路径', en: 'Unit path', value: (r) => r.path },
  { key: 'members', zh: '应学人数', en: 'Members', value: (r) => r.members },
  { key: 'met', zh: '达标人数', en: 'Met', value: (r) => r.met },
  { key: 'percentMet', zh: '达标率(%)', en: '% met', value: (r) => r.percentMet, format: '0.0' },
  { key: 'behind', zh: '落后人数', en: 'Behind', value: (r) => r.behind },
  { key: 'notStarted', zh: '未开始人数', en: 'Not started', value: (r) => r.notStarted },
  { key: 'averageHours', zh: '人均学时', en: 'Average hours', value: (r) => r.averageHours, format: '0.00' },
  { key: 'totalHours', zh: '总学时', en: 'Total hours', value: (r) => r.totalHours, format: '0.00' },
  { key: 'compulsoryCompleted', zh: '完成必修人数', en: 'Completed compulsory', value: (r) => r.compulsoryCompleted },
];

export const memberColumns = (lang: 'zh-CN' | 'en', closed: boolean): Column<MemberStanding>[] => [
  { key: 'name', zh: '姓名', en: 'Name', value: (r) => r.name },
  { key: 'login', zh: '账号', en: 'Login', value: (r) => r.login },
  { key: 'unitPath', zh: '单位', en: 'Unit', value: (r) => r.unitPath },
  { key: 'category', zh: '人员类别', en: 'Category', value: (r) => r.category },
  { key: 'earnedHours', zh: '已获学时', en: 'Hours earned', value: (r) => r.earnedHours, format: '0.00' },
  { key: 'requiredHours', zh: '应修学时', en: 'Hours required', value: (r) => r.requiredHours, format: '0.00' },
  { key: 'remainingHours', zh: '尚差学时', en: 'Hours remaining', value: (r) => r.remainingHours, format: '0.00' },
  { key: 'compulsoryMissing', zh: '未完成必修', en: 'Compulsory missing', value: (r) => r.compulsoryMissing },
  { key: 'lastStudyDay', zh: '最近学习日期', en: 'Last study date', value: (r) => r.lastStudyDay },
  { key: 'status', zh: '状态', en: 'Status', value: (r) => statusLabel(r.status, lang) },
  ...(closed
    ? [{ key: 'makeupHours', zh: '补学学时', en: 'Make-up hours', value: (r: MemberStanding) => r.makeupHours, format: '0.00' }]
    : []),
];

export interface CourseRow {
  courseId: string;
  title: string;
  viewers: number;
  completions: number;
  completionRate: number;
  averageCoverage: number;
  totalHours: number;
}

export const courseColumns: Column<CourseRow>[] = [
  { key: 'title', zh: '课程', en: 'Course', value: (r) => r.title },
  { key: 'viewers', zh: '学习人数', en: 'Viewers', value: (r) => r.viewers },
  { key: 'completions', zh: '完成讲数', en: 'Lecture completions', value: (r) => r.completions },
  { key: 'completionRate', zh: '完成率', en: 'Completion rate', value: (r) => r.completionRate, format: '0.0%' },
  { key: 'averageCoverage', zh: '平均观看比例', en: 'Average coverage', value: (r) => r.averageCoverage, format: '0.0%' },
  { key: 'totalHours', zh: '总学时', en: 'Total hours', value: (r) => r.totalHours, format: '0.00' },
];

export const trendColumns: Column<{ day: string; hours: number; members: number }>[] = [
  { key: 'day', zh: '日期', en: 'Date', value: (r) => r.day },
  { key: 'hours', zh: '学时', en: 'Hours', value: (r) => r.hours, format: '0.00' },
  { key: 'members', zh: '学习人数', en: 'Members studying', value: (r) => r.members },
];

/** A lecture's audience retention as its chart's table shows it: position in seconds, share of viewers (0..1). */
export const retentionColumns: Column<RetentionPoint>[] = [
  { key: 'position', zh: '视频位置(秒)', en: 'Position in the video (s)', value: (r) => r.position, format: '0.0' },
  { key: 'share', zh: '观看人数比例', en: 'Share of viewers', value: (r) => r.share, format: '0.0%' },
];

const COMPLETED = { zh: { yes: '已学完', no: '未学完' }, en: { yes: 'Completed', no: 'Not yet' } };

/**
 * Each lecture a member studied, as the member detail lists it. Every row names the member (as the members
 * export does), so files of several members can be pasted into one sheet and still be told apart.
 */
export const memberLectureColumns = (
  lang: 'zh-CN' | 'en',
  member: Pick<MemberFacts, 'name' | 'login' | 'unitPath'>,
): Column<MemberLecture>[] => {
  const completed = lang === 'en' ? COMPLETED.en : COMPLETED.zh;
  return [
    { key: 'name', zh: '姓名', en: 'Name', value: () => member.name },
    { key: 'login', zh: '账号', en: 'Login', value: () => member.login },
    { key: 'unitPath', zh: '单位', en: 'Unit', value: () => member.unitPath },
    { key: 'lecture', zh: '课时', en: 'Lecture', value: (r) => r.title },
    { key: 'course', zh: '课程', en: 'Course', value: (r) => r.courseTitle },
    { key: 'creditedHours', zh: '已计学时', en: 'Hours credited', value: (r) => roundHours(r.creditedSec / 3600), format: '0.00' },
    { key: 'coverage', zh: '观看比例', en: 'Watched', value: (r) => Math.round(r.coverageRatio * 1000) / 1000, format: '0.0%' },
    { key: 'completed', zh: '是否学完', en: 'Completed', value: (r) => (r.completed ? completed.yes : completed.no) },
    { key: 'lastStudied', zh: '最近学习日期', en: 'Last studied', value: (r) => r.lastStudiedDay },
  ];
};
