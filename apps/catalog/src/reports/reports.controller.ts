import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { UuidParam } from '../org/org.schemas.js';
import { courseColumns, memberColumns, memberLectureColumns, overviewColumns, retentionColumns, trendColumns } from './report-columns.js';
import { fileName, sendCsv, sendJson, sendTableJson, sendXlsx, type Lang, type ReportTable } from './report-table.js';
import { ActivityReportsService } from './activity-reports.service.js';
import { ReportsService } from './reports.service.js';

const Output = z.object({
  // json: typed items for the screen; table: the same rows as the files' text cells; csv, xlsx: the files.
  format: z.enum(['json', 'table', 'csv', 'xlsx'], 'must be json, table, csv or xlsx').default('json'),
  lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN'),
});
const MemberQuery = Output.extend({
  unitId: z.uuid('must be a unit id').optional(),
  category: z.string().trim().max(40).optional(),
  status: z.enum(['met', 'on_track', 'behind', 'not_started']).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['name', 'earnedHours', 'remainingHours', 'lastStudyDay', 'unitPath']).default('unitPath'),
  order: z.enum(['asc', 'desc']).default('asc'),
  // One page of the members for the screen (the files carry every page).
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  // Computes the standings from the raw watch data now instead of reading the plan rollup (slow for large plans).
  fresh: z.stringbool().default(false),
});

const OverviewQuery = Output.extend({
  // Computes the figures from the raw watch data now instead of reading the plan rollup (slow for large plans).
  fresh: z.stringbool().default(false),
});

/** Every report table answers as JSON for the screen, or as the same rows and columns in text cells, CSV or XLSX. */
async function send<Row>(res: Response, table: ReportTable<Row>, output: z.infer<typeof Output>, meta: Record<string, unknown> = {}) {
  if (output.format === 'csv') return sendCsv(res, table, output.lang);
  if (output.format === 'xlsx') return sendXlsx(res, table, output.lang);
  const rows: Row[] = [];
  if (Array.isArray(table.rows)) rows.push(...table.rows);
  else for await (const row of table.rows) rows.push(row);
  if (output.format === 'table') return sendTableJson(res, { ...table, rows }, output.lang, meta);
  sendJson(res, { ...table, rows }, output.lang, meta);
}

/** What a file is, in the viewer's language and in ASCII: e.g. "学员" / "members". */
const KIND = {
  overview: { zh: '单位汇总', en: 'units' },
  members: { zh: '学员', en: 'members' },
  trend: { zh: '学习趋势', en: 'study trend' },
  courses: { zh: '课程统计', en: 'courses' },
  retention: { zh: '观看留存', en: 'audience retention' },
  lectures: { zh: '课时记录', en: 'lectures' },
} as const;

/**
 * A file's names: "<plan> - <unit> - <what> - <day>" in the viewer's language, and an ASCII fallback that
 * keeps what can be kept ("plan-members-committee-east-2026-12-03"). The sheet is named for what it holds.
 */
function names(lang: Lang, kind: keyof typeof KIND, day: string, parts: { title?: string; unit?: string; ascii?: string[] }) {
  const what = lang === 'en' ? KIND[kind].en : KIND[kind].zh;
  return {
    name: fileName(parts.title, parts.unit, what, day),
    asciiName: [...(parts.ascii ?? []), KIND[kind].en, day].join('-'),
    sheet: what,
  };
}

