import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let editor: string;
let admin: string;
beforeAll(async () => {
  catalog = await startCatalog();
  [editor, admin] = await Promise.all([catalog.tokenFor('editor'), catalog.tokenFor('admin')]);
}, 60_000);
afterAll(() => catalog.close());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const upload = (body: Buffer, { token = editor, type = 'text/csv', fileName = 'questions.csv', ownerUnitId = '' } = {}) =>
  catalog
    .http()
    .post(`/api/exam-question-imports?fileName=${encodeURIComponent(fileName)}${ownerUnitId ? `&ownerUnitId=${ownerUnitId}` : ''}`)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', type)
    .send(body);
const confirm = (id: string, token = editor) =>
  catalog.http().post(`/api/exam-question-imports/${id}/confirm`).set('Authorization', `Bearer ${token}`);
const bankSize = async () => (await catalog.dataSource.query(`SELECT count(*)::int AS n FROM exam_questions`))[0].n as number;

// The GB18030 bytes of the Chinese words the GBK file uses (from `iconv -f UTF-8 -t GB18030`): Node has no GBK encoder.
const GBK: Record<string, string> = {
  题型: 'cce2d0cd',
  题干: 'cce2b8c9',
  选项: 'd1a1cfee',
  答案: 'b4f0b0b8',
  分值: 'b7d6d6b5',
  单选: 'b5a5d1a1',
  判断: 'c5d0b6cf',
  填空: 'cceebfd5',
  北京: 'b1b1bea9',
  天津: 'ccecbdf2',
  上海: 'c9cfbaa3',
  中国的首都是: 'd6d0b9fab5c4cad7b6bccac7',
  中国的首都是哪个城市: 'd6d0b9fab5c4cad7b6bccac7c4c4b8f6b3c7cad0',
  中国的首都是北京: 'd6d0b9fab5c4cad7b6bccac7b1b1bea9',
  '？': 'a3bf',
  '。': 'a1a3',
  对: 'b6d4',
  主题: 'd6f7cce2',
  地理: 'b5d8c0ed',
};
function gbk(text: string): Buffer {
  const parts: Buffer[] = [];
  for (const piece of text.split(/([\u3400-\u9fff]+|[？。])/)) {
    if (!piece) continue;
    if (/[\u3400-\u9fff？。]/.test(piece)) {
      if (!GBK[piece]) throw new Error(`no GBK bytes for ${piece}`);
      parts.push(Buffer.from(GBK[piece], 'hex'));
    } else parts.push(Buffer.from(piece, 'ascii'));
  }
  return Buffer.concat(parts);
}

