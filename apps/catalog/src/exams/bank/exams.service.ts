import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '#auth';
import type { DrawRuleInput, ExamInput, ExamStatus, ExamView, FixedItemInput, SamplePaper } from '#contracts';
import { buildPaper, drawPaper, DrawShortageError, drawShortages, round2, toMemberQuestion, type DrawnQuestion } from '#exams';
import { ScopeService } from '../../org/scope.service.js';
import { decodeCursor, encodeCursor, mayEdit, mayRead, type Page } from './bank-scope.js';
import type { ExamBody, ExamQuery } from './bank.schemas.js';
import { paperSize, ruleProblems, shortageMessages } from './exam-paper.js';
import { drawRulesOf, examPaperSource, loadBank, usableFrom } from './paper-source.js';
import { imageUrlOf } from './questions.service.js';

interface ExamRow {
  id: string;
  owner_unit_id: string;
  owner_name: string;
  owner_path: string;
  title: string;
  description: string;
  paper_kind: 'fixed' | 'drawn';
  time_limit_min: number;
  pass_percent: string;
  max_attempts: number;
  shuffle_questions: boolean;
  shuffle_options: boolean;
  multiple_scoring: 'all_or_nothing' | 'partial';
  opens_at: Date;
  closes_at: Date;
  show_answers: boolean;
  credit_hours: string | null;
  requires_course_id: string | null;
  requires_plan_id: string | null;
  requires_share: number | null;
  pre_exam_id: string | null;
  status: ExamStatus;
  created_at: Date;
  created_text: string;
  updated_at: Date;
  published_at: Date | null;
}

const EXAM_SELECT = `
  SELECT e.*, o.name AS owner_name, o.path AS owner_path, e.created_at::text AS created_text
    FROM exams e JOIN org_units o ON o.id = e.owner_unit_id`;

/** The condition that exam `e` (owner joined as `o`) is one a caller whose unit is at `$path` may read. */
const readableExam = (path: string) => usableFrom(path, 'o');

/**
 * Exams: editors make and change the exams of their subtree; admins and inspectors read them. An exam is a
 * fixed paper or rules drawing from the bank, with its window, time limit, pass mark, attempts and audience.
 * Once anyone has sat it, its paper, time limit, pass mark and scoring stay as they were; it is archived,
 * never deleted.
 */