/** Admins and inspectors read every report of their subtree, files included; only admins change a plan. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin', 'inspector')
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly activity: ActivityReportsService,
  ) {}

  /** Each plan the caller sees, with how many of its members are in the caller's subtree: `{ counts: { [planId]: n } }`. */
  @Get('plans/member-counts')
  async memberCounts(@CurrentPrincipal() principal: Principal) {
    return { counts: await this.reports.memberCounts(principal) };
  }

  /** Per unit of the caller's subtree; `asOf` says up to when study is counted (the rollup lags at most about 30 s). */
  @Get('plans/:id/overview')
  async overview(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: OverviewQuery }) query: z.infer<typeof OverviewQuery>,
    @Res() res: Response,
  ) {
    // The labels do not depend on the figures: both are read at once.
    const [{ rows, asOf, source }, labels] = await Promise.all([
      this.reports.overview(principal, id, { fresh: query.fresh }),
      this.reports.labels(principal, query.lang),
    ]);
    res.setHeader('X-Report-As-Of', asOf);
    const plan = query.format === 'json' ? null : await this.reports.planFor(principal, id, labels.root.path);
    const file = names(query.lang, 'overview', this.reports.today(), {
      title: plan?.name,
      unit: labels.root.name,
      ascii: ['plan', labels.root.path],
    });
    await send(res, { ...file, columns: overviewColumns(labels), rows }, query, { asOf, source });
  }

  @Get('plans/:id/members')
  async members(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: MemberQuery }) query: z.infer<typeof MemberQuery>,
    @Res() res: Response,
  ) {
    const { page, limit, fresh, ...filter } = query;
    const answer = await this.reports.members(principal, id, filter, { page, limit, fresh });
    const { plan } = answer;
    const labels = await this.reports.labels(principal, query.lang);
    const unit = query.unitId ? await this.reports.unitOf(principal, query.unitId) : labels.root;
    const file = names(query.lang, 'members', this.reports.today(), { title: plan.name, unit: unit.name, ascii: ['plan', unit.path] });
    const columns = memberColumns(labels, Boolean(plan.closed_at), await this.reports.planExamsOf(id));
    // The files stream every page; the screen gets the page it asked for and how many rows there are in all.
    const rows = query.format === 'csv' || query.format === 'xlsx' ? this.reports.allMembers(principal, id, filter) : answer.items;
    await send(res, { ...file, columns, rows }, query, {
      page: answer.page,
      limit: answer.limit,
      total: answer.total,
      counts: answer.counts,
      source: answer.source,
      asOf: answer.asOf,
    });
  }

  @Get('plans/:id/trend')
  async trend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: Output }) output: z.infer<typeof Output>,
    @Res() res: Response,
  ) {
    const today = this.reports.today();
    const days = await this.activity.trend(principal, id);
    // The screen draws the days up to today; so does the file (the JSON keeps the whole period for the chart).
    const rows = output.format === 'json' ? days : days.filter((d) => d.day <= today);
    const labels = await this.reports.labels(principal, output.lang);
    const plan = output.format === 'json' ? null : await this.reports.planFor(principal, id, labels.root.path);
    const file = names(output.lang, 'trend', today, {
      title: plan?.name,
      unit: labels.root.name,
      ascii: ['plan', labels.root.path],
    });
    await send(res, { ...file, columns: trendColumns(labels), rows }, output);
  }

  @Get('courses')
  async courses(@CurrentPrincipal() principal: Principal, @Query({ schema: Output }) output: z.infer<typeof Output>, @Res() res: Response) {
    const rows = await this.activity.courses(principal);
    const labels = await this.reports.labels(principal, output.lang);
    const file = names(output.lang, 'courses', this.reports.today(), { unit: labels.root.name, ascii: [labels.root.path] });
    await send(res, { ...file, columns: courseColumns(labels), rows }, output);
  }

  /** One lecture over the caller's subtree; its table (and export) is the audience retention, as its chart shows it. */
  @Get('lectures/:id')
  async lecture(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: Output }) output: z.infer<typeof Output>,
    @Res() res: Response,
  ) {
    const report = await this.activity.lecture(principal, id);
    const labels = await this.reports.labels(principal, output.lang);
    const file = names(output.lang, 'retention', this.reports.today(), {
      title: report.title,
      unit: labels.root.name,
      ascii: ['lecture', labels.root.path],
    });
    // The retention is the table: its points are the items, sent once.
    const { retention, ...figures } = report;
    await send(res, { ...file, columns: retentionColumns(), rows: retention }, output, figures);
  }

  /**
   * One member: the JSON carries the plans, the study per day and the lectures; its table (and export) is
   * the lectures, each row naming the member. The export skips the plan and daily figures it does not carry.
   */
  @Get('members/:id')
  async member(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: Output }) output: z.infer<typeof Output>,
    @Res() res: Response,
  ) {
    const detail = output.format === 'json' ? await this.reports.member(principal, id) : await this.reports.memberLectures(principal, id);
    const labels = await this.reports.labels(principal, output.lang);
    const file = names(output.lang, 'lectures', this.reports.today(), {
      title: `${detail.member.name} (${detail.member.login})`,
      unit: labels.unitName(detail.member.unitPath),
      ascii: ['member', detail.member.login],
    });
    const member = { ...detail.member, unitTrail: labels.unitTrail(detail.member.unitPath) };
    // The lectures are the table: they are the items, sent once.
    const { lectures, ...facts } = detail;
    await send(res, { ...file, columns: memberLectureColumns(labels, detail.member), rows: lectures }, output, { ...facts, member });
  }

  /** Closes a plan and freezes each member's result. */
  @Roles('admin')
  @Post('plans/:id/close')
  @HttpCode(200)
  close(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.reports.close(principal, id);
  }
}
