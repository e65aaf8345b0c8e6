import { clock, decimalHours, formatDuration, percentText, shareText } from '#contracts';
import type { Column, Lang } from './report-table.js';
import type { ExamMemberRow, ExamOutcome } from '#contracts';
import type { MemberFacts, MemberLecture, PlanMemberStanding, RetentionPoint, UnitRollup } from './reports.service.js';

type MemberStanding = PlanMemberStanding;

/** What a plan requires beyond hours, for the requirement columns of its members table. */
export interface PlanRequirements {
  exams: ReadonlyArray<{ examId: string; title: string }>;
  /** Accepted reflections required (0: none, and no reflections column). */
  requiredReflections: number;
}

/**
 * The columns of each report table, labelled and filled as the web pages show them (apps/web/client:
 * the `reports.col.*` labels, the shared duration and percentage rule of `#contracts`, unit and category
 * names rather than paths and codes), so a CSV or XLSX file says what the screen said.
 */

/** What turns codes and paths into the names the screen shows, in the viewer's language. */
export interface ReportLabels {
  lang: Lang;
  /** A member category's name; '—' for none (the screen's `organisation.noCategory`). */
  category(code: string | null): string;
  /** A unit's name, by its path. */
  unitName(path: string): string;
  /** The names from the caller's own unit down to this one: "东区分会 / 东区第一小组". */
  unitTrail(path: string): string;
}

const STATUS: Record<string, { zh: string; en: string }> = {
  met: { zh: '已达标', en: 'Met' },
  on_track: { zh: '进度正常', en: 'On track' },
  behind: { zh: '落后', en: 'Behind' },
  not_started: { zh: '未开始', en: 'Not started' },
};

export const statusLabel = (status: string, lang: Lang) => (lang === 'en' ? STATUS[status]?.en : STATUS[status]?.zh) ?? status;

const OUTCOME: Record<ExamOutcome, { zh: string; en: string }> = {
  passed: { zh: '通过', en: 'Passed' },
  failed: { zh: '未通过', en: 'Failed' },
  grading: { zh: '待阅卷', en: 'Awaiting grading' },
  not_taken: { zh: '未参加', en: 'Not taken' },
};

/** An exam outcome as the exam pages word it. */
export const outcomeLabel = (outcome: ExamOutcome, lang: Lang) => (lang === 'en' ? OUTCOME[outcome]?.en : OUTCOME[outcome]?.zh) ?? outcome;

const say = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);
const HOURS_SUFFIX = { zh: '（小时）', en: ' (h)' };

/** A count: the screen's figure, a number in XLSX. */
export const countColumn = <Row>(key: string, zh: string, en: string, get: (row: Row) => number): Column<Row> => ({
  key,
  zh,
  en,
  text: (r) => String(get(r)),
  number: get,
  format: '0',
});

/** A duration as the screen words it ("1 小时 5 分"): the same words in CSV and XLSX. */
export const durationColumn = <Row>(lang: Lang, key: string, zh: string, en: string, seconds: (row: Row) => number): Column<Row> => ({
  key,
  zh,
  en,
  text: (r) => formatDuration(seconds(r), lang),
});

/** The same duration in decimal hours, for sums in a spreadsheet; its heading says it is in hours. */
export const decimalHoursColumn = <Row>(key: string, zh: string, en: string, seconds: (row: Row) => number): Column<Row> => ({
  key,
  zh: `${zh}${HOURS_SUFFIX.zh}`,
  en: `${en}${HOURS_SUFFIX.en}`,
  text: (r) => decimalHours(seconds(r)).toFixed(2),
  number: (r) => decimalHours(seconds(r)),
  format: '0.00',
});

/** A 0..100 figure: "45.5%" on screen and in CSV, 0.455 shown as 45.5% in XLSX. */
const percentColumn = <Row>(key: string, zh: string, en: string, get: (row: Row) => number): Column<Row> => ({
  key,
  zh,
  en,
  text: (r) => percentText(get(r)),
  number: (r) => Math.round(get(r) * 10) / 1000,
  format: '0.0%',
});

