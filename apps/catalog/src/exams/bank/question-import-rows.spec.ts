import { describe, expect, it } from '@jest/globals';
import { CsvFileError } from '../../members/member-csv.js';
import { parseQuestionRows, TEMPLATE_HEADER, TEMPLATE_ROWS } from './question-import-rows.js';

const UNIT = '00000000-0000-4000-8000-000000000001';
const rowsOf = (records: string[][]) => parseQuestionRows(records, UNIT);
const one = (header: string[], row: string[]) => rowsOf([header, row])[0];

describe('parseQuestionRows', () => {
  it('reads the template as it is', () => {
    const rows = rowsOf([TEMPLATE_HEADER, ...TEMPLATE_ROWS]);
    expect(rows.map((r) => r.errors)).toEqual([[], []]);
    expect(rows.map((r) => r.question?.kind)).toEqual(['single', 'fill_blank']);
    expect(rows[1].question?.answer).toEqual({
      blanks: [
        ['上海', '上海市'],
        ['嘉兴', '浙江嘉兴'],
      ],
    });
    expect(rows[0].question).toMatchObject({ ownerUnitId: UNIT, tags: ['建党', '一大'], difficulty: 1, points: 2 });
  });

  it.each<[string, string, { keys?: string[]; value?: boolean }]>([
    ['单选', 'b', { keys: ['B'] }],
    ['多选', 'A,C', { keys: ['A', 'C'] }],
    ['多选题', 'A、B C', { keys: ['A', 'B', 'C'] }],
    ['multiple choice', 'CA', { keys: ['A', 'C'] }],
    ['判断', '正确', { value: true }],
    ['判断题', '×', { value: false }],
    ['true/false', 'False', { value: false }],
  ])('reads kind %s with answer %s', (kind, answer, key) => {
    const row = one(
      ['题型', '题干', '选项A', '选项B', '选项C', '答案'],
      [kind, '题', ...(/判断|true/.test(kind) ? ['', '', ''] : ['甲', '乙', '丙']), answer],
    );
    expect(row.errors).toEqual([]);
    expect(row.question?.answer).toEqual(key);
  });

  it('reads English headers, spaces and case aside', () => {
    const row = one(
      ['Kind', 'Stem', 'Option A', 'OPTION B', 'Answer', 'Points', 'Topic'],
      ['single', 'Which?', 'x', 'y', 'A', '1.5', 'History'],
    );
    expect(row).toMatchObject({ row: 2, errors: [], question: { points: 1.5, topic: 'History', options: [{ key: 'A' }, { key: 'B' }] } });
  });

  it('counts rows as the spreadsheet does, blank rows and rows above the header included', () => {
    const rows = rowsOf([[], ['题型', '题干', '答案'], ['简答', '谈体会', ''], [''], ['简答', '再谈体会', '参考']]);
    expect(rows.map((r) => r.row)).toEqual([3, 5]);
    expect(rows[1].question?.answer).toEqual({ reference: '参考' });
  });

  it.each<[string[], string]>([
    [['论文', '题', '', '', 'A'], '题型/kind: "论文" is not a kind'],
    [['', '题', '', '', 'A'], '题型/kind: write the kind'],
    [['单选', '题', '甲', '乙', ''], '答案/answer: write the correct answer'],
    [['单选', '题', '甲', '乙', '甲'], 'is not option letters'],
    [['单选', '', '甲', '乙', 'A'], '题干/stem: write the question'],
    [['单选', '题', '甲', '', 'A'], '选项/options: a single-choice question needs at least 2 options'],
    [['判断', '题', '', '', '也许'], 'is neither true nor false'],
    [['填空', '没有空', '', '', '甲'], 'mark each blank'],
  ])('says what is wrong with %j', (cells, message) => {
    const row = one(['题型', '题干', '选项A', '选项B', '答案'], cells);
    expect(row.question).toBeNull();
    expect(row.errors.join(' | ')).toContain(message);
  });

  it('refuses a file without the needed columns or rows', () => {
    expect(() => rowsOf([])).toThrow(CsvFileError);
    expect(() => rowsOf([['题型', '题干']])).toThrow('Missing column(s): 答案/answer');
    expect(() => rowsOf([['题型', '题干', '答案']])).toThrow('no questions under it');
  });
});
