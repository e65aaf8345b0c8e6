import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import {
  questionIssues,
  type QuestionnaireAction,
  type QuestionnaireInput,
  type QuestionnaireQuestion,
  type QuestionnaireStatus,
  type QuestionnaireSummary,
  type QuestionnaireView,
} from '#contracts';
import { ScopeService } from '../org/scope.service.js';
import { questionMessages } from './questionnaire-messages.js';
import type { QuestionnaireBody, QuestionnaireQuery } from './questionnaires.schemas.js';

interface QuestionnaireRow {
  id: string;
  owner_unit_id: string;
  owner_name: string;
  owner_path: string;
  title: string;
  intro: string;
  anonymous: boolean;
  status: QuestionnaireStatus;
  opens_at: Date;
  closes_at: Date;
  created_at: Date;
  updated_at: Date;
  opened_at: Date | null;
  closed_at: Date | null;
  archived_at: Date | null;
  respondent_count: number;
  question_count: number;
}

export interface QuestionRow {
  id: string;
  kind: QuestionnaireQuestion['kind'];
  prompt: string;
  required: boolean;
  options: QuestionnaireQuestion['options'];
  scale_min: number | null;
  scale_max: number | null;
  min_label: string | null;
  max_label: string | null;
  show_if: QuestionnaireQuestion['showIf'];
}

const SELECT = `
  SELECT q.*, o.name AS owner_name, o.path AS owner_path,
         (SELECT count(*)::int FROM questionnaire_respondents r WHERE r.questionnaire_id = q.id) AS respondent_count,
         (SELECT count(*)::int FROM questionnaire_questions x WHERE x.questionnaire_id = q.id) AS question_count
    FROM questionnaires q JOIN org_units o ON o.id = q.owner_unit_id`;

/** A questionnaire's questions in order, as the pages and the rules take them. */
export async function questionsOf(db: DataSource | EntityManager, questionnaireId: string): Promise<QuestionnaireQuestion[]> {
  const rows: QuestionRow[] = await db.query(
    `SELECT id, kind, prompt, required, options, scale_min, scale_max, min_label, max_label, show_if
       FROM questionnaire_questions WHERE questionnaire_id = $1 ORDER BY position`,
    [questionnaireId],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    prompt: r.prompt,
    required: r.required,
    options: r.options.map((o) => (o.other ? { id: o.id, label: o.label, other: true } : { id: o.id, label: o.label })),
    scale:
      r.scale_min === null || r.scale_max === null
        ? null
        : { min: r.scale_min, max: r.scale_max, minLabel: r.min_label ?? '', maxLabel: r.max_label ?? '' },
    showIf: r.show_if ? { questionId: r.show_if.questionId, optionIds: r.show_if.optionIds } : null,
  }));
}

const sameQuestions = (a: QuestionnaireQuestion[], b: QuestionnaireQuestion[]) => JSON.stringify(a) === JSON.stringify(b);

/** Keeps only what each kind uses, so a stored question has one shape per kind. */
function tidyQuestions(questions: QuestionnaireBody['questions']): QuestionnaireQuestion[] {
  return questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    required: q.required,
    options: q.options.map((o) => (o.other ? { id: o.id, label: o.label, other: true } : { id: o.id, label: o.label })),
    scale: q.scale,
    showIf: q.showIf ? { questionId: q.showIf.questionId, optionIds: [...new Set(q.showIf.optionIds)] } : null,
  }));
}

const TRANSITIONS: Record<QuestionnaireAction, { from: QuestionnaireStatus[]; to: QuestionnaireStatus; column: string }> = {
  open: { from: ['draft', 'closed'], to: 'open', column: 'opened_at' },
  close: { from: ['open'], to: 'closed', column: 'closed_at' },
  archive: { from: ['draft', 'open', 'closed'], to: 'archived', column: 'archived_at' },
};

/**
 * Questionnaires: editors and admins make and change those owned by units of their subtree, open them to
 * their audience, close and archive them. Once anyone has responded, the questions and whether the
 * questionnaire is anonymous stay as they were; a questionnaire is archived, never deleted.
 */
