import type { QuestionImportRow, QuestionKind } from '#contracts';
import { CsvFileError } from '../../members/member-csv.js';
import { checkQuestion, OPTION_KEYS, type RawQuestion } from './question-rules.js';

/** The most questions one file may hold: larger banks are imported in parts, so a preview stays readable. */
export const MAX_QUESTION_ROWS = 2000;

type Field = 'kind' | 'stem' | 'answer' | 'points' | 'explanation' | 'topic' | 'difficulty' | 'tags' | `option${string}`;

// Headers in either language import without renaming; spaces and case do not matter.
const HEADER_ALIASES: Record<string, Field> = {
  题型: 'kind',
  类型: 'kind',
  kind: 'kind',
  type: 'kind',
  题干: 'stem',
  题目: 'stem',
  stem: 'stem',
  question: 'stem',
  答案: 'answer',
  正确答案: 'answer',
  answer: 'answer',
  key: 'answer',
  分值: 'points',
  分数: 'points',
  points: 'points',
  score: 'points',
  解析: 'explanation',
  答案解析: 'explanation',
  explanation: 'explanation',
  主题: 'topic',
  知识点: 'topic',
  topic: 'topic',
  难度: 'difficulty',
  difficulty: 'difficulty',
  标签: 'tags',
  tags: 'tags',
};

/** The template's header, in its order (Chinese; English headers are read too). */
export const TEMPLATE_HEADER = ['题型', '题干', ...OPTION_KEYS.map((k) => `选项${k}`), '答案', '分值', '解析', '主题', '难度', '标签'];

/** The template's two example rows: a single-choice and a fill-in-the-blank question. */
export const TEMPLATE_ROWS: string[][] = [
  [
    '单选',
    '中国共产党第一次全国代表大会在哪一年召开？',
    '1919年',
    '1921年',
    '1927年',
    '1949年',
    '',
    '',
    '',
    '',
    'B',
    '2',
    '中共一大于1921年7月在上海召开。',
    '党史',
    '1',
    '建党,一大',
  ],
  [
    '填空',
    '中共一大在____召开，最后一天转移到____南湖的游船上举行。',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '上海|上海市||嘉兴|浙江嘉兴',
    '2',
    '每个空格的答案用 || 分开，同一空格可接受的几种写法用 | 分开。',
    '党史',
    '2',
    '建党',
  ],
];

function fieldOf(header: string): Field | undefined {
  const key = header
    .replace(/^\ufeff/, '')
    .replace(/\s+/g, '')
    .toLowerCase();
  const option = /^(?:选项|option)([a-h])$/.exec(key);
  if (option) return `option${option[1].toUpperCase()}`;
  return HEADER_ALIASES[key];
}

const KIND_WORDS: Record<string, QuestionKind> = {
  单选: 'single',
  单选题: 'single',
  单项选择: 'single',
  单项选择题: 'single',
  single: 'single',
  singlechoice: 'single',
  single_choice: 'single',
  多选: 'multiple',
  多选题: 'multiple',
  多项选择: 'multiple',
  多项选择题: 'multiple',
  multiple: 'multiple',
  multiplechoice: 'multiple',
  multiple_choice: 'multiple',
  判断: 'true_false',
  判断题: 'true_false',
  是非题: 'true_false',
  true_false: 'true_false',
  'true/false': 'true_false',
  truefalse: 'true_false',
  填空: 'fill_blank',
  填空题: 'fill_blank',
  fill_blank: 'fill_blank',
  fillblank: 'fill_blank',
  fillintheblank: 'fill_blank',
  简答: 'short_answer',
  简答题: 'short_answer',
  问答题: 'short_answer',
  论述题: 'short_answer',
  short_answer: 'short_answer',
  shortanswer: 'short_answer',
};