@Injectable()
export class ExamsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async list(principal: Principal, query: ExamQuery): Promise<Page<ExamView>> {
    const root = await this.scope.rootOf(principal);
    const cursor = decodeCursor(query.cursor);
    const params: unknown[] = [root.path];
    const where = [readableExam('$1')];
    if (query.status) {
      params.push(query.status);
      where.push(`e.status = $${params.length}`);
    }
    if (cursor) {
      params.push(cursor.at, cursor.id);
      where.push(`(e.created_at, e.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows: ExamRow[] = await this.db.query(
      `${EXAM_SELECT} WHERE ${where.join(' AND ')} ORDER BY e.created_at DESC, e.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: await Promise.all(page.map((row) => this.describe(this.db.manager, row))),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.created_text, id: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ExamView> {
    return this.describe(this.db.manager, await this.readable(principal, id));
  }

  async create(principal: Principal, body: ExamBody): Promise<ExamView> {
    const owner = body.ownerUnitId ? await this.scope.unitInScope(principal, body.ownerUnitId) : await this.scope.rootOf(principal);
    const input = tidy(body);
    await this.assertExam(principal, input, owner.path, null);
    const id = await this.db.transaction(async (tx) => {
      const [row]: Array<{ id: string }> = await tx.query(
        `INSERT INTO exams (owner_unit_id, title, description, paper_kind, time_limit_min, pass_percent, max_attempts, shuffle_questions,
                           shuffle_options, multiple_scoring, opens_at, closes_at, show_answers, credit_hours, requires_course_id,
                           requires_plan_id, requires_share, pre_exam_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
        [owner.id, ...examColumns(input), principal.userId],
      );
      await writeChildren(tx, row.id, input);
      return row.id;
    });
    return this.get(principal, id);
  }

  async update(principal: Principal, id: string, body: ExamBody): Promise<ExamView> {
    const current = await this.editable(principal, id);
    if (current.status === 'archived') {
      throw new ConflictException('This exam is archived. Publish it again first if it is to be changed, or make a new exam.');
    }
    const owner = body.ownerUnitId
      ? await this.scope.unitInScope(principal, body.ownerUnitId)
      : { id: current.owner_unit_id, path: current.owner_path };
    const input = tidy(body);
    const before = await this.describe(this.db.manager, current);
    if (before.attemptCount > 0) {
      const changed = frozenChanges(before, input);
      if (changed.length) {
        throw new ConflictException(
          `This exam has been sat ${before.attemptCount} time${before.attemptCount === 1 ? '' : 's'}, so its ${changed.join(', ')} can no longer change: every member must be judged by the same paper and rules. Make a new exam for the changed version. The title, description, closing time, attempts and audience may still change.`,
        );
      }
    }
    await this.assertExam(principal, input, owner.path, current, before);
    if (current.status === 'published') await this.assertPublishable(input, owner.path, false);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE exams SET owner_unit_id = $1, title = $2, description = $3, paper_kind = $4, time_limit_min = $5, pass_percent = $6,
                max_attempts = $7, shuffle_questions = $8, shuffle_options = $9, multiple_scoring = $10, opens_at = $11, closes_at = $12,
                show_answers = $13, credit_hours = $14, requires_course_id = $15, requires_plan_id = $16, requires_share = $17,
                pre_exam_id = $18, updated_at = now()
          WHERE id = $19`,
        [owner.id, ...examColumns(input), id],
      );
      await tx.query(`DELETE FROM exam_fixed_items WHERE exam_id = $1`, [id]);
      await tx.query(`DELETE FROM exam_draw_rules WHERE exam_id = $1`, [id]);
      for (const table of ['exam_units', 'exam_categories', 'exam_positions', 'exam_classes']) {
        await tx.query(`DELETE FROM ${table} WHERE exam_id = $1`, [id]);
      }
      await writeChildren(tx, id, input);
    });
    return this.get(principal, id);
  }

  /** Checks the exam again as it is stored, and opens it to its audience. */
  async publish(principal: Principal, id: string): Promise<ExamView> {
    const current = await this.editable(principal, id);
    if (current.status === 'published') throw new ConflictException('This exam is already published.');
    const view = await this.describe(this.db.manager, current);
    const input = inputOf(view);
    await this.assertExam(principal, input, current.owner_path, current, view);
    await this.assertPublishable(input, current.owner_path, true);
    await this.db.query(
      `UPDATE exams SET status = 'published', published_at = now(), archived_at = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
    return this.get(principal, id);
  }

  /** Hides the exam from its members; its attempts and results stay. */
  async archive(principal: Principal, id: string): Promise<ExamView> {
    const current = await this.editable(principal, id);
    if (current.status === 'archived') throw new ConflictException('This exam is already archived.');
    await this.db.query(`UPDATE exams SET status = 'archived', archived_at = now(), updated_at = now() WHERE id = $1`, [id]);
    return this.get(principal, id);
  }

  /** A paper drawn as a member would get it (a new random draw each time), with the keys, for the editor to check. */
  async sample(principal: Principal, id: string): Promise<SamplePaper> {
    const exam = await this.readable(principal, id);
    const source = await examPaperSource(this.db, id);
    const seed = `sample|${id}|${Date.now()}|${Math.random()}`;
    let picked: DrawnQuestion[];
    if (source.kind === 'fixed') {
      picked = source.items.map(({ question, points }) => ({ question, points }));
    } else {
      try {
        picked = drawPaper(source.bank, source.rules, seed);
      } catch (error) {
        if (error instanceof DrawShortageError) {
          throw new ConflictException(shortageMessages(source.rules, error.shortages).join(' '));
        }
        throw error;
      }
    }
    const paper = buildPaper(picked, seed, { shuffleQuestions: exam.shuffle_questions, shuffleOptions: exam.shuffle_options });
    return {
      items: paper.map((item, index) => ({ ...toMemberQuestion(item, index, imageUrlOf), key: item.key, explanation: item.explanation })),
      maxScore: round2(paper.reduce((sum, item) => sum + item.points, 0)),
    };
  }

  private async assertPublishable(input: ExamInput, ownerPath: string, opening: boolean): Promise<void> {
    const problems: string[] = [];
    const count = input.paperKind === 'fixed' ? input.fixedItems.length : input.drawRules.reduce((n, r) => n + r.count, 0);
    if (count < 1) {
      problems.push(
        input.paperKind === 'fixed'
          ? 'fixedItems: add at least one question to the paper before publishing.'
          : 'drawRules: add at least one rule before publishing.',
      );
    }
    if (opening && new Date(input.closesAt).getTime() <= Date.now()) {
      problems.push('closesAt: the exam window has already closed; move the closing time later to publish it.');
    }
    if (input.paperKind === 'fixed' && input.fixedItems.length) {
      // A fixed question retired since the exam was made stays on it, but one deleted from reach does not.
      const bank = new Set(
        (
          await loadBankIds(
            this.db,
            ownerPath,
            input.fixedItems.map((i) => i.questionId),
          )
        ).keys(),
      );
      if (input.fixedItems.some((i) => !bank.has(i.questionId))) {
        problems.push('fixedItems: some questions are no longer in the bank this exam may use; remove them from the paper.');
      }
    }
    if (problems.length) throw new BadRequestException({ statusCode: 400, message: problems.join(' '), errors: problems });
  }

  /**
   * Everything an exam must satisfy to be saved: its window, its paper (fixed questions the owner unit may
   * use, not retired when added; drawn rules with points that the bank can fill), its audience inside the
   * caller's subtree, and the course, plan and pre-test it names.
   */
  private async assertExam(
    principal: Principal,
    input: ExamInput,
    ownerPath: string,
    current: ExamRow | null,
    before?: ExamView,
  ): Promise<void> {
    const root = await this.scope.rootOf(principal);
    const problems: string[] = [];
    if (new Date(input.closesAt).getTime() <= new Date(input.opensAt).getTime()) {
      problems.push('closesAt: the exam must close after it opens; move the closing time later.');
    }
    if (before && before.attemptCount > 0) {
      // The paper of an exam that has been sat cannot change (see `frozenChanges`), so it is not judged again.
    } else if (input.paperKind === 'fixed') {
      const ids = input.fixedItems.map((i) => i.questionId);
      const repeated = ids.filter((qid, i) => ids.indexOf(qid) !== i);
      if (repeated.length) problems.push('fixedItems: a question is on the paper twice; keep it once.');
      const bank = await loadBankIds(this.db, ownerPath, ids);
      const kept = new Set(before?.fixedItems.map((i) => i.questionId) ?? []);
      ids.forEach((qid, i) => {
        const found = bank.get(qid);
        if (!found) {
          problems.push(`fixedItems: question ${i + 1} is not in the question bank this exam may use; choose questions from the bank.`);
        } else if (found.retired && !kept.has(qid)) {
          problems.push(`fixedItems: question ${i + 1} is retired; restore it in the bank or choose another question.`);
        }
      });
    } else {
      problems.push(...ruleProblems(input.drawRules));
      const courses = [...new Set(input.drawRules.map((r) => r.courseId).filter((c): c is string => !!c))];
      if (
        courses.length &&
        (await this.count(`SELECT count(*)::int AS n FROM courses WHERE id = ANY($1::uuid[])`, [courses])) !== courses.length
      ) {
        problems.push('drawRules: a rule names a course that does not exist; choose a course from the list, or none.');
      }
      const shortages = drawShortages(await loadBank(this.db, ownerPath), input.drawRules);
      problems.push(...shortageMessages(input.drawRules, shortages));
    }
    await this.audienceProblems(input, root.path, problems);
    await this.requirementProblems(input, root.path, current, problems);
    if (problems.length) throw new BadRequestException({ statusCode: 400, message: problems.join(' '), errors: problems });
  }

  private async audienceProblems(input: ExamInput, rootPath: string, problems: string[]): Promise<void> {
    const { unitIds, categories, positions, classIds } = input.audience;
    if (!unitIds.length) problems.push('audience.unitIds: choose at least one unit whose members the exam is for.');
    else {
      const inside = await this.count(
        `SELECT count(*)::int AS n FROM org_units WHERE id = ANY($1::uuid[]) AND (path = $2 OR path LIKE $2 || '/%')`,
        [unitIds, rootPath],
      );
      if (inside !== unitIds.length) {
        problems.push('audience.unitIds: some units are not in your organisation; choose units from your own part of the tree.');
      }
    }
    if (categories.length) {
      const known = await this.count(`SELECT count(*)::int AS n FROM member_categories WHERE code = ANY($1::text[])`, [categories]);
      if (known !== categories.length) problems.push('audience.categories: some member categories do not exist; choose from the list.');
    }
    if (positions.length) {
      const known = await this.count(
        `SELECT count(*)::int AS n FROM position_kinds k LEFT JOIN org_units o ON o.id = k.owner_unit_id
          WHERE k.code = ANY($1::text[])
            AND (k.builtin OR k.owner_unit_id IS NULL OR ${usableFrom('$2', 'o')})`,
        [positions, rootPath],
      );
      if (known !== positions.length)
        problems.push('audience.positions: some positions do not exist in your organisation; choose from the list.');
    }
    if (classIds.length) {
      const known = await this.count(
        `SELECT count(*)::int AS n FROM training_classes c JOIN org_units o ON o.id = c.owner_unit_id
          WHERE c.id = ANY($1::uuid[]) AND (o.path = $2 OR o.path LIKE $2 || '/%')`,
        [classIds, rootPath],
      );
      if (known !== classIds.length)
        problems.push('audience.classIds: some training classes are not in your organisation; choose from the list.');
    }
  }

  private async requirementProblems(input: ExamInput, rootPath: string, current: ExamRow | null, problems: string[]): Promise<void> {
    if (input.requiresCourseId && input.requiresPlanId) {
      problems.push('requiresCourseId: require either a course or a study plan to be studied first, not both.');
    }
    const names = input.requiresCourseId !== null || input.requiresPlanId !== null;
    if (names && input.requiresShare === null) {
      problems.push('requiresShare: say what share of the compulsory lectures must be done first, from 0.01 to 1 (all).');
    }
    if (!names && input.requiresShare !== null) {
      problems.push('requiresShare: choose the course or study plan whose lectures must be done first, or clear the share.');
    }
    if (input.requiresCourseId && !(await this.count(`SELECT count(*)::int AS n FROM courses WHERE id = $1`, [input.requiresCourseId]))) {
      problems.push('requiresCourseId: there is no such course; choose a course from the list.');
    }
    if (
      input.requiresPlanId &&
      !(await this.count(
        `SELECT count(*)::int AS n FROM study_plans p JOIN org_units o ON o.id = p.owner_unit_id
          WHERE p.id = $1 AND ${usableFrom('$2', 'o')}`,
        [input.requiresPlanId, rootPath],
      ))
    ) {
      problems.push('requiresPlanId: there is no such study plan in your organisation; choose a plan from the list.');
    }
    if (input.preExamId) {
      const [pre]: Array<{ pre_exam_id: string | null; readable: boolean }> = await this.db.query(
        `SELECT e.pre_exam_id, ${readableExam('$2')} AS readable FROM exams e JOIN org_units o ON o.id = e.owner_unit_id WHERE e.id = $1`,
        [input.preExamId, rootPath],
      );
      if (current && input.preExamId === current.id) problems.push('preExamId: an exam cannot be its own pre-test; choose another exam.');
      else if (!pre || !pre.readable)
        problems.push('preExamId: there is no such exam in your organisation; choose the pre-test from the list.');
      else if (pre.pre_exam_id)
        problems.push('preExamId: that exam is itself a post-test; choose the pre-test it is compared with instead.');
      if (current && (await this.count(`SELECT count(*)::int AS n FROM exams WHERE pre_exam_id = $1`, [current.id]))) {
        problems.push('preExamId: this exam is the pre-test of another exam, so it cannot also be a post-test.');
      }
    }
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    const [row]: Array<{ n: number }> = await this.db.query(sql, params);
    return row.n;
  }

  private async readable(principal: Principal, id: string): Promise<ExamRow> {
    const root = await this.scope.rootOf(principal);
    const [row]: ExamRow[] = await this.db.query(`${EXAM_SELECT} WHERE e.id = $1`, [id]);
    if (!row || !mayRead(row.owner_path, root.path)) throw new NotFoundException('No such exam in your organisation.');
    return row;
  }

  private async editable(principal: Principal, id: string): Promise<ExamRow> {
    const row = await this.readable(principal, id);
    const root = await this.scope.rootOf(principal);
    if (principal.role !== 'editor' || !mayEdit(row.owner_path, root.path)) {
      throw new ForbiddenException(`This exam belongs to ${row.owner_name}; only its editors can change it.`);
    }
    return row;
  }

  private async describe(db: EntityManager, row: ExamRow): Promise<ExamView> {
    const [items, drawRules, units, categories, positions, classes, posts, attempts] = await Promise.all([
      db.query(
        `SELECT fi.question_id, fi.points, q.points AS question_points FROM exam_fixed_items fi
           JOIN exam_questions q ON q.id = fi.question_id WHERE fi.exam_id = $1 ORDER BY fi.position`,
        [row.id],
      ) as Promise<Array<{ question_id: string; points: string | null; question_points: string }>>,
      drawRulesOf(db, row.id),
      db.query(`SELECT org_unit_id AS id FROM exam_units WHERE exam_id = $1 ORDER BY org_unit_id`, [row.id]) as Promise<
        Array<{ id: string }>
      >,
      db.query(`SELECT category AS id FROM exam_categories WHERE exam_id = $1 ORDER BY category`, [row.id]) as Promise<
        Array<{ id: string }>
      >,
      db.query(`SELECT position_code AS id FROM exam_positions WHERE exam_id = $1 ORDER BY position_code`, [row.id]) as Promise<
        Array<{ id: string }>
      >,
      db.query(`SELECT class_id AS id FROM exam_classes WHERE exam_id = $1 ORDER BY class_id`, [row.id]) as Promise<Array<{ id: string }>>,
      db.query(`SELECT id FROM exams WHERE pre_exam_id = $1 ORDER BY created_at`, [row.id]) as Promise<Array<{ id: string }>>,
      db.query(`SELECT count(*)::int AS n FROM exam_attempts WHERE exam_id = $1`, [row.id]) as Promise<Array<{ n: number }>>,
    ]);
    const fixedItems = items.map((i) => ({
      questionId: i.question_id,
      points: i.points === null ? null : Number(i.points),
      questionPoints: Number(i.question_points),
    }));
    const size = paperSize(row.paper_kind, fixedItems, drawRules);
    return {
      id: row.id,
      status: row.status,
      ownerUnit: { id: row.owner_unit_id, name: row.owner_name },
      title: row.title,
      description: row.description,
      paperKind: row.paper_kind,
      fixedItems: fixedItems.map(({ questionId, points }) => ({ questionId, points })),
      drawRules,
      timeLimitMin: row.time_limit_min,
      passPercent: Number(row.pass_percent),
      maxAttempts: row.max_attempts,
      shuffleQuestions: row.shuffle_questions,
      shuffleOptions: row.shuffle_options,
      multipleScoring: row.multiple_scoring,
      opensAt: row.opens_at.toISOString(),
      closesAt: row.closes_at.toISOString(),
      showAnswers: row.show_answers,
      creditHours: row.credit_hours === null ? null : Number(row.credit_hours),
      requiresCourseId: row.requires_course_id,
      requiresPlanId: row.requires_plan_id,
      requiresShare: row.requires_share === null ? null : Number(row.requires_share),
      preExamId: row.pre_exam_id,
      audience: {
        unitIds: units.map((u) => u.id),
        categories: categories.map((c) => c.id),
        positions: positions.map((p) => p.id),
        classIds: classes.map((c) => c.id),
      },
      questionCount: size.questionCount,
      maxScore: size.maxScore,
      postExamIds: posts.map((p) => p.id),
      attemptCount: attempts[0].n,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      publishedAt: row.published_at ? row.published_at.toISOString() : null,
    };
  }
}

/** The questions among `ids` that a unit's exams may use, with whether each is retired. */
async function loadBankIds(db: DataSource, ownerPath: string, ids: string[]): Promise<Map<string, { retired: boolean }>> {
  if (!ids.length) return new Map();
  const rows: Array<{ id: string; retired: boolean }> = await db.query(
    `SELECT q.id, q.retired_at IS NOT NULL AS retired FROM exam_questions q JOIN org_units qo ON qo.id = q.owner_unit_id
      WHERE q.id = ANY($1::uuid[]) AND ${usableFrom('$2')}`,
    [ids, ownerPath],
  );
  return new Map(rows.map((r) => [r.id, { retired: r.retired }]));
}

/** The input with only its paper kind's list, repeated audience entries once, and rules' unset fields null. */
function tidy(body: ExamBody): ExamInput {
  const unique = <T>(list: T[]) => [...new Set(list)];
  return {
    title: body.title,
    description: body.description.trim(),
    paperKind: body.paperKind,
    fixedItems: body.paperKind === 'fixed' ? body.fixedItems.map((i) => ({ questionId: i.questionId, points: i.points ?? null })) : [],
    drawRules:
      body.paperKind === 'drawn'
        ? body.drawRules.map((r) => ({
            kind: r.kind,
            topic: r.topic || null,
            courseId: r.courseId ?? null,
            difficulty: r.difficulty ?? null,
            count: r.count,
            points: r.points ?? null,
          }))
        : [],
    timeLimitMin: body.timeLimitMin,
    passPercent: body.passPercent,
    maxAttempts: body.maxAttempts,
    shuffleQuestions: body.shuffleQuestions,
    shuffleOptions: body.shuffleOptions,
    multipleScoring: body.multipleScoring,
    opensAt: body.opensAt,
    closesAt: body.closesAt,
    showAnswers: body.showAnswers,
    creditHours: body.creditHours,
    requiresCourseId: body.requiresCourseId,
    requiresPlanId: body.requiresPlanId,
    requiresShare: body.requiresShare,
    preExamId: body.preExamId,
    audience: {
      unitIds: unique(body.audience.unitIds),
      categories: unique(body.audience.categories),
      positions: unique(body.audience.positions),
      classIds: unique(body.audience.classIds),
    },
  };
}

function inputOf(view: ExamView): ExamInput {
  const { title, description, paperKind, fixedItems, drawRules, timeLimitMin, passPercent, maxAttempts } = view;
  return {
    title,
    description,
    paperKind,
    fixedItems,
    drawRules,
    timeLimitMin,
    passPercent,
    maxAttempts,
    shuffleQuestions: view.shuffleQuestions,
    shuffleOptions: view.shuffleOptions,
    multipleScoring: view.multipleScoring,
    opensAt: view.opensAt,
    closesAt: view.closesAt,
    showAnswers: view.showAnswers,
    creditHours: view.creditHours,
    requiresCourseId: view.requiresCourseId,
    requiresPlanId: view.requiresPlanId,
    requiresShare: view.requiresShare,
    preExamId: view.preExamId,
    audience: view.audience,
  };
}

/** What an exam that has been sat may no longer change, named as the editor knows it. */
function frozenChanges(before: ExamView, after: ExamInput): string[] {
  const changed: string[] = [];
  const items = (list: FixedItemInput[]) => JSON.stringify(list.map((i) => [i.questionId, i.points ?? null]));
  const rules = (list: DrawRuleInput[]) =>
    JSON.stringify(list.map((r) => [r.kind, r.topic ?? null, r.courseId ?? null, r.difficulty ?? null, r.count, r.points ?? null]));
  if (
    before.paperKind !== after.paperKind ||
    items(before.fixedItems) !== items(after.fixedItems) ||
    rules(before.drawRules) !== rules(after.drawRules)
  ) {
    changed.push('paper (questions, rules and points)');
  }
  if (before.timeLimitMin !== after.timeLimitMin) changed.push('time limit');
  if (before.passPercent !== after.passPercent) changed.push('pass mark');
  if (before.multipleScoring !== after.multipleScoring) changed.push('multiple-choice scoring');
  return changed;
}

function examColumns(input: ExamInput): unknown[] {
  return [
    input.title,
    input.description,
    input.paperKind,
    input.timeLimitMin,
    input.passPercent,
    input.maxAttempts,
    input.shuffleQuestions,
    input.shuffleOptions,
    input.multipleScoring,
    input.opensAt,
    input.closesAt,
    input.showAnswers,
    input.creditHours,
    input.requiresCourseId,
    input.requiresPlanId,
    input.requiresShare,
    input.preExamId,
  ];
}

async function writeChildren(tx: EntityManager, examId: string, input: ExamInput): Promise<void> {
  if (input.fixedItems.length) {
    await tx.query(
      `INSERT INTO exam_fixed_items (exam_id, question_id, position, points)
       SELECT $1, r.question_id, r.ord - 1, r.points
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (question_id uuid, points numeric)) WITH ORDINALITY AS r(question_id, points, ord)`,
      [examId, JSON.stringify(input.fixedItems.map((i) => ({ question_id: i.questionId, points: i.points ?? null })))],
    );
  }
  if (input.drawRules.length) {
    await tx.query(
      `INSERT INTO exam_draw_rules (exam_id, position, kind, topic, course_id, difficulty, count, points)
       SELECT $1, r.ord - 1, r.kind, r.topic, r.course_id, r.difficulty, r.count, r.points
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (kind text, topic text, course_id uuid, difficulty smallint, count int, points numeric))
              WITH ORDINALITY AS r(kind, topic, course_id, difficulty, count, points, ord)`,
      [
        examId,
        JSON.stringify(
          input.drawRules.map((r) => ({
            kind: r.kind,
            topic: r.topic ?? null,
            course_id: r.courseId ?? null,
            difficulty: r.difficulty ?? null,
            count: r.count,
            points: r.points ?? null,
          })),
        ),
      ],
    );
  }
  const { unitIds, categories, positions, classIds } = input.audience;
  await tx.query(`INSERT INTO exam_units (exam_id, org_unit_id) SELECT $1, unnest($2::uuid[])`, [examId, unitIds]);
  if (categories.length)
    await tx.query(`INSERT INTO exam_categories (exam_id, category) SELECT $1, unnest($2::text[])`, [examId, categories]);
  if (positions.length)
    await tx.query(`INSERT INTO exam_positions (exam_id, position_code) SELECT $1, unnest($2::text[])`, [examId, positions]);
  if (classIds.length) await tx.query(`INSERT INTO exam_classes (exam_id, class_id) SELECT $1, unnest($2::uuid[])`, [examId, classIds]);
}
