import type { DataSource, EntityManager } from 'typeorm';
import type { QuestionAnswerKey, QuestionKind, QuestionOption } from '#contracts';
import type { BankQuestion, DrawRule } from '#exams';

/** A question row as the bank's queries select it (`QUESTION_COLUMNS`). */
export interface QuestionRow {
  id: string;
  kind: QuestionKind;
  stem: string;
  options: QuestionOption[];
  answer: QuestionAnswerKey;
  points: string;
  explanation: string;
  topic: string | null;
  course_id: string | null;
  lecture_id: string | null;
  difficulty: number | null;
  image_id: string | null;
}

/** The columns of `exam_questions` (alias `q`) that make a `BankQuestion`. */
export const QUESTION_COLUMNS = `q.id, q.kind, q.stem, q.options, q.answer, q.points, q.explanation, q.topic,
  q.course_id, q.lecture_id, q.difficulty, q.image_id`;

export function bankQuestionOf(row: QuestionRow): BankQuestion {
  return {
    id: row.id,
    kind: row.kind,
    stem: row.stem,
    options: row.options,
    answer: row.answer,
    points: Number(row.points),
    explanation: row.explanation,
    topic: row.topic,
    courseId: row.course_id,
    lectureId: row.lecture_id,
    difficulty: row.difficulty === null ? null : Number(row.difficulty),
    imageId: row.image_id,
  };
}

/**
 * The condition that question `q`'s owner unit (joined as `qo`) is usable by a unit whose path is the SQL
 * expression `path`: owned in that unit's subtree, or by one of its ancestors (a committee's bank serves
 * its branches).
 */
export const usableFrom = (path: string, qo = 'qo') =>
  `(${qo}.path = ${path} OR ${qo}.path LIKE ${path} || '/%' OR ${path} LIKE ${qo}.path || '/%')`;

/** The non-retired questions a unit's exams may draw from (see `usableFrom`). */
export async function loadBank(db: DataSource | EntityManager, unitPath: string): Promise<BankQuestion[]> {
  const rows: QuestionRow[] = await db.query(
    `SELECT ${QUESTION_COLUMNS}
       FROM exam_questions q JOIN org_units qo ON qo.id = q.owner_unit_id
      WHERE q.retired_at IS NULL AND ${usableFrom('$1')}
      ORDER BY q.created_at, q.id`,
    [unitPath],
  );
  return rows.map(bankQuestionOf);
}

export type ExamPaperSource =
  { kind: 'fixed'; items: Array<{ question: BankQuestion; points: number }> } | { kind: 'drawn'; bank: BankQuestion[]; rules: DrawRule[] };

/**
 * What an exam's papers are made of: its fixed items in order, each with its points on this paper (the
 * item's override, or the question's own), including items retired since the exam was made; or its draw
 * rules with the bank they draw from (non-retired questions usable by the exam's owner unit). Throws when
 * the exam does not exist.
 */
export async function examPaperSource(db: DataSource | EntityManager, examId: string): Promise<ExamPaperSource> {
  const [exam]: Array<{ paper_kind: 'fixed' | 'drawn'; path: string }> = await db.query(
    `SELECT e.paper_kind, o.path FROM exams e JOIN org_units o ON o.id = e.owner_unit_id WHERE e.id = $1`,
    [examId],
  );
  if (!exam) throw new Error(`exam ${examId} does not exist`);
  if (exam.paper_kind === 'fixed') {
    const rows: Array<QuestionRow & { item_points: string | null }> = await db.query(
      `SELECT ${QUESTION_COLUMNS}, fi.points AS item_points
         FROM exam_fixed_items fi JOIN exam_questions q ON q.id = fi.question_id
        WHERE fi.exam_id = $1
        ORDER BY fi.position`,
      [examId],
    );
    return {
      kind: 'fixed',
      items: rows.map((row) => ({
        question: bankQuestionOf(row),
        points: row.item_points === null ? Number(row.points) : Number(row.item_points),
      })),
    };
  }
  return {
    kind: 'drawn',
    bank: await loadBank(db, exam.path),
    rules: await drawRulesOf(db, examId),
  };
}

/** A drawn exam's rules, in order (none for a fixed exam). */
export async function drawRulesOf(db: DataSource | EntityManager, examId: string): Promise<DrawRule[]> {
  const rows: Array<{
    kind: QuestionKind;
    topic: string | null;
    course_id: string | null;
    difficulty: number | null;
    count: number;
    points: string | null;
  }> = await db.query(
    `SELECT kind, topic, course_id, difficulty, count, points FROM exam_draw_rules WHERE exam_id = $1 ORDER BY position`,
    [examId],
  );
  return rows.map((r) => ({
    kind: r.kind,
    topic: r.topic,
    courseId: r.course_id,
    difficulty: r.difficulty === null ? null : Number(r.difficulty),
    count: Number(r.count),
    points: r.points === null ? null : Number(r.points),
  }));
}