/** A 0..1 share: "75.0%". */
const shareColumn = <Row>(key: string, zh: string, en: string, get: (row: Row) => number): Column<Row> => ({
  key,
  zh,
  en,
  text: (r) => shareText(get(r)),
  number: (r) => Math.round(get(r) * 1000) / 1000,
  format: '0.0%',
});

const hoursToSec = (hours: number | null) => Math.round((Number(hours) || 0) * 3600);

/** The plan overview's unit table: one row per unit with its subtree's figures, the hierarchy as a path of names. */
export const overviewColumns = (labels: ReportLabels): Column<UnitRollup>[] => [
  { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.name },
  { key: 'unitPath', zh: '单位路径', en: 'Unit path', text: (r) => labels.unitTrail(r.path) },
  countColumn('members', '应学人数', 'Members', (r) => r.members),
  countColumn('met', '达标人数', 'Met', (r) => r.met),
  percentColumn('percentMet', '达标率', '% met', (r) => r.percentMet),
  countColumn('onTrack', '进度正常', 'On track', (r) => r.onTrack),
  countColumn('behind', '落后', 'Behind', (r) => r.behind),
  countColumn('notStarted', '未开始', 'Not started', (r) => r.notStarted),
  durationColumn(labels.lang, 'averageHours', '人均学时', 'Average hours', (r) => r.averageSec),
  durationColumn(labels.lang, 'totalHours', '总学时', 'Total hours', (r) => r.totalSec),
  decimalHoursColumn('totalHoursDecimal', '总学时', 'Total hours', (r) => r.totalSec),
  countColumn('compulsoryCompleted', '完成必修人数', 'Completed compulsory', (r) => r.compulsoryCompleted),
];

/** A score: "8.5" on screen and in CSV, a number in XLSX; '—' for none. */
const scoreColumn = <Row>(key: string, zh: string, en: string, get: (row: Row) => number | null): Column<Row> => ({
  key,
  zh,
  en,
  text: (r) => {
    const value = get(r);
    return value === null ? '—' : String(value);
  },
  number: get,
  format: '0.##',
});

/** A 0..100 figure that may be missing: "45.5%", '—' for none. */
const optionalPercentColumn = <Row>(key: string, zh: string, en: string, get: (row: Row) => number | null): Column<Row> => ({
  key,
  zh,
  en,
  text: (r) => {
    const value = get(r);
    return value === null ? '—' : percentText(value);
  },
  number: (r) => {
    const value = get(r);
    return value === null ? null : Math.round(value * 100) / 10_000;
  },
  format: '0.0%',
});

/** For each exam a plan requires: the member's outcome and best score, headed by the exam's title. */
const planExamColumns = (lang: Lang, exams: ReadonlyArray<{ examId: string; title: string }>): Column<MemberStanding>[] =>
  exams.flatMap(({ examId, title }, index) => {
    const result = (r: MemberStanding) => r.exams?.find((e) => e.examId === examId);
    return [
      {
        key: `exam${index + 1}Outcome`,
        zh: `${title} 考试结果`,
        en: `${title}: outcome`,
        text: (r: MemberStanding) => outcomeLabel(result(r)?.outcome ?? 'not_taken', lang),
      },
      scoreColumn(`exam${index + 1}Score`, `${title} 成绩`, `${title}: score`, (r: MemberStanding) => result(r)?.score ?? null),
    ];
  });

/** For a plan that requires reflections: how many of the member's count toward it, headed by the number required. */
const planReflectionColumns = (required: number): Column<MemberStanding>[] =>
  required > 0
    ? [
        countColumn(
          'reflectionsAccepted',
          `已认可心得体会（应交 ${required} 篇）`,
          `Reflections accepted (of ${required})`,
          (r: MemberStanding) => r.reflectionsAccepted ?? 0,
        ),
      ]
    : [];

