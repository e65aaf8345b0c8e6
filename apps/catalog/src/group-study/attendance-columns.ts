import { formatDuration, shareText, type GroupReportMemberRow, type GroupReportSessionRow, type GroupReportUnitRow } from '#contracts';
import { countColumn, decimalHoursColumn, durationColumn, type ReportLabels } from '../reports/report-columns.js';
import type { Column, Lang } from '../reports/report-table.js';
import { absenteeLabel, absenteesText } from './attendance-rules.js';

/**
 * The group attendance report's tables as the page shows them (`groupAttendance.col.*`), so the CSV and XLSX files
 * say what the screen says: names rather than paths and codes, the shared duration and percentage rule.
 */

const say = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** A 0..1 share that may be missing: "75.0%", '—' when nothing was held; a number in XLSX. */
const rateColumn = <Row>(key: string, zh: string, en: string, get: (row: Row) => number | null): Column<Row> => ({
  key,
  zh,
  en,
  text: (r) => {
    const value = get(r);
    return value === null ? '—' : shareText(value);
  },
  number: (r) => {
    const value = get(r);
    return value === null ? null : Math.round(value * 1000) / 1000;
  },
  format: '0.0%',
});

export const unitAttendanceColumns = (labels: ReportLabels): Column<GroupReportUnitRow>[] => [
  { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.unitName },
  { key: 'unitPath', zh: '单位路径', en: 'Unit path', text: (r) => labels.unitTrail(r.unitPath) },
  countColumn('collectiveSessions', '集体收看场次', 'Collective viewings', (r) => r.collectiveSessions),
  countColumn('inPersonSessions', '现场学习场次', 'In-person sessions', (r) => r.inPersonSessions),
  countColumn('attendances', '出勤人次', 'Attendances', (r) => r.attendances),
  countColumn('rosterPlaces', '应到人次', 'Roster places', (r) => r.rosterPlaces),
  rateColumn('attendanceRate', '出勤率', 'Attendance rate', (r) => r.attendanceRate),
  durationColumn(labels.lang, 'creditedHours', '计入学时', 'Hours credited', (r) => r.creditedSec),
  decimalHoursColumn('creditedHoursDecimal', '计入学时', 'Hours credited', (r) => r.creditedSec),
];

export const memberAttendanceColumns = (labels: ReportLabels): Column<GroupReportMemberRow>[] => [
  { key: 'name', zh: '姓名', en: 'Name', text: (r) => r.name },
  { key: 'login', zh: '登录名', en: 'Login', text: (r) => r.login },
  { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.unitName },
  countColumn('sessionsHeld', '应参加场次', 'Sessions held for them', (r) => r.sessionsHeld),
  countColumn('attended', '出勤', 'Attended', (r) => r.attended),
  countColumn('absent', '缺勤', 'Absent', (r) => r.absent),
  countColumn('late', '迟到', 'Late', (r) => r.late),
  countColumn('recordedAfterwards', '事后补记', 'Recorded afterwards', (r) => r.recordedAfterwards),
  rateColumn('attendanceRate', '出勤率', 'Attendance rate', (r) => r.attendanceRate),
  durationColumn(labels.lang, 'creditedHours', '计入学时', 'Hours credited', (r) => r.creditedSec),
  decimalHoursColumn('creditedHoursDecimal', '计入学时', 'Hours credited', (r) => r.creditedSec),
];

const KIND = {
  collective: { zh: '集体收看', en: 'Collective viewing' },
  in_person: { zh: '现场学习', en: 'In person' },
} as const;

export const sessionKindLabel = (kind: GroupReportSessionRow['kind'], lang: Lang) => say(lang, KIND[kind].zh, KIND[kind].en);

export const sessionAttendanceColumns = (labels: ReportLabels): Column<GroupReportSessionRow>[] => [
  { key: 'day', zh: '日期', en: 'Date', text: (r) => r.day },
  { key: 'kind', zh: '形式', en: 'Kind', text: (r) => sessionKindLabel(r.kind, labels.lang) },
  { key: 'title', zh: '内容', en: 'Lecture or topic', text: (r) => r.title },
  { key: 'unit', zh: '组织单位', en: 'Held by', text: (r) => r.unitName },
  countColumn('attendances', '出勤人次', 'Attendances', (r) => r.attendances),
  countColumn('rosterPlaces', '应到人次', 'Roster places', (r) => r.rosterPlaces),
  rateColumn('attendanceRate', '出勤率', 'Attendance rate', (r) => r.attendanceRate),
  countColumn('late', '迟到', 'Late', (r) => r.late),
  countColumn('absent', '缺勤', 'Absent', (r) => r.absent),
  {
    key: 'absentees',
    zh: '缺勤人员',
    en: 'Absentees',
    text: (r) =>
      absenteesText(
        r.absentees.map((a) => absenteeLabel(a.name, a.login, labels.lang)),
        r.absent,
        labels.lang,
      ),
  },
  countColumn('makeupGiven', '已安排补学', 'Given make-up', (r) => r.makeupGiven),
  { key: 'creditedHours', zh: '计入学时', en: 'Hours credited', text: (r) => formatDuration(r.creditedSec, labels.lang) },
];
