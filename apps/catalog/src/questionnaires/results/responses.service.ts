import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { NonRespondent, NonRespondentPage, ReminderResult, ResponseRates, UnitResponseRate } from '#contracts';
import { NoticesService } from '../../notices/notices.service.js';
import { questionnaireMembers } from '../questionnaire-audience.sql.js';
import { QuestionnaireResultsService, type Lang, type QuestionnaireRow, type UnitRef } from './results.service.js';

/**
 * Who is asked (`$1` the questionnaire) under the unit at path `$2`: its audience now, and anyone who responded
 * though the audience no longer names them; each with whether they responded. Only who responded is read here,
 * never what: the respondents table holds no answers.
 */
const population = `
  WITH audience AS (${questionnaireMembers('$1')}),
  pop AS (
    SELECT a.user_id, a.name, a.login, a.category, a.org_unit_id, a.unit_path, a.unit_name, false AS former FROM audience a
    UNION ALL
    SELECT u.id, u.name, u.login, u.category, u.org_unit_id, o.path, o.name, true
      FROM questionnaire_respondents qr JOIN users u ON u.id = qr.user_id JOIN org_units o ON o.id = u.org_unit_id
     WHERE qr.questionnaire_id = $1 AND NOT EXISTS (SELECT 1 FROM audience a WHERE a.user_id = qr.user_id)
  )
  SELECT pop.*, EXISTS (SELECT 1 FROM questionnaire_respondents qr WHERE qr.questionnaire_id = $1 AND qr.user_id = pop.user_id) AS responded
    FROM pop WHERE pop.unit_path = $2 OR pop.unit_path LIKE $2 || '/%'`;

/** The members of the audience under the unit who have not responded, in unit and name order. */
const notYet = `
  WITH audience AS (${questionnaireMembers('$1')})
  SELECT a.user_id, a.name, a.login, a.category, a.unit_path, a.unit_name,
         EXISTS (SELECT 1 FROM questionnaire_drafts d WHERE d.questionnaire_id = $1 AND d.user_id = a.user_id) AS started
    FROM audience a
   WHERE (a.unit_path = $2 OR a.unit_path LIKE $2 || '/%')
     AND NOT EXISTS (SELECT 1 FROM questionnaire_respondents qr WHERE qr.questionnaire_id = $1 AND qr.user_id = a.user_id)`;

const rate = (responded: number, audience: number) => (audience > 0 ? Math.round((responded / audience) * 10_000) / 10_000 : null);

/** Response rates per unit, who has not answered yet, and in-app reminders to them. */
@Injectable()
export class QuestionnaireResponsesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly results: QuestionnaireResultsService,
    private readonly notices: NoticesService,
  ) {}

  /** Each unit of the chosen subtree, with how many of its audience (with the units below) responded. */
  async rates(
    principal: Principal,
    id: string,
    unitId?: string,
  ): Promise<Omit<ResponseRates, 'columns'> & { row: QuestionnaireRow; root: UnitRef }> {
    const [questionnaire, unit] = await Promise.all([
      this.results.questionnaireFor(principal, id),
      this.results.unitFor(principal, unitId),
    ]);
    const rows: Array<{ id: string; name: string; path: string; depth: number; audience: number; responded: number }> = await this.db.query(
      `WITH p AS (${population})
       SELECT u.id, u.name, u.path, u.depth,
              (SELECT count(*) FROM p WHERE p.unit_path = u.path OR p.unit_path LIKE u.path || '/%')::int AS audience,
              (SELECT count(*) FROM p WHERE p.responded AND (p.unit_path = u.path OR p.unit_path LIKE u.path || '/%'))::int AS responded
         FROM org_units u
        WHERE u.path = $2 OR u.path LIKE $2 || '/%'
        ORDER BY u.path`,
      [id, unit.path],
    );
    const units = rows.map((r): UnitResponseRate => ({
      unitId: r.id,
      name: r.name,
      path: r.path,
      depth: r.depth - unit.depth,
      audience: r.audience,
      responded: r.responded,
      rate: rate(r.responded, r.audience),
    }));
    const top = units[0];
    return {
      questionnaire: { id: questionnaire.id, title: questionnaire.title, anonymous: questionnaire.anonymous },
      unit: { id: unit.id, name: unit.name, path: unit.path },
      audience: top?.audience ?? 0,
      responded: top?.responded ?? 0,
      rate: top ? top.rate : null,
      items: units,
      row: questionnaire,
      root: unit,
    };
  }

  /** The audience under the unit who have not responded: one page, or all of them (`all`, for the files). */
  async nonRespondents(
    principal: Principal,
    id: string,
    query: { unitId?: string; page: number; limit: number; lang: Lang },
    all = false,
  ): Promise<Omit<NonRespondentPage, 'columns'> & { row: QuestionnaireRow; root: UnitRef }> {
    const [questionnaire, unit] = await Promise.all([
      this.results.questionnaireFor(principal, id),
      this.results.unitFor(principal, query.unitId),
    ]);
    const [{ total }]: Array<{ total: number }> = await this.db.query(`SELECT count(*)::int AS total FROM (${notYet}) n`, [id, unit.path]);
    const rows: Array<{
      user_id: string;
      name: string;
      login: string;
      category: string | null;
      unit_path: string;
      unit_name: string;
      started: boolean;
      category_name: string | null;
    }> = await this.db.query(
      `SELECT n.*, c.${query.lang === 'en' ? 'name_en' : 'name_zh'} AS category_name
         FROM (${notYet}) n LEFT JOIN member_categories c ON c.code = n.category
        ORDER BY n.unit_path, n.name, n.login ${all ? '' : `LIMIT ${query.limit} OFFSET ${(query.page - 1) * query.limit}`}`,
      [id, unit.path],
    );
    const items = rows.map((r): NonRespondent => ({
      userId: r.user_id,
      name: r.name,
      login: r.login,
      unitName: r.unit_name,
      unitPath: r.unit_path,
      category: r.category_name,
      started: r.started,
    }));
    return { items, page: query.page, limit: query.limit, total, row: questionnaire, root: unit };
  }

  /**
   * One in-app notice to each member of the audience under the unit who has not responded, while the
   * questionnaire is open. Members who responded are never reminded; nothing is sent outside the app.
   */
  async remind(principal: Principal, id: string, unitId?: string): Promise<ReminderResult> {
    const [questionnaire, unit] = await Promise.all([
      this.results.questionnaireFor(principal, id),
      this.results.unitFor(principal, unitId),
    ]);
    if (questionnaire.status !== 'open') {
      throw new ConflictException('This questionnaire is not open, so members cannot answer it now. Open it before sending reminders.');
    }
    return this.db.transaction(async (manager) => {
      const rows: Array<{ user_id: string }> = await manager.query(`SELECT user_id FROM (${notYet}) n`, [id, unit.path]);
      const reminded = await this.notices.notify(
        manager,
        rows.map((r) => r.user_id),
        { kind: 'questionnaire.reminder', params: { title: questionnaire.title }, link: `/questionnaires/${id}` },
      );
      return { reminded };
    });
  }
}
