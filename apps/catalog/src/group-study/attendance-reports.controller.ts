import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { GroupMakeupResult } from '#contracts';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { fileName, sendCsv, sendJson, sendTableJson, sendXlsx, type Lang, type ReportTable } from '../reports/report-table.js';
import { ReportsService } from '../reports/reports.service.js';
import { memberAttendanceColumns, sessionAttendanceColumns, unitAttendanceColumns } from './attendance-columns.js';
import { AttendanceMakeupService } from './attendance-makeup.service.js';
import { AttendanceReportsService, type ReportRoot } from './attendance-reports.service.js';

const IsoDate = z.iso.date('must be a date as YYYY-MM-DD');

const GroupReportQuerySchema = z
  .object({
    from: IsoDate,
    to: IsoDate,
    unitId: z.uuid('must be a unit id').optional(),
    // json: typed items for the screen; table: the same rows as the files' text cells; csv, xlsx: the files.
    format: z.enum(['json', 'table', 'csv', 'xlsx'], 'must be json, table, csv or xlsx').default('json'),
    lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN'),
    // The screen's page of members or sessions (the files carry every row).
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    limit: z.coerce.number().int().min(1).max(1_000).default(200),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 3 * 366 * 86_400_000, {
    path: ['to'],
    message: 'the period may span at most three years: choose a shorter one',
  });
type GroupReportQuery = z.infer<typeof GroupReportQuerySchema>;

const MakeupSchema = z
  .object({
    withoutWindow: z.boolean('must be true or false').default(false),
  })
  .strict();

const WHAT = {
  units: { zh: '集体学习考勤 单位', en: 'group attendance by unit', ascii: 'group-attendance-units' },
  members: { zh: '集体学习考勤 学员', en: 'group attendance by member', ascii: 'group-attendance-members' },
  sessions: { zh: '集体学习考勤 场次', en: 'group attendance by session', ascii: 'group-attendance-sessions' },
} as const;

/** Files named "<unit> - <what> - <from>~<to>", with an ASCII fallback; the sheet is named for the table. */
function names(lang: Lang, what: keyof typeof WHAT, root: ReportRoot, query: GroupReportQuery) {
  const label = lang === 'en' ? WHAT[what].en : WHAT[what].zh;
  return {
    name: fileName(root.name, label, `${query.from}~${query.to}`),
    asciiName: [root.path, WHAT[what].ascii, query.from, query.to].join('-'),
    sheet: label,
  };
}

async function send<Row>(res: Response, table: ReportTable<Row> & { rows: Row[] }, query: GroupReportQuery, meta: Record<string, unknown>) {
  if (query.format === 'csv') return sendCsv(res, table, query.lang);
  if (query.format === 'xlsx') return sendXlsx(res, table, query.lang);
  if (query.format === 'table') return sendTableJson(res, table, query.lang, meta);
  sendJson(res, table, query.lang, meta);
}

/**
 * Group study attendance over a period for admins and inspectors, within their subtree: by unit (subtree rolled up),
 * by member and by session with its absentees; each table also as CSV and XLSX with the screen's cells. Admins of a
 * session's unit and its leaders give its absentees make-up.
 */
@ApiTags('group study')
@ApiBearerAuth()
@Controller('api')
export class AttendanceReportsController {
  constructor(
    private readonly attendance: AttendanceReportsService,
    private readonly makeup: AttendanceMakeupService,
    private readonly reports: ReportsService,
  ) {}

  /** Per unit: sessions held for its members, attendances over roster places, hours credited. */
  @Roles('admin', 'inspector')
  @Get('reports/group/units')
  @ApiZodQuery(GroupReportQuerySchema)
  async units(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: GroupReportQuerySchema }) query: GroupReportQuery,
    @Res() res: Response,
  ) {
    const root = await this.attendance.rootFor(principal, query.unitId);
    const [rows, labels] = await Promise.all([this.attendance.units(root, query), this.reports.labels(principal, query.lang)]);
    const table = { ...names(query.lang, 'units', root, query), columns: unitAttendanceColumns(labels), rows };
    await send(res, table, query, { from: query.from, to: query.to, unit: root });
  }

  /** Per member: sessions held for them, attended, absent, late, recorded afterwards, hours credited. */
  @Roles('admin', 'inspector')
  @Get('reports/group/members')
  @ApiZodQuery(GroupReportQuerySchema)
  async members(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: GroupReportQuerySchema }) query: GroupReportQuery,
    @Res() res: Response,
  ) {
    const root = await this.attendance.rootFor(principal, query.unitId);
    const paged = query.format === 'json' || query.format === 'table';
    const [{ rows, total }, labels] = await Promise.all([
      this.attendance.members(root, query, paged ? { page: query.page, limit: query.limit } : null),
      this.reports.labels(principal, query.lang),
    ]);
    const table = { ...names(query.lang, 'members', root, query), columns: memberAttendanceColumns(labels), rows };
    await send(res, table, query, { from: query.from, to: query.to, unit: root, total, page: query.page, limit: query.limit });
  }

  /** Sessions held for members of the subtree, newest first, each with its absentees there. */
  @Roles('admin', 'inspector')
  @Get('reports/group/sessions')
  @ApiZodQuery(GroupReportQuerySchema)
  async sessions(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: GroupReportQuerySchema }) query: GroupReportQuery,
    @Res() res: Response,
  ) {
    const root = await this.attendance.rootFor(principal, query.unitId);
    const paged = query.format === 'json' || query.format === 'table';
    const [{ rows, total }, labels] = await Promise.all([
      this.attendance.sessions(principal, root, query, paged ? { page: query.page, limit: query.limit } : null),
      this.reports.labels(principal, query.lang),
    ]);
    const table = { ...names(query.lang, 'sessions', root, query), columns: sessionAttendanceColumns(labels), rows };
    await send(res, table, query, { from: query.from, to: query.to, unit: root, total, page: query.page, limit: query.limit });
  }

  /**
   * Gives every absentee of an ended collective viewing its lecture as make-up, through the make-up window of each
   * open plan that covers them and counts the lecture, with a notice to each; again, only those not yet given it.
   * No window for any of them: 409 `no_makeup_window` saying what to do, unless `withoutWindow` is true.
   */
  @Roles('admin', 'member', 'editor')
  @Post('group-sessions/:id/makeup')
  @HttpCode(200)
  @ApiZodBody(MakeupSchema)
  give(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: MakeupSchema }) body: z.infer<typeof MakeupSchema>,
  ): Promise<GroupMakeupResult> {
    return this.makeup.grant(principal, id, body.withoutWindow);
  }
}