@Injectable()
export class QuestionnairesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async list(principal: Principal, query: QuestionnaireQuery): Promise<QuestionnaireSummary[]> {
    const root = await this.scope.rootOf(principal);
    const params: unknown[] = [root.path];
    let where = `(o.path = $1 OR o.path LIKE $1 || '/%')`;
    if (query.status) {
      params.push(query.status);
      where += ` AND q.status = $2`;
    } else {
      where += ` AND q.status <> 'archived'`;
    }
    const rows: QuestionnaireRow[] = await this.db.query(
      `${SELECT} WHERE ${where} ORDER BY q.created_at DESC, q.id DESC LIMIT 500`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      anonymous: r.anonymous,
      status: r.status,
      opensAt: r.opens_at.toISOString(),
      closesAt: r.closes_at.toISOString(),
      ownerUnit: { id: r.owner_unit_id, name: r.owner_name },
      questionCount: r.question_count,
      respondentCount: r.respondent_count,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  async get(principal: Principal, id: string): Promise<QuestionnaireView> {
    return this.describe(await this.editable(principal, id));
  }

  async create(principal: Principal, body: QuestionnaireBody): Promise<QuestionnaireView> {
    const owner = await this.scope.rootOf(principal);
    const input = { ...body, questions: tidyQuestions(body.questions) };
    await this.assertInput(principal, input);
    const taken: Array<{ id: string }> = await this.db.query(`SELECT id FROM questionnaire_questions WHERE id = ANY($1::uuid[])`, [
      input.questions.map((q) => q.id),
    ]);
    if (taken.length) throw new ConflictException('questions: some question ids are already used; give new questions new ids.');
    const id = await this.db.transaction(async (tx) => {
      const [row]: Array<{ id: string }> = await tx.query(
        `INSERT INTO questionnaires (owner_unit_id, title, intro, anonymous, opens_at, closes_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [owner.id, input.title, input.intro, input.anonymous, input.opensAt, input.closesAt, principal.userId],
      );
      await writeAudience(tx, row!.id, input);
      await writeQuestions(tx, row!.id, input.questions);
      return row!.id;
    });
    return this.get(principal, id);
  }

  async update(principal: Principal, id: string, body: QuestionnaireBody): Promise<QuestionnaireView> {
    const current = await this.editable(principal, id);
    if (current.status === 'archived') {
      throw new ConflictException('This questionnaire is archived and can no longer change. Make a new questionnaire instead.');
    }
    const input = { ...body, questions: tidyQuestions(body.questions) };
    const before = await questionsOf(this.db, id);
    if (current.respondent_count > 0) {
      const fixed: string[] = [];
      if (input.anonymous !== current.anonymous) fixed.push('whether it is anonymous');
      if (!sameQuestions(before, input.questions)) fixed.push('its questions');
      if (fixed.length) {
        throw new ConflictException(
          `${current.respondent_count} member${current.respondent_count === 1 ? ' has' : 's have'} already responded, so ${fixed.join(' and ')} can no longer change: every answer must belong to the same questions. Make a new questionnaire for a changed version. The title, introduction, window and audience may still change.`,
        );
      }
    }
    await this.assertInput(principal, input);
    const mine = new Set(before.map((q) => q.id));
    const others = input.questions.filter((q) => !mine.has(q.id)).map((q) => q.id);
    if (others.length && (await this.db.query(`SELECT 1 FROM questionnaire_questions WHERE id = ANY($1::uuid[])`, [others])).length) {
      throw new ConflictException('questions: some question ids belong to another questionnaire; give new questions new ids.');
    }
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE questionnaires SET title = $1, intro = $2, anonymous = $3, opens_at = $4, closes_at = $5, updated_at = now() WHERE id = $6`,
        [input.title, input.intro, input.anonymous, input.opensAt, input.closesAt, id],
      );
      for (const table of ['questionnaire_units', 'questionnaire_categories', 'questionnaire_positions', 'questionnaire_classes']) {
        await tx.query(`DELETE FROM ${table} WHERE questionnaire_id = $1`, [id]);
      }
      await writeAudience(tx, id, input);
      if (!sameQuestions(before, input.questions)) {
        // No one has answered yet (checked above), so the questions are simply replaced; drafts keep only
        // the answers to questions that remain.
        await tx.query(`DELETE FROM questionnaire_questions WHERE questionnaire_id = $1`, [id]);
        await writeQuestions(tx, id, input.questions);
        await tx.query(
          `UPDATE questionnaire_drafts d
              SET answers = COALESCE((SELECT jsonb_object_agg(k, v) FROM jsonb_each(d.answers) AS e(k, v)
                                       WHERE k IN (SELECT id::text FROM questionnaire_questions WHERE questionnaire_id = $1)), '{}')
            WHERE d.questionnaire_id = $1`,
          [id],
        );
      }
    });
    return this.get(principal, id);
  }

  /** Opens it to its audience, closes it, or archives it (its responses stay). */
  async act(principal: Principal, id: string, action: QuestionnaireAction): Promise<QuestionnaireView> {
    const current = await this.editable(principal, id);
    const step = TRANSITIONS[action];
    if (!step.from.includes(current.status)) {
      throw new ConflictException(
        current.status === step.to
          ? `This questionnaire is already ${step.to}.`
          : `A questionnaire that is ${current.status} cannot be ${step.to === 'open' ? 'opened' : step.to}; it must be ${step.from.join(' or ')}.`,
      );
    }
    if (action === 'open') {
      const problems: string[] = [];
      if (current.question_count === 0) problems.push('questions: add at least one question before opening it.');
      if (current.closes_at.getTime() <= Date.now()) {
        problems.push('closesAt: the questionnaire’s window has already closed; move the closing time later to open it.');
      }
      if (problems.length) throw new BadRequestException({ statusCode: 400, message: problems.join(' '), errors: problems });
    }
    await this.db.query(`UPDATE questionnaires SET status = $1, ${step.column} = now(), updated_at = now() WHERE id = $2`, [step.to, id]);
    return this.get(principal, id);
  }

  /** Everything a questionnaire must satisfy to be saved: its window, its questions, its audience in the caller's subtree. */
  private async assertInput(principal: Principal, input: QuestionnaireInput): Promise<void> {
    const root = await this.scope.rootOf(principal);
    const problems: string[] = [];
    if (new Date(input.closesAt).getTime() <= new Date(input.opensAt).getTime()) {
      problems.push('closesAt: the questionnaire must close after it opens; move the closing time later.');
    }
    problems.push(...questionMessages(questionIssues(input.questions)));
    const { unitIds, categories, positions, classIds } = input.audience;
    if (!unitIds.length) problems.push('audience.unitIds: choose at least one unit whose members the questionnaire is for.');
    else if (
      (await this.count(`SELECT count(*)::int AS n FROM org_units WHERE id = ANY($1::uuid[]) AND (path = $2 OR path LIKE $2 || '/%')`, [
        unitIds,
        root.path,
      ])) !== new Set(unitIds).size
    ) {
      problems.push('audience.unitIds: some units are not in your organisation; choose units from your own part of the tree.');
    }
    if (
      categories.length &&
      (await this.count(`SELECT count(*)::int AS n FROM member_categories WHERE code = ANY($1::text[])`, [categories])) !==
        new Set(categories).size
    ) {
      problems.push('audience.categories: some member categories do not exist; choose from the list.');
    }
    if (
      positions.length &&
      (await this.count(
        `SELECT count(*)::int AS n FROM position_kinds k LEFT JOIN org_units o ON o.id = k.owner_unit_id
          WHERE k.code = ANY($1::text[])
            AND (k.builtin OR k.owner_unit_id IS NULL OR o.path = $2 OR o.path LIKE $2 || '/%' OR $2 LIKE o.path || '/%')`,
        [positions, root.path],
      )) !== new Set(positions).size
    ) {
      problems.push('audience.positions: some positions do not exist in your organisation; choose from the list.');
    }
    if (
      classIds.length &&
      (await this.count(
        `SELECT count(*)::int AS n FROM training_classes c JOIN org_units o ON o.id = c.owner_unit_id
          WHERE c.id = ANY($1::uuid[]) AND (o.path = $2 OR o.path LIKE $2 || '/%')`,
        [classIds, root.path],
      )) !== new Set(classIds).size
    ) {
      problems.push('audience.classIds: some training classes are not in your organisation; choose from the list.');
    }
    if (problems.length) throw new BadRequestException({ statusCode: 400, message: problems.join(' '), errors: problems });
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    const [row]: Array<{ n: number }> = await this.db.query(sql, params);
    return row?.n ?? 0;
  }

  /** The questionnaire if its owner unit is in the caller's subtree; otherwise 404, so others' are not even confirmed. */
  private async editable(principal: Principal, id: string): Promise<QuestionnaireRow> {
    const root = await this.scope.rootOf(principal);
    const [row]: QuestionnaireRow[] = await this.db.query(`${SELECT} WHERE q.id = $1`, [id]);
    if (!row || !isWithinScope(row.owner_path, root.path)) throw new NotFoundException('No such questionnaire in your organisation.');
    return row;
  }

  private async describe(row: QuestionnaireRow): Promise<QuestionnaireView> {
    const [units, categories, positions, classes, questions] = await Promise.all([
      this.db.query(`SELECT org_unit_id AS v FROM questionnaire_units WHERE questionnaire_id = $1 ORDER BY 1`, [row.id]),
      this.db.query(`SELECT category AS v FROM questionnaire_categories WHERE questionnaire_id = $1 ORDER BY 1`, [row.id]),
      this.db.query(`SELECT position_code AS v FROM questionnaire_positions WHERE questionnaire_id = $1 ORDER BY 1`, [row.id]),
      this.db.query(`SELECT class_id AS v FROM questionnaire_classes WHERE questionnaire_id = $1 ORDER BY 1`, [row.id]),
      questionsOf(this.db, row.id),
    ]);
    const values = (rows: Array<{ v: string }>) => rows.map((r) => r.v);
    return {
      id: row.id,
      title: row.title,
      intro: row.intro,
      anonymous: row.anonymous,
      status: row.status,
      opensAt: row.opens_at.toISOString(),
      closesAt: row.closes_at.toISOString(),
      audience: { unitIds: values(units), categories: values(categories), positions: values(positions), classIds: values(classes) },
      questions,
      ownerUnit: { id: row.owner_unit_id, name: row.owner_name },
      respondentCount: row.respondent_count,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      openedAt: row.opened_at?.toISOString() ?? null,
      closedAt: row.closed_at?.toISOString() ?? null,
      archivedAt: row.archived_at?.toISOString() ?? null,
    };
  }
}

async function writeAudience(tx: EntityManager, id: string, input: QuestionnaireInput): Promise<void> {
  const { unitIds, categories, positions, classIds } = input.audience;
  await tx.query(`INSERT INTO questionnaire_units SELECT $1, u FROM unnest($2::uuid[]) u ON CONFLICT DO NOTHING`, [id, unitIds]);
  await tx.query(`INSERT INTO questionnaire_categories SELECT $1, c FROM unnest($2::text[]) c ON CONFLICT DO NOTHING`, [id, categories]);
  await tx.query(`INSERT INTO questionnaire_positions SELECT $1, p FROM unnest($2::text[]) p ON CONFLICT DO NOTHING`, [id, positions]);
  await tx.query(`INSERT INTO questionnaire_classes SELECT $1, c FROM unnest($2::uuid[]) c ON CONFLICT DO NOTHING`, [id, classIds]);
}

async function writeQuestions(tx: EntityManager, id: string, questions: QuestionnaireQuestion[]): Promise<void> {
  for (const [position, q] of questions.entries()) {
    await tx.query(
      `INSERT INTO questionnaire_questions (id, questionnaire_id, position, kind, prompt, required, options, scale_min, scale_max,
                                            min_label, max_label, show_if)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12::jsonb)`,
      [
        q.id,
        id,
        position,
        q.kind,
        q.prompt,
        q.required,
        JSON.stringify(q.options),
        q.scale?.min ?? null,
        q.scale?.max ?? null,
        q.scale?.minLabel ?? null,
        q.scale?.maxLabel ?? null,
        q.showIf ? JSON.stringify(q.showIf) : null,
      ],
    );
  }
}