const TRUE_WORDS = new Set(['对', '正确', '是', '√', '✓', 't', 'true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['错', '错误', '否', '×', '✗', 'x', 'f', 'false', 'no', 'n', '0']);

/**
 * Reads the rows of a question file (CSV or the first sheet of an .xlsx): the first non-blank row names the
 * columns; each later non-blank row becomes a question, or the reasons it cannot, by the same rules as a
 * question typed in the bank. Row numbers are the spreadsheet's (header = 1 when it is the first row).
 */
export function parseQuestionRows(records: string[][], ownerUnitId: string): QuestionImportRow[] {
  const headerIndex = records.findIndex((record) => record.some((cell) => cell.trim()));
  if (headerIndex < 0) {
    throw new CsvFileError(
      'empty',
      'The file is empty. Its first row must name the columns: 题型/kind, 题干/stem, 选项A..选项H, 答案/answer, 分值/points, 解析/explanation, 主题/topic, 难度/difficulty, 标签/tags. Download the template to start from.',
    );
  }
  const fields = records[headerIndex].map((cell) => fieldOf(cell));
  const missing = (['kind', 'stem', 'answer'] as const).filter((f) => !fields.includes(f));
  if (missing.length) {
    const names = { kind: '题型/kind', stem: '题干/stem', answer: '答案/answer' };
    throw new CsvFileError(
      'missing-columns',
      `Missing column(s): ${missing.map((m) => names[m]).join(', ')}. The first row must name the columns as the template does; download the template to compare.`,
      { columns: missing.join(', ') },
    );
  }
  const body = records.slice(headerIndex + 1);
  const filled = body.filter((record) => record.some((cell) => cell.trim())).length;
  if (filled === 0) throw new CsvFileError('no-rows', 'The file has a header row but no questions under it.');
  if (filled > MAX_QUESTION_ROWS) {
    throw new CsvFileError('too-many', `The file has more than ${MAX_QUESTION_ROWS} questions. Split it into smaller files.`);
  }
  const rows: QuestionImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  body.forEach((record, i) => {
    if (!record.some((cell) => cell.trim())) return;
    const row = headerIndex + i + 2;
    const cell = (field: Field) => {
      const index = fields.indexOf(field);
      return index >= 0 ? (record[index] ?? '').trim() : '';
    };
    const read = readRow(cell, ownerUnitId);
    const errors = [...read.errors];
    let question = null;
    if (read.raw) {
      const checked = checkQuestion(read.raw);
      errors.push(...checked.errors.map(inColumns));
      question = checked.question;
      if (question) {
        const same = `${question.kind}\u0000${question.stem}`;
        const earlier = firstRowOf.get(same);
        if (earlier !== undefined) errors.push(`题干/stem: the same question as row ${earlier}; remove one of the two.`);
        else firstRowOf.set(same, row);
      }
    }
    rows.push({ row, question: errors.length ? null : question, errors });
  });
  return rows;
}

/** Names a checked field by its column, as the file's header does. */
function inColumns(message: string): string {
  const columns: Record<string, string> = {
    stem: '题干/stem',
    options: '选项/options',
    answer: '答案/answer',
    points: '分值/points',
    explanation: '解析/explanation',
    topic: '主题/topic',
    difficulty: '难度/difficulty',
    tags: '标签/tags',
  };
  const match = /^(\w+): /.exec(message);
  return match && columns[match[1]] ? `${columns[match[1]]}: ${message.slice(match[0].length)}` : message;
}

function readRow(cell: (field: Field) => string, ownerUnitId: string): { raw: RawQuestion | null; errors: string[] } {
  const errors: string[] = [];
  const kindText = cell('kind');
  const kind = KIND_WORDS[kindText.replace(/\s+/g, '').toLowerCase()];
  if (!kindText)
    errors.push('题型/kind: write the kind: 单选, 多选, 判断, 填空 or 简答 (single, multiple, true_false, fill_blank, short_answer).');
  else if (!kind) {
    errors.push(
      `题型/kind: "${kindText.slice(0, 20)}" is not a kind; write 单选, 多选, 判断, 填空 or 简答 (single, multiple, true_false, fill_blank, short_answer).`,
    );
  }
  const options = OPTION_KEYS.map((key) => ({ key, text: cell(`option${key}`) })).filter((o) => o.text);
  const answerText = cell('answer');
  let answer: RawQuestion['answer'] = {};
  if (kind && !answerText && kind !== 'short_answer') errors.push('答案/answer: write the correct answer.');
  else if (kind === 'single' || kind === 'multiple') {
    const letters = answerText.replace(/[\s,，、;；]+/g, '').toUpperCase();
    if (!/^[A-H]+$/.test(letters)) {
      errors.push(`答案/answer: "${answerText.slice(0, 20)}" is not option letters; write the correct letter(s), e.g. B or AC.`);
    } else answer = { keys: [...letters] };
  } else if (kind === 'true_false') {
    const word = answerText.toLowerCase();
    if (TRUE_WORDS.has(word)) answer = { value: true };
    else if (FALSE_WORDS.has(word)) answer = { value: false };
    else errors.push(`答案/answer: "${answerText.slice(0, 20)}" is neither true nor false; write 对 or 错 (true or false).`);
  } else if (kind === 'fill_blank') {
    answer = { blanks: answerText.split(/\|\||｜｜/).map((blank) => blank.split(/[|｜]/)) };
  } else if (kind === 'short_answer') {
    answer = { reference: answerText };
  }
  const pointsText = cell('points');
  const points = pointsText ? Number(pointsText) : 1;
  if (pointsText && !Number.isFinite(points))
    errors.push(`分值/points: "${pointsText.slice(0, 20)}" is not a number; write the points, e.g. 2.`);
  const difficultyText = cell('difficulty');
  const difficulty = difficultyText ? Number(difficultyText) : null;
  if (difficultyText && !Number.isFinite(difficulty)) {
    errors.push(`难度/difficulty: "${difficultyText.slice(0, 20)}" is not a number; write 1 (easy) to 5 (hard), or leave it empty.`);
  }
  if (!kind || errors.length) return { raw: null, errors };
  return {
    raw: {
      kind,
      stem: cell('stem'),
      options: kind === 'single' || kind === 'multiple' ? options : [],
      answer,
      points,
      explanation: cell('explanation'),
      topic: cell('topic') || null,
      courseId: null,
      lectureId: null,
      difficulty,
      tags: cell('tags').split(/[,，、;；|]/),
      imageId: null,
      ownerUnitId,
    },
    errors,
  };
}