/**
 * The plan members table, as the drill-down shows it, with the unit's path of names beside its name; for a
 * plan that requires exams, each exam's outcome and score, and for one that requires reflections, how many
 * of the member's count (pass what the plan requires, or only its exams, as `requires`).
 */
export const memberColumns = (
  labels: ReportLabels,
  closed: boolean,
  requires: ReadonlyArray<{ examId: string; title: string }> | PlanRequirements = [],
): Column<MemberStanding>[] => {
  const { lang } = labels;
  const { exams, requiredReflections } = 'exams' in requires ? requires : { exams: requires, requiredReflections: 0 };
  return [
    { key: 'name', zh: '姓名', en: 'Name', text: (r) => r.name },
    { key: 'login', zh: '账号', en: 'Login', text: (r) => r.login },
    { key: 'unit', zh: '单位', en: 'Unit', text: (r) => labels.unitName(r.unitPath) },
    { key: 'unitPath', zh: '单位路径', en: 'Unit path', text: (r) => labels.unitTrail(r.unitPath) },
    { key: 'category', zh: '人员类别', en: 'Category', text: (r) => labels.category(r.category) },
    durationColumn(lang, 'earnedHours', '已获学时', 'Hours earned', (r) => r.earnedSec),
    decimalHoursColumn('earnedHoursDecimal', '已获学时', 'Hours earned', (r) => r.earnedSec),
    durationColumn(lang, 'requiredHours', '应修学时', 'Hours required', (r) => hoursToSec(r.requiredHours)),
    durationColumn(lang, 'remainingHours', '尚差学时', 'Hours remaining', (r) => r.remainingSec),
    countColumn('compulsoryMissing', '未完成必修', 'Compulsory missing', (r) => r.compulsoryMissing),
    { key: 'lastStudyDay', zh: '最近学习日期', en: 'Last study date', text: (r) => r.lastStudyDay ?? say(lang, '从未学习', 'Never') },
    ...planExamColumns(lang, exams),
    ...planReflectionColumns(requiredReflections),
    { key: 'status', zh: '状态', en: 'Status', text: (r) => statusLabel(r.status, lang) },
    ...(closed ? [durationColumn(lang, 'makeupHours', '补学学时', 'Make-up hours', (r: MemberStanding) => r.makeupSec ?? 0)] : []),
  ];
};

/**
 * An exam report's members table as the exam report page shows it; a post-test adds the member's pre-test
 * percent and the gain. `time` words a moment on the study calendar ("2026-12-03 14:05").
 */
export const examMemberColumns = (labels: ReportLabels, prePost: boolean, time: (iso: string) => string): Column<ExamMemberRow>[] => {
  const { lang } = labels;
  return [
    { key: 'name', zh: '姓名', en: 'Name', text: (r) => r.member.name },
    { key: 'login', zh: '账号', en: 'Login', text: (r) => r.member.login },
    { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.member.unitName },
    { key: 'unitPath', zh: '单位路径', en: 'Unit path', text: (r) => labels.unitTrail(r.member.unitPath) },
    { key: 'outcome', zh: '考试结果', en: 'Outcome', text: (r) => outcomeLabel(r.outcome, lang) },
    countColumn('attempts', '考试次数', 'Attempts', (r) => r.attempts),
    scoreColumn('bestScore', '最好成绩', 'Best score', (r) => r.bestScore),
    optionalPercentColumn('bestPercent', '得分率', 'Best percent', (r) => r.bestPercent),
    {
      key: 'lastSubmittedAt',
      zh: '最近交卷时间',
      en: 'Last submitted',
      text: (r) => (r.lastSubmittedAt ? time(r.lastSubmittedAt) : '—'),
    },
    ...(prePost
      ? [
          optionalPercentColumn('beforePercent', '前测得分率', 'Pre-test percent', (r: ExamMemberRow) => r.beforePercent),
          {
            key: 'gain',
            zh: '提升（百分点）',
            en: 'Gain (points)',
            text: (r: ExamMemberRow) => (r.gain === null ? '—' : r.gain.toFixed(2)),
            number: (r: ExamMemberRow) => r.gain,
            format: '0.00',
          },
        ]
      : []),
  ];
};

