import { shareText } from '#contracts';
import type { NonRespondent, TextAnswer, UnitResponseRate } from '#contracts';
import { countColumn } from '../../reports/report-columns.js';
import type { Column } from '../../reports/report-table.js';

/**
 * The tables of the results pages, labelled and filled as the pages show them (apps/web/client:
 * `questionnaireResults.*`), so that a CSV or XLSX file says what the screen said.
 */

/** What members wrote: the answer and the unit it may be told of; for named questionnaires also who and when. */
export const textAnswerColumns = (anonymous: boolean, time: (iso: string) => string): Column<TextAnswer>[] => [
  { key: 'text', zh: '回答', en: 'Answer', text: (r) => r.text },
  ...(anonymous
    ? []
    : [
        { key: 'member', zh: '姓名', en: 'Name', text: (r: TextAnswer) => r.memberName ?? '—' },
        { key: 'submittedAt', zh: '提交时间', en: 'Submitted', text: (r: TextAnswer) => (r.submittedAt ? time(r.submittedAt) : '—') },
      ]),
  { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.unitName ?? '—' },
];

/** The response rate of each unit, with the units below it. */
export const rateColumns = (): Column<UnitResponseRate>[] => [
  { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.name },
  countColumn('audience', '应答人数', 'Asked', (r) => r.audience),
  countColumn('responded', '已答人数', 'Answered', (r) => r.responded),
  {
    key: 'rate',
    zh: '答复率',
    en: 'Response rate',
    text: (r) => (r.rate === null ? '—' : shareText(r.rate)),
    number: (r) => (r.rate === null ? null : Math.round(r.rate * 1000) / 1000),
    format: '0.0%',
  },
];

/** The members not yet answered: who to phone, and where; what contact the system keeps is their login. */
export const nonRespondentColumns = (lang: 'zh-CN' | 'en'): Column<NonRespondent>[] => [
  { key: 'name', zh: '姓名', en: 'Name', text: (r) => r.name },
  { key: 'login', zh: '用户名', en: 'Login', text: (r) => r.login },
  { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.unitName },
  { key: 'category', zh: '人员类别', en: 'Category', text: (r) => r.category ?? '—' },
  {
    key: 'started',
    zh: '填写情况',
    en: 'Progress',
    text: (r) => (r.started ? (lang === 'en' ? 'Started, not submitted' : '已开始，未提交') : lang === 'en' ? 'Not started' : '未开始'),
  },
];
