import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { QuestionnaireOption, QuestionnaireQuestionKind } from '#contracts';
import type {
  BreakdownBy,
  BreakdownGroup,
  QuestionnaireResults,
  QuestionTally,
  QuestionnaireResultQuestion,
  TextAnswer,
  TextAnswerPage,
} from '#contracts';
import { ScopeService } from '../../org/scope.service.js';
import { MIN_GROUP, SmallGroups } from './small-groups.js';
import { searchPatterns } from './results.schemas.js';
import { tally, type TallyAnswer, type TallyQuestion } from './tally.js';

export type Lang = 'zh-CN' | 'en';

export interface QuestionnaireRow {
  id: string;
  title: string;
  anonymous: boolean;
  status: string;
  opens_at: Date | null;
  closes_at: Date | null;
}

export interface UnitRef {
  id: string;
  name: string;
  path: string;
  depth: number;
}

interface QuestionRow {
  id: string;
  position: number;
  kind: QuestionnaireQuestionKind;
  prompt: string;
  options: QuestionnaireOption[];
  scale_min: number | null;
  scale_max: number | null;
}

interface AnswerRow {
  question_id: string;
  option_ids: string[] | null;
  ranking: string[] | null;
  rating: number | null;
  written: boolean;
  unit_path: string;
  category: string | null;
}

/**
 * Who may read a questionnaire's results: editors and admins over its owner unit (as its authoring does), and
 * admins whose subtree its audience reaches (for their own subtree only). `$1` is the caller's unit path,
 * `$2` their role.
 */
const readableBy = `
  ((o.path = $1 OR o.path LIKE $1 || '/%')
   OR ($2 = 'admin' AND EXISTS (SELECT 1 FROM questionnaire_units qu JOIN org_units au ON au.id = qu.org_unit_id
                                 WHERE qu.questionnaire_id = q.id
                                   AND ($1 = au.path OR $1 LIKE au.path || '/%' OR au.path LIKE $1 || '/%'))))`;

/** Free text and the text after "other", of responses under a unit (`$2`) matching the search (`$4`). */
const writtenAnswers = `
  FROM questionnaire_answers a
  JOIN questionnaire_responses r ON r.id = a.response_id
  JOIN org_units o ON o.id = r.org_unit_id
  LEFT JOIN users m ON m.id = r.user_id
 WHERE r.questionnaire_id = $1 AND a.question_id = $3
   AND (o.path = $2 OR o.path LIKE $2 || '/%')
   AND coalesce(a.text, a.other_text) IS NOT NULL
   AND coalesce(a.text, a.other_text) ILIKE ALL ($4::text[])`;

/**
 * The results of questionnaires, each read over the caller's subtree (or a unit of it). Figures come from the
 * responses, which keep the member's unit and category at submission; for an anonymous questionnaire they name
 * nobody, and nothing here reads the respondents to link them.
 */