describe('question import', () => {
  it('reads an .xlsx file, lists what is wrong row by row, and adds only the valid rows once confirmed', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('题库');
    sheet.addRow(['题型', '题干', '选项A', '选项B', '选项C', '选项D', '答案', '分值', '解析', '主题', '难度', '标签']);
    sheet.addRow(['单选', '中共一大在哪一年召开？', '1919', '1921', '1927', '', 'B', 2, '1921年7月', '党史', 1, '建党，一大']);
    sheet.addRow(['多选', '下列属于四个意识的是', '政治意识', '大局意识', '核心意识', '看齐意识', 'A,B,C,D', 4, '', '理论', '', '']);
    sheet.addRow(['判断', '中共一大在北京召开。', '', '', '', '', '错', '', '', '党史', '', '']);
    sheet.addRow(['填空', '中共一大在____召开，后转移到____。', '', '', '', '', '上海|上海市||嘉兴', 2, '', '党史', '', '']);
    sheet.addRow(['简答', '谈谈学习党史的体会。', '', '', '', '', '', 10, '', '', '', '']);
    sheet.addRow([]); // a blank row keeps the row numbers as the spreadsheet shows them
    sheet.addRow(['单选', '两个答案的单选题', '甲', '乙', '', '', 'AB', 1, '', '', '', '']);
    sheet.addRow(['填空', '只有一个空____', '', '', '', '', '甲||乙', 1, '', '', '', '']);
    sheet.addRow(['论文', '不认识的题型', '', '', '', '', 'A', 1, '', '', '', '']);
    sheet.addRow(['判断', '是非不明', '', '', '', '', '也许', 'two', '', '', '', '']);
    sheet.addRow(['单选', '中共一大在哪一年召开？', '1919', '1921', '', '', 'B', 2, '', '', '', '']);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());

    const before = await bankSize();
    const preview = await upload(data, { type: XLSX, fileName: '党史题库.xlsx' });
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ fileName: '党史题库.xlsx', encoding: 'xlsx', acceptCount: 5, rejectCount: 5 });
    expect(await bankSize()).toBe(before);
    const byRow = new Map(preview.body.rows.map((r: { row: number }) => [r.row, r]));
    expect(byRow.get(2)).toMatchObject({
      errors: [],
      question: { kind: 'single', answer: { keys: ['B'] }, points: 2, topic: '党史', difficulty: 1, tags: ['建党', '一大'] },
    });
    expect(byRow.get(3)).toMatchObject({ question: { kind: 'multiple', answer: { keys: ['A', 'B', 'C', 'D'] }, points: 4 } });
    expect(byRow.get(4)).toMatchObject({ question: { kind: 'true_false', answer: { value: false }, points: 1 } });
    expect(byRow.get(5)).toMatchObject({ question: { kind: 'fill_blank', answer: { blanks: [['上海', '上海市'], ['嘉兴']] } } });
    expect(byRow.get(6)).toMatchObject({ question: { kind: 'short_answer', answer: { reference: '' }, points: 10 } });
    expect(byRow.has(7)).toBe(false);
    const errorsOf = (row: number) => (byRow.get(row) as { errors: string[]; question: unknown }).errors.join(' | ');
    expect(errorsOf(8)).toContain('答案/answer: a single-choice question has exactly one correct option');
    expect(errorsOf(9)).toContain('the stem has 1 blank but the answer gives 2');
    expect(errorsOf(10)).toContain('题型/kind: "论文" is not a kind');
    expect(errorsOf(11)).toContain('答案/answer: "也许" is neither true nor false');
    expect(errorsOf(11)).toContain('分值/points: "two" is not a number');
    expect(errorsOf(12)).toContain('the same question as row 2');
    for (const row of [8, 9, 10, 11, 12]) expect((byRow.get(row) as { question: unknown }).question).toBeNull();

    const done = await confirm(preview.body.batchId);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ created: 5, rejected: 5 });
    expect(await bankSize()).toBe(before + 5);
    const stored = await catalog.dataSource.query(
      `SELECT q.kind, q.stem, o.path FROM exam_questions q JOIN org_units o ON o.id = q.owner_unit_id
        WHERE q.id = ANY($1::uuid[]) ORDER BY q.created_at`,
      [done.body.questionIds],
    );
    expect(stored.map((q: { kind: string }) => q.kind)).toEqual(['single', 'multiple', 'true_false', 'fill_blank', 'short_answer']);
    expect(stored.every((q: { path: string }) => q.path === 'committee')).toBe(true);

    const again = await confirm(preview.body.batchId);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already confirmed');
    expect(await bankSize()).toBe(before + 5);
  });

  it('reads a GBK CSV with English or Chinese headers, and refuses an expired preview', async () => {
    const file = gbk(
      [
        '题型,题干,选项A,选项B,选项C,答案,分值,主题',
        '单选,中国的首都是哪个城市？,北京,天津,上海,A,1,地理',
        '判断,中国的首都是北京。,,,,对,1,地理',
        '单选,中国的首都是？,北京,天津,上海,D,1,地理',
      ].join('\r\n'),
    );
    const preview = await upload(file, { fileName: 'gbk.csv' });
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ encoding: 'gb18030', acceptCount: 2, rejectCount: 1 });
    expect(preview.body.rows[0]).toMatchObject({
      row: 2,
      question: {
        stem: '中国的首都是哪个城市？',
        options: [
          { key: 'A', text: '北京' },
          { key: 'B', text: '天津' },
          { key: 'C', text: '上海' },
        ],
        topic: '地理',
      },
    });
    expect(preview.body.rows[1]).toMatchObject({ row: 3, question: { kind: 'true_false', answer: { value: true } } });
    expect(preview.body.rows[2].errors.join(' ')).toContain('"D" is not one of the options (A, B, C)');

    await catalog.dataSource.query(`UPDATE exam_question_imports SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      preview.body.batchId,
    ]);
    const late = await confirm(preview.body.batchId);
    expect(late.status).toBe(410);
    expect(late.body.message).toContain('Upload the file again');

    const english = await upload(Buffer.from('kind,stem,option A,option B,answer\nsingle,Which year?,1919,1921,B\n'), {
      fileName: 'en.csv',
    });
    expect(english.status).toBe(201);
    expect(english.body).toMatchObject({ encoding: 'utf-8', acceptCount: 1, rejectCount: 0 });
  });

  it('says what is wrong with a whole file, and keeps imports to their editor and subtree', async () => {
    const noAnswer = await upload(Buffer.from('题型,题干\n单选,题\n'));
    expect(noAnswer.status).toBe(400);
    expect(noAnswer.body.message).toContain('Missing column(s): 答案/answer');
    const notXlsx = await upload(Buffer.from('not a workbook'), { type: XLSX, fileName: 'x.xlsx' });
    expect(notXlsx.status).toBe(400);
    expect(notXlsx.body.message).toContain('not an .xlsx workbook');
    const json = await catalog
      .http()
      .post('/api/exam-question-imports')
      .set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'application/json')
      .send({});
    expect(json.status).toBe(415);

    const preview = await upload(Buffer.from('题型,题干,选项A,选项B,答案\n单选,题一,甲,乙,A\n'));
    expect(preview.status).toBe(201);
    // Only the editor who made the preview confirms it; admins do not import questions.
    expect((await confirm(preview.body.batchId, admin)).status).toBe(403);
    const [{ id: eastId }] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/east'`);
    const toEast = await upload(Buffer.from('题型,题干,选项A,选项B,答案\n单选,东区题,甲,乙,A\n'), { ownerUnitId: eastId });
    expect(toEast.status).toBe(201);
    const done = await confirm(toEast.body.batchId);
    const [owner] = await catalog.dataSource.query(
      `SELECT o.path FROM exam_questions q JOIN org_units o ON o.id = q.owner_unit_id WHERE q.id = $1`,
      [done.body.questionIds[0]],
    );
    expect(owner.path).toBe('committee/east');
  });

  it('offers the template as .xlsx and CSV, and the template imports as it is', async () => {
    const xlsx = await catalog
      .http()
      .get('/api/exam-question-imports/template.xlsx')
      .set('Authorization', `Bearer ${editor}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ArrayBuffer);
    const header = workbook.worksheets[0].getRow(1).values as unknown[];
    expect(header.slice(1, 3)).toEqual(['题型', '题干']);
    const fromXlsx = await upload(xlsx.body as Buffer, { type: XLSX, fileName: 'template.xlsx' });
    expect(fromXlsx.body).toMatchObject({ acceptCount: 2, rejectCount: 0 });
    expect(fromXlsx.body.rows.map((r: { question: { kind: string } }) => r.question.kind)).toEqual(['single', 'fill_blank']);

    const csv = await catalog.http().get('/api/exam-question-imports/template.csv').set('Authorization', `Bearer ${editor}`);
    expect(csv.status).toBe(200);
    expect(csv.text.startsWith('\ufeff题型,题干,选项A')).toBe(true);
    const fromCsv = await upload(Buffer.from(csv.text, 'utf8'), { fileName: 'template.csv' });
    expect(fromCsv.body).toMatchObject({ encoding: 'utf-8-bom', acceptCount: 2, rejectCount: 0 });
  });
});