export interface CourseRow {
  courseId: string;
  title: string;
  viewers: number;
  completions: number;
  completionRate: number;
  averageCoverage: number;
  totalHours: number;
  totalSec: number;
}

export const courseColumns = (labels: ReportLabels): Column<CourseRow>[] => [
  { key: 'course', zh: '课程', en: 'Course', text: (r) => r.title },
  countColumn('viewers', '学习人数', 'Viewers', (r) => r.viewers),
  countColumn('completions', '完成讲数', 'Lecture completions', (r) => r.completions),
  shareColumn('completionRate', '完成率', 'Completion rate', (r) => r.completionRate),
  shareColumn('averageCoverage', '平均观看比例', 'Average watched', (r) => r.averageCoverage),
  durationColumn(labels.lang, 'totalHours', '总学时', 'Total hours', (r) => r.totalSec),
  decimalHoursColumn('totalHoursDecimal', '总学时', 'Total hours', (r) => r.totalSec),
];

export interface TrendDay {
  day: string;
  hours: number;
  seconds: number;
  members: number;
}

export const trendColumns = (labels: ReportLabels): Column<TrendDay>[] => [
  { key: 'day', zh: '日期', en: 'Date', text: (r) => r.day },
  durationColumn(labels.lang, 'hours', '学时', 'Hours', (r) => r.seconds),
  decimalHoursColumn('hoursDecimal', '学时', 'Hours', (r) => r.seconds),
  countColumn('members', '学习人数', 'Members studying', (r) => r.members),
];

/** A lecture's audience retention as its chart's table shows it: the position in the video, the share of viewers. */
export const retentionColumns = (): Column<RetentionPoint>[] => [
  { key: 'position', zh: '视频位置', en: 'Position in the video', text: (r) => clock(r.position) },
  shareColumn('share', '观看人数比例', 'Share of viewers', (r) => r.share),
];

/**
 * Each lecture a member studied, as the member detail lists it. Every row names the member (as the members
 * export does), so files of several members can be pasted into one sheet and still be told apart.
 */
export const memberLectureColumns = (
  labels: ReportLabels,
  member: Pick<MemberFacts, 'name' | 'login' | 'unitPath'>,
): Column<MemberLecture>[] => {
  const { lang } = labels;
  return [
    { key: 'name', zh: '姓名', en: 'Name', text: () => member.name },
    { key: 'login', zh: '账号', en: 'Login', text: () => member.login },
    { key: 'unit', zh: '单位', en: 'Unit', text: () => labels.unitName(member.unitPath) },
    { key: 'unitPath', zh: '单位路径', en: 'Unit path', text: () => labels.unitTrail(member.unitPath) },
    { key: 'lecture', zh: '课时', en: 'Lecture', text: (r) => r.title },
    { key: 'course', zh: '课程', en: 'Course', text: (r) => r.courseTitle },
    durationColumn(lang, 'credited', '已计时长', 'Credited', (r) => r.creditedSec),
    decimalHoursColumn('creditedHours', '已计学时', 'Hours credited', (r) => r.creditedSec),
    shareColumn('coverage', '观看比例', 'Watched', (r) => r.coverageRatio),
    {
      key: 'completed',
      zh: '是否学完',
      en: 'Completed',
      text: (r) => (r.completed ? say(lang, '已学完', 'Completed') : say(lang, '未学完', 'Not yet')),
    },
    { key: 'lastStudied', zh: '最近学习', en: 'Last studied', text: (r) => r.lastStudiedDay },
  ];
};
