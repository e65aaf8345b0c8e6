import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '#auth';
import type { QuestionInput, QuestionView } from '#contracts';
import { ScopeService } from '../../org/scope.service.js';
import { decodeCursor, encodeCursor, mayEdit, mayRead, type Page } from './bank-scope.js';
import type { QuestionBody, QuestionQuery } from './bank.schemas.js';
import { bankQuestionOf, type QuestionRow, usableFrom } from './paper-source.js';
import { checkQuestion } from './question-rules.js';

interface ViewRow extends QuestionRow {
  tags: string[];
  owner_unit_id: string;
  owner_name: string;
  owner_path: string;
  course_title: string | null;
  lecture_title: string | null;
  retired_at: Date | null;
  created_at: Date;
  created_text: string;
  updated_at: Date;
}

const VIEW_SELECT = `
  SELECT q.id, q.kind, q.stem, q.options, q.answer, q.points, q.explanation, q.topic, q.course_id, q.lecture_id,
         q.difficulty, q.tags, q.image_id, q.owner_unit_id, qo.name AS owner_name, qo.path AS owner_path,
         c.title AS course_title, l.title AS lecture_title, q.retired_at, q.created_at, q.created_at::text AS created_text,
         q.updated_at
    FROM exam_questions q
    JOIN org_units qo ON qo.id = q.owner_unit_id
    LEFT JOIN courses c ON c.id = q.course_id
    LEFT JOIN lectures l ON l.id = q.lecture_id`;

export const imageUrlOf = (imageId: string) => `/api/exam-images/${imageId}`;

/** How many exams use each question: as a fixed item, or given to an attempt of a drawn exam. */
export async function usedByCounts(db: DataSource | EntityManager, questionIds: string[]): Promise<Map<string, number>> {
  if (!questionIds.length) return new Map();
  const rows: Array<{ qid: string; n: number }> = await db.query(
    `SELECT qid, count(DISTINCT exam_id)::int AS n FROM (
       SELECT question_id::text AS qid, exam_id FROM exam_fixed_items WHERE question_id = ANY($1::uuid[])
       UNION
       SELECT item->>'questionId', a.exam_id
         FROM exam_attempts a JOIN exams e ON e.id = a.exam_id AND e.paper_kind = 'drawn'
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.paper) = 'array' THEN a.paper ELSE '[]'::jsonb END) item
        WHERE item->>'questionId' = ANY($1::text[])
     ) used GROUP BY qid`,
    [questionIds],
  );
  return new Map(rows.map((r) => [r.qid, r.n]));
}

