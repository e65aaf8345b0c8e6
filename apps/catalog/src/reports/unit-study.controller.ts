import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodQuery } from '#platform';
import { fileName, sendCsv, sendJson, sendXlsx } from './report-table.js';
import { ReportsService } from './reports.service.js';
import { unitStudyColumns } from './unit-study-columns.js';
import { UnitStudyService } from './unit-study.service.js';

const IsoDate = z.iso.date('must be a date as YYYY-MM-DD');

const UnitStudyQuerySchema = z
  .object({
    from: IsoDate,
    to: IsoDate,
    unitId: z.uuid('must be a unit id').optional(),
    format: z.enum(['json', 'csv', 'xlsx'], 'must be json, csv or xlsx').default('json'),
    lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });
type UnitStudyQuery = z.infer<typeof UnitStudyQuerySchema>;

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api')
export class UnitStudyController {
  constructor(
    private readonly unitStudy: UnitStudyService,
    private readonly reports: ReportsService,
  ) {}

  /**
   * Credited study in a period by unit of the caller's subtree (or of `unitId`'s): each day's study counts
   * for the unit the member belonged to that day; each row also carries its subtree's totals.
   */
  @Roles('admin', 'inspector')
  @Get('reports/units/study')
  @ApiZodQuery(UnitStudyQuerySchema)
  async study(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: UnitStudyQuerySchema }) query: UnitStudyQuery,
    @Res() res: Response,
  ) {
    const { root, rows } = await this.unitStudy.report(principal, query);
    const labels = await this.reports.labels(principal, query.lang);
    const what = query.lang === 'en' ? 'study by unit' : '单位学时';
    const table = {
      name: fileName(root.name, what, `${query.from}~${query.to}`),
      asciiName: [root.path, 'study-by-unit', query.from, query.to].join('-'),
      sheet: what,
      columns: unitStudyColumns(labels),
      rows,
    };
    if (query.format === 'csv') return sendCsv(res, table, query.lang);
    if (query.format === 'xlsx') return sendXlsx(res, table, query.lang);
    sendJson(res, table, query.lang, { from: query.from, to: query.to, unit: root });
  }
}
