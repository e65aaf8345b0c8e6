import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { UuidParam } from '../org/org.schemas.js';
import { courseColumns, memberColumns, memberLectureColumns, overviewColumns, retentionColumns, trendColumns } from './report-columns.js';
import { sendCsv, sendJson, sendXlsx, type ReportTable } from './report-table.js';
import { ReportsService } from './reports.service.js';

const Output = z.object({
  format: z.enum(['json', 'csv', 'xlsx'], 'must be json, csv or xlsx').default('json'),
  lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN'),
});
const MemberQuery = Output.extend({
  unitId: z.uuid('must be a unit id').optional(),
  category: z.string().trim().max(40).optional(),
  status: z.enum(['met', 'on_track', 'behind', 'not_started']).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['name', 'earnedHours', 'remainingHours', 'lastStudyDay', 'unitPath']).default('unitPath'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

const OverviewQuery = Output.extend({
  // Computes the figures from the raw watch data now instead of reading the plan rollup (slow for large plans).
  fresh: z.stringbool().default(false),
});

/** Every report table answers as JSON for the screen, or as the same rows and columns in CSV or XLSX. */
async function send<Row>(res: Response, table: ReportTable<Row>, output: z.infer<typeof Output>, meta: Record<string, unknown> = {}) {
  if (output.format === 'csv') return sendCsv(res, table, output.lang);
  if (output.format === 'xlsx') return sendXlsx(res, table, output.lang);
  sendJson(res, table, output.lang, meta);
}

@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Per unit of the caller's subtree; `asOf` says up to when study is counted (the rollup lags at most about 30 s). */
  @Get('plans/:id/overview')
  async overview(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: OverviewQuery }) query: z.infer<typeof OverviewQuery>,
    @Res() res: Response,
  ) {
    const { rows, asOf, source } = await this.reports.overview(principal, id, { fresh: query.fresh });
    res.setHeader('X-Report-As-Of', asOf);
    await send(res, { name: 'plan-overview', columns: overviewColumns, rows }, query, { asOf, source });
  }

  @Get('plans/:id/members')
  async members(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: MemberQuery }) query: z.infer<typeof MemberQuery>,
    @Res() res: Response,
  ) {
    const { plan } = await this.reports.standings(principal, id);
    const rows = await this.reports.members(principal, id, query);
    await send(res, { name: 'plan-members', columns: memberColumns(query.lang, Boolean(plan.closed_at)), rows }, query);
  }

  @Get('plans/:id/trend')
  async trend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: Output }) output: z.infer<typeof Output>,
    @Res() res: Response,
  ) {
    await send(res, { name: 'study-trend', columns: trendColumns, rows: await this.reports.trend(principal, id) }, output);
  }

  @Get('courses')
  async courses(@CurrentPrincipal() principal: Principal, @Query({ schema: Output }) output: z.infer<typeof Output>, @Res() res: Response) {
    await send(res, { name: 'courses', columns: courseColumns, rows: await this.reports.courses(principal) }, output);
  }

  /** One lecture over the caller's subtree; its table (and export) is the audience retention, as its chart shows it. */
  @Get('lectures/:id')
  async lecture(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: Output }) output: z.infer<typeof Output>,
    @Res() res: Response,
  ) {
    const report = await this.reports.lecture(principal, id);
    await send(res, { name: `lecture-retention-${report.title}`, columns: retentionColumns, rows: report.retention }, output, {
      ...report,
    });
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
    const table = {
      name: `member-lectures-${detail.member.login}`,
      columns: memberLectureColumns(output.lang, detail.member),
      rows: detail.lectures,
    };
    await send(res, table, output, { ...detail });
  }

  /** Closes a plan and freezes each member's result. */
  @Post('plans/:id/close')
  @HttpCode(200)
  close(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.reports.close(principal, id);
  }
}