function viewOf(row: ViewRow, usedBy: number): QuestionView {
  return {
    ...bankQuestionOf(row),
    tags: row.tags,
    ownerUnit: { id: row.owner_unit_id, name: row.owner_name },
    courseTitle: row.course_title,
    lectureTitle: row.lecture_title,
    imageUrl: row.image_id ? imageUrlOf(row.image_id) : null,
    retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
    usedBy,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The question bank: editors write the questions of their unit's subtree and use those of its ancestors too;
 * admins and inspectors read the same. A question is never deleted: it is retired (kept for the attempts and
 * exams that used it) and may be restored.
 */
@Injectable()
export class QuestionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async list(principal: Principal, query: QuestionQuery): Promise<Page<QuestionView>> {
    const root = await this.scope.rootOf(principal);
    const cursor = decodeCursor(query.cursor);
    const params: unknown[] = [root.path];
    const where = [usableFrom('$1')];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (!query.includeRetired) where.push('q.retired_at IS NULL');
    if (query.kind) add((p) => `q.kind = ${p}`, query.kind);
    if (query.topic) add((p) => `q.topic = ${p}`, query.topic);
    if (query.courseId) add((p) => `q.course_id = ${p}`, query.courseId);
    if (query.difficulty) add((p) => `q.difficulty = ${p}`, query.difficulty);
    if (query.q) {
      add(
        (p) => `(q.stem ILIKE '%' || ${p} || '%' OR q.explanation ILIKE '%' || ${p} || '%' OR q.topic ILIKE '%' || ${p} || '%'
                 OR EXISTS (SELECT 1 FROM unnest(q.tags) t WHERE t ILIKE '%' || ${p} || '%'))`,
        escapeLike(query.q),
      );
    }
    if (cursor) {
      params.push(cursor.at, cursor.id);
      where.push(`(q.created_at, q.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows: ViewRow[] = await this.db.query(
      `${VIEW_SELECT} WHERE ${where.join(' AND ')} ORDER BY q.created_at DESC, q.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const used = await usedByCounts(
      this.db,
      page.map((r) => r.id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((row) => viewOf(row, used.get(row.id) ?? 0)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.created_text, id: last.id }) : null,
    };
  }

  /** The topics of the questions the caller may use, for filters and draw rules. */
  async topics(principal: Principal): Promise<string[]> {
    const root = await this.scope.rootOf(principal);
    const rows: Array<{ topic: string }> = await this.db.query(
      `SELECT DISTINCT q.topic FROM exam_questions q JOIN org_units qo ON qo.id = q.owner_unit_id
        WHERE q.topic IS NOT NULL AND q.retired_at IS NULL AND ${usableFrom('$1')} ORDER BY q.topic`,
      [root.path],
    );
    return rows.map((r) => r.topic);
  }

  async get(principal: Principal, id: string): Promise<QuestionView> {
    const row = await this.readable(principal, id);
    const used = await usedByCounts(this.db, [id]);
    return viewOf(row, used.get(id) ?? 0);
  }

  async create(principal: Principal, body: QuestionBody): Promise<QuestionView> {
    const question = this.checked(body);
    const owner = body.ownerUnitId ? await this.scope.unitInScope(principal, body.ownerUnitId) : await this.scope.rootOf(principal);
    const refs = await assertQuestionReferences(this.db, question);
    const [row]: Array<{ id: string }> = await this.db.query(
      `INSERT INTO exam_questions (owner_unit_id, kind, stem, options, answer, points, explanation, topic, course_id, lecture_id,
                                   difficulty, tags, image_id, created_by)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11, $12::text[], $13, $14) RETURNING id`,
      [owner.id, ...columnsOf({ ...question, ...refs }), principal.userId],
    );
    return this.get(principal, row.id);
  }

  async update(principal: Principal, id: string, body: QuestionBody): Promise<QuestionView> {
    const current = await this.editable(principal, id);
    const question = this.checked(body);
    const owner = body.ownerUnitId ? await this.scope.unitInScope(principal, body.ownerUnitId) : { id: current.owner_unit_id };
    const refs = await assertQuestionReferences(this.db, question);
    // Attempts keep their own copy of each question they were given, so a change never alters a past paper.
    await this.db.query(
      `UPDATE exam_questions SET owner_unit_id = $1, kind = $2, stem = $3, options = $4::jsonb, answer = $5::jsonb, points = $6,
              explanation = $7, topic = $8, course_id = $9, lecture_id = $10, difficulty = $11, tags = $12::text[], image_id = $13,
              updated_at = now()
        WHERE id = $14`,
      [owner.id, ...columnsOf({ ...question, ...refs }), id],
    );
    return this.get(principal, id);
  }

  async retire(principal: Principal, id: string, retire: boolean): Promise<QuestionView> {
    const current = await this.editable(principal, id);
    if (retire && current.retired_at) throw new ConflictException('This question is already retired.');
    if (!retire && !current.retired_at) throw new ConflictException('This question is not retired.');
    await this.db.query(
      `UPDATE exam_questions SET retired_at = ${retire ? 'now()' : 'NULL'}, retired_by = $2, updated_at = now() WHERE id = $1`,
      [id, retire ? principal.userId : null],
    );
    return this.get(principal, id);
  }

  private checked(body: QuestionBody): QuestionInput {
    const checked = checkQuestion(body);
    if (!checked.question) {
      throw new BadRequestException({ statusCode: 400, message: checked.errors.join(' '), errors: checked.errors });
    }
    return checked.question;
  }

  /** The question if the caller may read it; 404 otherwise, so others' questions are not even confirmed. */
  private async readable(principal: Principal, id: string): Promise<ViewRow> {
    const root = await this.scope.rootOf(principal);
    const [row]: ViewRow[] = await this.db.query(`${VIEW_SELECT} WHERE q.id = $1`, [id]);
    if (!row || !mayRead(row.owner_path, root.path)) throw new NotFoundException('No such question in your question bank.');
    return row;
  }

  private async editable(principal: Principal, id: string): Promise<ViewRow> {
    const row = await this.readable(principal, id);
    const root = await this.scope.rootOf(principal);
    if (!mayEdit(row.owner_path, root.path)) {
      throw new ForbiddenException(
        `This question belongs to ${row.owner_name}'s bank; only its editors can change it. Copy it into your own bank to adapt it.`,
      );
    }
    return row;
  }
}

function columnsOf(q: QuestionInput): unknown[] {
  return [
    q.kind,
    q.stem,
    JSON.stringify(q.options),
    JSON.stringify(q.answer),
    q.points,
    q.explanation,
    q.topic,
    q.courseId,
    q.lectureId,
    q.difficulty,
    q.tags,
    q.imageId,
  ];
}

/**
 * Checks that the course, lecture and image a question names exist (a lecture of the course it names); a
 * lecture named without its course brings its course. Answers the course and lecture to store.
 */
export async function assertQuestionReferences(
  db: DataSource | EntityManager,
  q: Pick<QuestionInput, 'courseId' | 'lectureId' | 'imageId'>,
): Promise<{ courseId: string | null; lectureId: string | null }> {
  let courseId = q.courseId;
  if (q.lectureId) {
    const [lecture]: Array<{ course_id: string }> = await db.query(`SELECT course_id FROM lectures WHERE id = $1`, [q.lectureId]);
    if (!lecture) throw new BadRequestException('lectureId: there is no such lecture. Choose a lecture of the course, or none.');
    if (courseId && courseId !== lecture.course_id) {
      throw new BadRequestException('lectureId: this lecture is not in the chosen course. Choose a lecture of that course, or none.');
    }
    courseId = lecture.course_id;
  }
  if (courseId && !(await db.query(`SELECT 1 FROM courses WHERE id = $1`, [courseId])).length) {
    throw new BadRequestException('courseId: there is no such course. Choose a course from the list, or none.');
  }
  if (q.imageId && !(await db.query(`SELECT 1 FROM exam_images WHERE id = $1`, [q.imageId])).length) {
    throw new BadRequestException('imageId: there is no such image. Upload the image again.');
  }
  return { courseId, lectureId: q.lectureId };
}
