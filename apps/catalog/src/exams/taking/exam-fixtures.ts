import type { DataSource } from 'typeorm';
import type { QuestionAnswerKey, QuestionKind, QuestionOption } from '#contracts';

export interface FixtureQuestion {
  kind: QuestionKind;
  stem: string;
  options?: QuestionOption[];
  answer: QuestionAnswerKey;
  points?: number;
  explanation?: string;
}

export interface FixtureExam {
  title?: string;
  /** Units (by path) whose members the exam is for; the committee when not given. */
  unitPaths?: string[];
  questions: FixtureQuestion[];
  timeLimitMin?: number;
  maxAttempts?: number;
  passPercent?: number;
  showAnswers?: boolean;
  shuffle?: boolean;
  opensAt?: string;
  closesAt?: string;
  requiresCourseId?: string;
  requiresShare?: number;
}

/**
 * A published fixed-paper exam written straight into the database, with its own questions: for the
 * integration tests and the exam benchmark, which set up exams without going through the editor's pages.
 */
export async function insertPublishedExam(db: DataSource, spec: FixtureExam): Promise<{ examId: string; questionIds: string[] }> {
  const [{ unitId, editorId }] = await db.query(
    `SELECT (SELECT id FROM org_units WHERE path = 'committee') AS "unitId",
            (SELECT id FROM users WHERE role IN ('editor', 'admin') ORDER BY role = 'editor' DESC, login LIMIT 1) AS "editorId"`,
  );
  const questionIds: string[] = [];
  for (const q of spec.questions) {
    const [{ id }] = await db.query(
      `INSERT INTO exam_questions (owner_unit_id, kind, stem, options, answer, points, explanation, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [unitId, q.kind, q.stem, JSON.stringify(q.options ?? []), JSON.stringify(q.answer), q.points ?? 1, q.explanation ?? '', editorId],
    );
    questionIds.push(id);
  }
  const [{ id: examId }] = await db.query(
    `INSERT INTO exams (owner_unit_id, title, paper_kind, time_limit_min, pass_percent, max_attempts, shuffle_questions,
                        shuffle_options, opens_at, closes_at, show_answers, requires_course_id, requires_share, status,
                        created_by, published_at)
     VALUES ($1, $2, 'fixed', $3, $4, $5, $6, $6, coalesce($7::timestamptz, now() - interval '1 day'),
             coalesce($8::timestamptz, now() + interval '30 days'), $9, $10, $11, 'published', $12, now())
     RETURNING id`,
    [
      unitId,
      spec.title ?? '结业考试',
      spec.timeLimitMin ?? 30,
      spec.passPercent ?? 60,
      spec.maxAttempts ?? 1,
      spec.shuffle ?? true,
      spec.opensAt ?? null,
      spec.closesAt ?? null,
      spec.showAnswers ?? false,
      spec.requiresCourseId ?? null,
      spec.requiresShare ?? null,
      editorId,
    ],
  );
  await db.query(
    `INSERT INTO exam_fixed_items (exam_id, question_id, position) SELECT $1, q, n - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS t(q, n)`,
    [examId, questionIds],
  );
  await db.query(`INSERT INTO exam_units (exam_id, org_unit_id) SELECT $1, id FROM org_units WHERE path = ANY($2::text[])`, [
    examId,
    spec.unitPaths ?? ['committee'],
  ]);
  return { examId, questionIds };
}