@Injectable()
export class QuestionnaireResultsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  /** The questionnaire if the caller may read its results; 404 otherwise, so others' questionnaires are not confirmed. */
  async questionnaireFor(principal: Principal, id: string): Promise<QuestionnaireRow> {
    const root = await this.scope.rootOf(principal);
    const [row]: QuestionnaireRow[] = await this.db.query(
      `SELECT q.id, q.title, q.anonymous, q.status, q.opens_at, q.closes_at
         FROM questionnaires q JOIN org_units o ON o.id = q.owner_unit_id
        WHERE q.id = $3 AND ${readableBy}`,
      [root.path, principal.role, id],
    );
    if (!row) throw new NotFoundException('No such questionnaire in your organisation. Choose one from the questionnaires list.');
    return row;
  }

  /** The caller's own unit, or the one of its subtree they chose (404 outside it). */
  async unitFor(principal: Principal, unitId?: string): Promise<UnitRef> {
    const unit = unitId ? await this.scope.unitInScope(principal, unitId) : await this.scope.rootOf(principal);
    return { id: unit.id, name: unit.name, path: unit.path, depth: unit.depth };
  }

  /** The small-group rule of recent questionnaires, kept while neither their responses nor the unit tree change. */
  private readonly ruleCache = new Map<string, { key: string; groups: SmallGroups }>();

  /**
   * The small-group rule over the whole organisation, from how many responded in each unit and category. Working
   * it out takes a while for a large organisation, so it is kept per questionnaire until a response is added or a
   * unit is added, moved or renamed (responses are never changed or removed).
   */
  private async smallGroups(questionnaireId: string): Promise<SmallGroups> {
    const [{ key }]: Array<{ key: string }> = await this.db.query(
      `SELECT concat_ws('|', (SELECT count(*) FROM questionnaire_responses WHERE questionnaire_id = $1),
                             (SELECT count(*) FROM org_units), (SELECT max(updated_at) FROM org_units)) AS key`,
      [questionnaireId],
    );
    const kept = this.ruleCache.get(questionnaireId);
    if (kept?.key === key) return kept.groups;
    const [units, counts]: [
      Array<{ id: string; parent_id: string | null }>,
      Array<{ unit_id: string; category: string | null; n: number }>,
    ] = await Promise.all([
      this.db.query(`SELECT id, parent_id FROM org_units`),
      this.db.query(
        `SELECT org_unit_id AS unit_id, category, count(*)::int AS n FROM questionnaire_responses
            WHERE questionnaire_id = $1 GROUP BY org_unit_id, category`,
        [questionnaireId],
      ),
    ]);
    const groups = new SmallGroups(
      units.map((u) => ({ id: u.id, parentId: u.parent_id })),
      counts.map((c) => ({ unitId: c.unit_id, category: c.category, count: c.n })),
    );
    this.ruleCache.delete(questionnaireId);
    this.ruleCache.set(questionnaireId, { key, groups });
    if (this.ruleCache.size > 50) this.ruleCache.delete(this.ruleCache.keys().next().value!);
    return groups;
  }

  private categoryNames(lang: Lang): Promise<Array<{ code: string; name: string }>> {
    return this.db.query(
      `SELECT code, ${lang === 'en' ? 'name_en' : 'name_zh'} AS name FROM member_categories ORDER BY builtin DESC, code`,
    );
  }

  async results(principal: Principal, id: string, query: { unitId?: string; by: BreakdownBy; lang: Lang }): Promise<QuestionnaireResults> {
    const [questionnaire, unit] = await Promise.all([this.questionnaireFor(principal, id), this.unitFor(principal, query.unitId)]);
    const [groups, questions, children, categories] = await Promise.all([
      this.smallGroups(id),
      this.db.query(
        `SELECT id, position, kind, prompt, options, scale_min, scale_max FROM questionnaire_questions
          WHERE questionnaire_id = $1 ORDER BY position`,
        [id],
      ) as Promise<QuestionRow[]>,
      this.db.query(`SELECT id, name, path FROM org_units WHERE parent_id = $1 ORDER BY name, path`, [unit.id]) as Promise<
        Array<{ id: string; name: string; path: string }>
      >,
      this.categoryNames(query.lang),
    ]);
    const total = groups.subtree(unit.id);
    const answers: AnswerRow[] = total.shown
      ? await this.db.query(
          `SELECT a.question_id, a.option_ids, a.ranking, a.rating,
                  (coalesce(a.text, a.other_text) IS NOT NULL) AS written, o.path AS unit_path, r.category
             FROM questionnaire_answers a
             JOIN questionnaire_responses r ON r.id = a.response_id
             JOIN org_units o ON o.id = r.org_unit_id
            WHERE r.questionnaire_id = $1 AND (o.path = $2 OR o.path LIKE $2 || '/%')`,
          [id, unit.path],
        )
      : [];
    const defs = questions.map((q): TallyQuestion => ({
      kind: q.kind,
      options: q.options,
      ...(q.scale_min !== null ? { min: q.scale_min } : {}),
      ...(q.scale_max !== null ? { max: q.scale_max } : {}),
    }));
    const asTally = (a: AnswerRow): TallyAnswer => ({
      optionIds: a.ranking ?? a.option_ids ?? [],
      text: a.written ? 'written' : null,
      value: a.rating,
    });
    const tallies = (rows: AnswerRow[]): QuestionTally[] => {
      const byQuestion = new Map<string, TallyAnswer[]>();
      for (const a of rows) {
        const list = byQuestion.get(a.question_id);
        if (list) list.push(asTally(a));
        else byQuestion.set(a.question_id, [asTally(a)]);
      }
      return questions.map((q, i) => tally(defs[i]!, byQuestion.get(q.id) ?? []));
    };

    const overall = total.shown ? tallies(answers) : null;
    const resultQuestions: QuestionnaireResultQuestion[] = questions.map((q, i) => ({
      questionId: q.id,
      number: i + 1,
      prompt: q.prompt,
      kind: q.kind,
      tally: overall ? overall[i]! : null,
    }));

    const group = (
      key: string,
      label: string,
      kind: BreakdownGroup['kind'],
      figure: { count: number; shown: boolean },
      rows: () => AnswerRow[],
    ): BreakdownGroup => {
      const shown = figure.shown && total.shown;
      return {
        key,
        label,
        kind,
        respondents: shown ? figure.count : null,
        suppressed: !shown,
        tallies: shown ? tallies(rows()) : questions.map(() => null),
      };
    };
    const breakdown: BreakdownGroup[] = [];
    if (query.by === 'unit') {
      for (const child of children) {
        const within = (a: AnswerRow) => a.unit_path === child.path || a.unit_path.startsWith(`${child.path}/`);
        breakdown.push(group(child.id, child.name, 'unit', groups.subtree(child.id), () => answers.filter(within)));
      }
      const direct = groups.direct(unit.id);
      if (direct.count > 0 || children.length === 0) {
        breakdown.push(group(unit.id, unit.name, 'direct', direct, () => answers.filter((a) => a.unit_path === unit.path)));
      }
    } else {
      for (const c of categories) {
        breakdown.push(
          group(c.code, c.name, 'category', groups.subtree(unit.id, c.code), () => answers.filter((a) => a.category === c.code)),
        );
      }
      const none = groups.subtree(unit.id, '');
      if (none.count > 0) {
        breakdown.push(
          group('', query.lang === 'en' ? 'No category' : '未分类', 'no-category', none, () => answers.filter((a) => a.category === null)),
        );
      }
    }

    return {
      questionnaire: {
        id: questionnaire.id,
        title: questionnaire.title,
        anonymous: questionnaire.anonymous,
        opensAt: questionnaire.opens_at?.toISOString() ?? null,
        closesAt: questionnaire.closes_at?.toISOString() ?? null,
      },
      unit: { id: unit.id, name: unit.name, path: unit.path },
      respondents: total.shown ? total.count : null,
      suppressed: !total.shown,
      minGroup: MIN_GROUP,
      questions: resultQuestions,
      breakdown: { by: query.by, groups: breakdown },
    };
  }

  /** A free-text question, or a choice question with an "other" option, of the questionnaire; 404 otherwise. */
  private async writtenQuestion(questionnaireId: string, questionId: string): Promise<{ id: string; prompt: string }> {
    const [question]: Array<{ id: string; prompt: string }> = await this.db.query(
      `SELECT id, prompt FROM questionnaire_questions
        WHERE questionnaire_id = $1 AND id = $2
          AND (kind = 'text' OR (kind IN ('single', 'multiple') AND options @> '[{"other": true}]'))`,
      [questionnaireId, questionId],
    );
    if (!question) {
      throw new NotFoundException('No such written question in this questionnaire. Choose a free-text question or one with "other".');
    }
    return question;
  }

  /**
   * What members wrote to a question, under the unit: one page, or every answer (`all`, for the files).
   * Named questionnaires: each with its member and time, newest first. Anonymous ones: none while the unit is
   * too small, each told of the smallest unit the small-group rule shows, in the order of the text (never of
   * submission).
   */
  async textAnswers(
    principal: Principal,
    id: string,
    questionId: string,
    query: { unitId?: string; q?: string; page: number; limit: number },
    all = false,
  ): Promise<Omit<TextAnswerPage, 'columns'> & { questionnaire: QuestionnaireRow; unit: UnitRef }> {
    const [questionnaire, unit] = await Promise.all([this.questionnaireFor(principal, id), this.unitFor(principal, query.unitId)]);
    const question = await this.writtenQuestion(id, questionId);
    const groups = questionnaire.anonymous ? await this.smallGroups(id) : null;
    const shown = groups ? groups.subtree(unit.id).shown : true;
    const answer = { questionId, prompt: question.prompt, anonymous: questionnaire.anonymous, shown, questionnaire, unit };
    if (!shown) return { ...answer, items: [], page: query.page, limit: query.limit, total: 0 };
    const params = [id, unit.path, questionId, searchPatterns(query.q)];
    const [{ total }]: Array<{ total: number }> = await this.db.query(`SELECT count(*)::int AS total ${writtenAnswers}`, params);
    const paging = all ? '' : `LIMIT ${query.limit} OFFSET ${(query.page - 1) * query.limit}`;
    if (groups) {
      const rows: Array<{ text: string; unit_id: string }> = await this.db.query(
        `SELECT coalesce(a.text, a.other_text) AS text, r.org_unit_id AS unit_id ${writtenAnswers}
          ORDER BY coalesce(a.text, a.other_text), r.id ${paging}`,
        params,
      );
      const names = new Map<string, string>(
        (
          (await this.db.query(`SELECT id, name FROM org_units WHERE path = $1 OR path LIKE $1 || '/%'`, [unit.path])) as Array<{
            id: string;
            name: string;
          }>
        ).map((u) => [u.id, u.name]),
      );
      const items = rows.map((r): TextAnswer => {
        const told = groups.shownUnitOf(r.unit_id, unit.id);
        return { text: r.text, unitName: told ? (names.get(told) ?? null) : null, memberName: null, submittedAt: null };
      });
      return { ...answer, items, page: query.page, limit: query.limit, total };
    }
    const rows: Array<{ text: string; unit_name: string; member_name: string | null; submitted_at: Date | null }> = await this.db.query(
      `SELECT coalesce(a.text, a.other_text) AS text, o.name AS unit_name, m.name AS member_name, r.submitted_at ${writtenAnswers}
        ORDER BY r.submitted_at DESC NULLS LAST, r.id ${paging}`,
      params,
    );
    const items = rows.map((r): TextAnswer => ({
      text: r.text,
      unitName: r.unit_name,
      memberName: r.member_name,
      submittedAt: r.submitted_at?.toISOString() ?? null,
    }));
    return { ...answer, items, page: query.page, limit: query.limit, total };
  }
}
