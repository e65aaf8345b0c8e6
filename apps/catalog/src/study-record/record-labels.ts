import type { HoursRule, PlanStatus } from '#contracts';

export type RecordLang = 'zh-CN' | 'en';

/** Words of the printed study record, in the language it was issued in. */
export const RECORD_LABELS = {
  'zh-CN': {
    title: '个人学习档案',
    name: '姓名',
    login: '登录名',
    unit: '所在单位',
    issued: '出具时间',
    number: '档案编号',
    noPlans: '没有需要完成的学习计划。',
    period: '学习期',
    required: '应学',
    earned: '已学',
    status: '状态',
    closed: '计划已于 {date} 结束，以下为结束时确定的结果。',
    byRule: '学时来源',
    lectures: '已学完的课程',
    noLectures: '这个计划中还没有学完的讲次。',
    course: '课程',
    lecture: '讲次',
    completedOn: '完成日期',
    credited: '计入时长',
    exams: '通过的考试',
    exam: '考试',
    passedOn: '通过日期',
    score: '成绩',
    verify: '扫描二维码或打开下面的网址，可以核对本档案的真实性：',
    footer: '档案编号 {code} · 第 {page} 页，共 {pages} 页',
    modes: { watch_time: '按观看时长计', per_lecture: '按讲次完成计' },
    status_: { met: '已达标', on_track: '进度正常', behind: '落后', not_started: '未开始' } satisfies Record<PlanStatus, string>,
    closedResult: { met: '已达标', notMet: '未达标' },
    rules: {
      watch_time: '按观看时长计',
      per_lecture: '按讲次完成计',
      compulsory: '必修讲次',
      makeup: '补学期内',
      exam: '考试通过计入',
      frozen: '结束时确定的结果',
    } satisfies Record<HoursRule, string>,
    beijing: '北京时间',
    colon: '：',
    aside: (text: string) => `（${text}）`,
  },
  en: {
    title: 'Personal study record',
    name: 'Name',
    login: 'Login',
    unit: 'Unit',
    issued: 'Issued',
    number: 'Record number',
    noPlans: 'No study plans to complete.',
    period: 'Period',
    required: 'Required',
    earned: 'Earned',
    status: 'Status',
    closed: 'The plan was closed on {date}; these are its results as fixed then.',
    byRule: 'Where the hours come from',
    lectures: 'Lectures completed',
    noLectures: 'No lecture of this plan completed yet.',
    course: 'Course',
    lecture: 'Lecture',
    completedOn: 'Completed',
    credited: 'Credited',
    exams: 'Exams passed',
    exam: 'Exam',
    passedOn: 'Passed',
    score: 'Score',
    verify: 'Scan the QR code or open the address below to check that this record is genuine:',
    footer: 'Record number {code} · page {page} of {pages}',
    modes: { watch_time: 'by watch time', per_lecture: 'by lectures completed' },
    status_: { met: 'Met', on_track: 'On track', behind: 'Behind', not_started: 'Not started' } satisfies Record<PlanStatus, string>,
    closedResult: { met: 'Met', notMet: 'Not met' },
    rules: {
      watch_time: 'By watch time',
      per_lecture: 'By lectures completed',
      compulsory: 'Compulsory lectures',
      makeup: 'In the make-up window',
      exam: 'Exams passed',
      frozen: 'Result fixed at closing',
    } satisfies Record<HoursRule, string>,
    beijing: 'Beijing time',
    colon: ': ',
    aside: (text: string) => ` (${text})`,
  },
} as const;

export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

/** "2026-12-04 09:05" in `timeZone`. */
export function localDateTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** "2026-12-04 09:05（北京时间）" / "2026-12-04 09:05 (Beijing time)"; other zones by their IANA name. */
export function issuedText(iso: string, timeZone: string, lang: RecordLang): string {
  const zone = timeZone === 'Asia/Shanghai' ? RECORD_LABELS[lang].beijing : timeZone;
  return `${localDateTime(iso, timeZone)}${RECORD_LABELS[lang].aside(zone)}`;
}
