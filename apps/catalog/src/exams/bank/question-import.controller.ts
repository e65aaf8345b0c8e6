import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodQuery } from '#platform';
import { UuidParam } from '../../org/org.schemas.js';
import { sendCsv, sendXlsx, type ReportTable } from '../../reports/report-table.js';
import { ImportQuery } from './bank.schemas.js';
import { bodyBytes } from './exam-images.js';
import { TEMPLATE_HEADER, TEMPLATE_ROWS } from './question-import-rows.js';
import { QuestionImportService, type QuestionFileKind } from './question-import.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const template: ReportTable<string[]> = {
  name: '题库导入模板',
  asciiName: 'question-import-template',
  sheet: '题库',
  columns: TEMPLATE_HEADER.map((label, i) => ({ key: `c${i}`, zh: label, en: label, text: (row: string[]) => row[i] ?? '' })),
  rows: TEMPLATE_ROWS,
};

/** Questions imported from .xlsx or CSV (UTF-8 or GBK): a preview with each row's errors, then a confirmation. */
@ApiTags('exams')
@ApiBearerAuth()
@Roles('editor')
@Controller('api')
export class QuestionImportController {
  constructor(private readonly imports: QuestionImportService) {}

  /** The body is the file itself: .xlsx, or CSV in UTF-8 or GBK. */
  @Post('exam-question-imports')
  @HttpCode(201)
  @ApiConsumes('text/csv', XLSX_TYPE)
  @ApiZodQuery(ImportQuery)
  @ApiBody({ schema: { type: 'string', example: '题型,题干,选项A,选项B,答案\n单选,中共一大在哪一年召开？,1919,1921,B' } })
  async preview(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Query({ schema: ImportQuery }) query: z.infer<typeof ImportQuery>,
  ) {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== XLSX_TYPE && !CSV_TYPES.includes(type)) {
      throw new UnsupportedMediaTypeException(
        `Send the file itself, with Content-Type: text/csv for a CSV file or ${XLSX_TYPE} for .xlsx.`,
      );
    }
    const data = await bodyBytes(
      request,
      MAX_FILE_BYTES,
      () => 'The file is larger than 5 MB. Split the questions into smaller files and import them one by one.',
    );
    // An .xlsx file is a ZIP archive, whatever type the browser gave it.
    const kind: QuestionFileKind = type === XLSX_TYPE || data.subarray(0, 4).equals(ZIP_MAGIC) ? 'xlsx' : 'csv';
    const fileName = query.fileName || (kind === 'xlsx' ? 'questions.xlsx' : 'questions.csv');
    return this.imports.preview(principal, data, kind, fileName, query.ownerUnitId);
  }

  @Get('exam-question-imports/template.xlsx')
  async templateXlsx(@Res() res: Response) {
    await sendXlsx(res, template, 'zh-CN');
  }

  /** The template as CSV in UTF-8 with a byte-order mark, which Excel opens as Chinese text. */
  @Get('exam-question-imports/template.csv')
  async templateCsv(@Res() res: Response) {
    await sendCsv(res, template, 'zh-CN');
  }

  @Post('exam-question-imports/:id/confirm')
  @HttpCode(200)
  confirm(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.imports.confirm(principal, id);
  }
}
