import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { AnswerTimeRow, OpenWeekRow } from '#contracts';
import { ScopeService } from '../org/scope.service.js';
import type { Column, Lang } from '../reports/report-table.js';
import { ReportsService } from '../reports/reports.service.js';
import { answerTimeStats } from './request-logic.js';

const NONE = 'none';
const within = (path: string, n: number) => `(${path} = $${n} OR ${path} LIKE $${n} || '/%')`;

export interface RequestReportFilter {
  unitId?: string;
  category?: string;
  weeks: number;
}

interface CategoryLabel {
  key: string;
  zh: string;
  en: string;
}

const days = (n: number | null) => (n === null ? '—' : n.toFixed(1));

/**
 * The demand reports, over requests made by members of the caller's subtree (their unit at request time),
 * optionally of one unit of it and one member category: open requests at the end of each week by course
 * category, and the days from a request to its first published answer.
 */
@Injectable()
export class ProgramRequestsReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly reports: ReportsService,
  ) {}

  today(): string {
    return this.reports.today();
  }

  async unitFor(principal: Principal, unitId?: string): Promise<{ name: string; path: string }> {
    return unitId ? this.scope.unitInScope(principal, unitId) : this.scope.rootOf(principal);
  }

  /** Course categories in the catalog's order, and "no category" last. */
  async categories(): Promise<CategoryLabel[]> {
    const rows: Array<{ id: string; name_zh: string; name_en: string }> = await this.db.query(
      `SELECT id, name_zh, name_en FROM course_categories ORDER BY builtin DESC, created_at, code`,
    );
    return [...rows.map((r) => ({ key: r.id, zh: r.name_zh, en: r.name_en })), { key: NONE, zh: '未分类', en: 'No category' }];
  }

  private filter(path: string, filter: RequestReportFilter, params: unknown[]): string {
    params.push(path);
    let where = `EXISTS (SELECT 1 FROM org_units o WHERE o.id = r.org_unit_id AND ${within('o.path', params.length)})`;
    if (filter.category) {
      params.push(filter.category);
      where += ` AND r.member_category = $${params.length}`;
    }
    return where;
  }

  /** For each of the last `weeks` weeks (Monday to Sunday in the study time zone): requests still unanswered at its end. */
  async openByWeek(principal: Principal, filter: RequestReportFilter): Promise<OpenWeekRow[]> {
    const { path } = await this.unitFor(principal, filter.unitId);
    const params: unknown[] = [this.reports.timeZone, filter.weeks];
    const where = this.filter(path, filter, params);
    const rows: Array<{ week: string; category: string | null; open: number }> = await this.db.query(
      `WITH weeks AS (
         SELECT gs AS week_start, (gs + interval '7 days') AT TIME ZONE $1 AS week_end
           FROM generate_series(date_trunc('week', now() AT TIME ZONE $1) - ($2::int - 1) * interval '7 days',
                                date_trunc('week', now() AT TIME ZONE $1), interval '7 days') gs)
       SELECT to_char(w.week_start, 'YYYY-MM-DD') AS week, r.category_id::text AS category, count(r.id)::int AS open
         FROM weeks w
         LEFT JOIN program_requests r
           ON r.created_at < w.week_end
          AND (r.first_answered_at IS NULL OR r.first_answered_at >= w.week_end)
          AND (r.withdrawn_at IS NULL OR r.withdrawn_at >= w.week_end)
          AND ${where}
        GROUP BY w.week_start, r.category_id
        ORDER BY w.week_start`,
      params,
    );
    const weeks = new Map<string, OpenWeekRow>();
    for (const row of rows) {
      const week = weeks.get(row.week) ?? { week: row.week, total: 0, byCategory: {} };
      weeks.set(row.week, week);
      if (row.open === 0) continue;
      const key = row.category ?? NONE;
      week.byCategory[key] = (week.byCategory[key] ?? 0) + row.open;
      week.total += row.open;
    }
    return [...weeks.values()];
  }

  /** Median and 90th percentile of the days to a first answer, for requests first answered in the last `weeks` weeks. */
  async answerTimes(principal: Principal, filter: RequestReportFilter, categories: CategoryLabel[], lang: Lang): Promise<AnswerTimeRow[]> {
    const { path } = await this.unitFor(principal, filter.unitId);
    const params: unknown[] = [filter.weeks];
    const where = this.filter(path, filter, params);
    const answered: Array<{ categoryId: string | null; days: number }> = await this.db.query(
      `SELECT r.category_id::text AS "categoryId", extract(epoch FROM r.first_answered_at - r.created_at)::float8 / 86400 AS days
         FROM program_requests r
        WHERE r.first_answered_at IS NOT NULL AND r.first_answered_at >= now() - $1::int * interval '7 days' AND ${where}`,
      params,
    );
    const known = categories.filter((c) => c.key !== NONE);
    const names = new Map(categories.map((c) => [c.key, lang === 'en' ? c.en : c.zh]));
    return answerTimeStats(
      known.map((c) => c.key),
      answered,
    ).map((s) => ({ ...s, categoryName: names.get(s.categoryId ?? NONE) ?? '' }));
  }

  openColumns(categories: CategoryLabel[]): Column<OpenWeekRow>[] {
    return [
      { key: 'week', zh: '周（起始日）', en: 'Week of', text: (r) => r.week },
      { key: 'total', zh: '未答复合计', en: 'Open, all', text: (r) => String(r.total), number: (r) => r.total, format: '0' },
      ...categories.map((c): Column<OpenWeekRow> => ({
        key: `category:${c.key}`,
        zh: c.zh,
        en: c.en,
        text: (r) => String(r.byCategory[c.key] ?? 0),
        number: (r) => r.byCategory[c.key] ?? 0,
        format: '0',
      })),
    ];
  }

  answerColumns(): Column<AnswerTimeRow>[] {
    return [
      { key: 'category', zh: '课程分类', en: 'Category', text: (r) => r.categoryName },
      { key: 'answered', zh: '已答复', en: 'Answered', text: (r) => String(r.answered), number: (r) => r.answered, format: '0' },
      {
        key: 'medianDays',
        zh: '答复用时中位数（天）',
        en: 'Median days to answer',
        text: (r) => days(r.medianDays),
        number: (r) => r.medianDays,
        format: '0.0',
      },
      {
        key: 'p90Days',
        zh: '90% 在此天数内答复',
        en: '90th percentile days',
        text: (r) => days(r.p90Days),
        number: (r) => r.p90Days,
        format: '0.0',
      },
    ];
  }
}
