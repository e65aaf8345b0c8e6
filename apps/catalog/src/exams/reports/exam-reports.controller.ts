import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { ExamMemberRow, ExamReport, ExamReportListItem } from '#contracts';
import { UuidParam } from '../../org/org.schemas.js';
import { examMemberColumns } from '../../reports/report-columns.js';
import { fileName, sendCsv, sendXlsx, type ReportTable } from '../../reports/report-table.js';
import { ReportsService } from '../../reports/reports.service.js';
import { localDateTime } from '../../study-record/record-labels.js';
import { ExamReportService } from './exam-report.service.js';

const Outcome = z.enum(['passed', 'failed', 'grading', 'not_taken'], 'must be passed, failed, grading or not_taken');
const ReportQuery = z.object({ unitId: z.uuid('must be a unit id').optional() });
const MembersQuery = ReportQuery.extend({
  outcome: Outcome.optional(),
  limit: z.coerce.number('must be a number').int('must be a whole number').min(1).max(200, 'must be at most 200').default(50),
  cursor: z.string().trim().min(1).max(400).optional(),
});
const ExportQuery = ReportQuery.extend({
  outcome: Outcome.optional(),
  lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN'),
  format: z.enum(['csv', 'xlsx'], 'must be csv or xlsx').default('csv'),
});
type ExportQuery = z.infer<typeof ExportQuery>;

/** Exam reports for admins and inspectors, over their own subtree: per unit, per question, pre/post gain, members. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin', 'inspector')
@Controller('api/reports/exams')
export class ExamReportsController {
  constructor(
    private readonly exams: ExamReportService,
    private readonly reports: ReportsService,
  ) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ExamReportListItem[]> {
    return this.exams.list(principal);
  }

  @Get(':id')
  report(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: ReportQuery }) query: z.infer<typeof ReportQuery>,
  ): Promise<ExamReport> {
    return this.exams.report(principal, id, query.unitId);
  }

  @Get(':id/members')
  members(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: MembersQuery }) query: z.infer<typeof MembersQuery>,
  ): Promise<{ items: ExamMemberRow[]; nextCursor: string | null }> {
    return this.exams.members(principal, id, query);
  }

  /** The members table as a file: `format` says which (as the other reports read it). */
  @Get(':id/export')
  export(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: ExportQuery }) query: ExportQuery,
    @Res() res: Response,
  ) {
    return this.send(principal, id, query, res);
  }

  @Get(':id/export.csv')
  exportCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: ExportQuery }) query: ExportQuery,
    @Res() res: Response,
  ) {
    return this.send(principal, id, { ...query, format: 'csv' }, res);
  }

  @Get(':id/export.xlsx')
  exportXlsx(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: ExportQuery }) query: ExportQuery,
    @Res() res: Response,
  ) {
    return this.send(principal, id, { ...query, format: 'xlsx' }, res);
  }

  /** "<exam> - <unit> - 考试成绩 - <day>", with an ASCII fallback; the members table's columns in the viewer's language. */
  private async send(principal: Principal, id: string, query: ExportQuery, res: Response): Promise<void> {
    const { exam, unit, rows } = await this.exams.allMembers(principal, id, query.unitId);
    const labels = await this.reports.labels(principal, query.lang);
    const day = this.reports.today();
    const what = query.lang === 'en' ? 'exam results' : '考试成绩';
    const timeZone = this.reports.timeZone;
    const time = (iso: string) => localDateTime(iso, timeZone);
    const table: ReportTable<ExamMemberRow> = {
      name: fileName(exam.title, unit.name, what, day),
      asciiName: ['exam', unit.path, 'results', day].join('-'),
      sheet: what,
      columns: examMemberColumns(labels, exam.pre_exam_id !== null, time),
      rows: query.outcome ? rows.filter((r) => r.outcome === query.outcome) : rows,
    };
    if (query.format === 'xlsx') await sendXlsx(res, table, query.lang);
    else await sendCsv(res, table, query.lang);
  }
}
