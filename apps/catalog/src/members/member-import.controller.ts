import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { RejectedRow } from '#contracts';
import { ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { sendCsv, sendXlsx, type Column, type Lang, type ReportTable } from '../reports/report-table.js';
import { MemberImportService, type ImportFileKind } from './member-import.service.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

const PreviewQuery = z.object({
  filename: z
    .string()
    .max(255, 'must be at most 255 characters')
    // eslint-disable-next-line no-control-regex -- control characters have no place in a file name
    .transform((name) => name.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .optional(),
});

const RejectedQuery = z.object({ lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').optional() });

type RejectedLine = { cells: string[] } & RejectedRow;

@ApiTags('members')
@ApiBearerAuth()
@Controller('api')
export class MemberImportController {
  constructor(private readonly imports: MemberImportService) {}

  /** The body is the file itself, as a browser sends a File with fetch: CSV (UTF-8 or GBK) or .xlsx. */
  @Roles('admin')
  @Post('members/imports')
  @HttpCode(201)
  @ApiConsumes('text/csv', XLSX_TYPE)
  @ApiZodQuery(PreviewQuery)
  @ApiBody({ schema: { type: 'string', example: '姓名,登录名,单位,类别,状态\n王秀英,wangxy,committee/east/group-1,离退休,在册' } })
  preview(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Query({ schema: PreviewQuery }) query: z.infer<typeof PreviewQuery>,
  ) {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!Buffer.isBuffer(request.body) || !(type === XLSX_TYPE || CSV_TYPES.includes(type))) {
      throw new UnsupportedMediaTypeException(
        `Send the file itself, with Content-Type: text/csv for a CSV file or ${XLSX_TYPE} for .xlsx.`,
      );
    }
    const kind: ImportFileKind = type === XLSX_TYPE ? 'xlsx' : 'csv';
    const fileName = query.filename || (kind === 'xlsx' ? 'members.xlsx' : 'members.csv');
    return this.imports.preview(principal, request.body, kind, fileName);
  }

  @Roles('admin')
  @Get('members/imports/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.imports.get(principal, id);
  }

  @Roles('admin')
  @Post('members/imports/:id/confirm')
  @HttpCode(200)
  confirm(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.imports.confirm(principal, id);
  }

  /** The rejected rows with their original columns and a reason column, to fix and upload again (UTF-8 with BOM). */
  @Roles('admin')
  @Get('members/imports/:id/rejected.csv')
  @ApiZodQuery(RejectedQuery)
  async rejectedCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: RejectedQuery }) query: z.infer<typeof RejectedQuery>,
    @Res() res: Response,
  ) {
    const { table, lang } = await this.rejectedTable(principal, id, query.lang);
    await sendCsv(res, table, lang);
  }

  @Roles('admin')
  @Get('members/imports/:id/rejected.xlsx')
  @ApiZodQuery(RejectedQuery)
  async rejectedXlsx(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: RejectedQuery }) query: z.infer<typeof RejectedQuery>,
    @Res() res: Response,
  ) {
    const { table, lang } = await this.rejectedTable(principal, id, query.lang);
    await sendXlsx(res, table, lang);
  }

  private async rejectedTable(principal: Principal, id: string, asked: Lang | undefined) {
    const rejected = await this.imports.rejected(principal, id);
    // The reasons speak the file's language unless the page asks for its own.
    const lang: Lang = asked ?? (rejected.header.some((cell) => /[\u3400-\u9fff]/.test(cell)) ? 'zh-CN' : 'en');
    const columns: Column<RejectedLine>[] = rejected.header.map((label, i) => ({
      key: `c${i}`,
      zh: label,
      en: label,
      text: (row) => row.cells[i] ?? '',
    }));
    columns.push({ key: 'reason', zh: '原因', en: 'reason', text: (row) => (lang === 'en' ? row.reason : row.reasonZh) });
    const base = rejected.fileName.replace(/\.(csv|xlsx|txt)$/i, '');
    const table: ReportTable<RejectedLine> = {
      name: `${base} - ${lang === 'en' ? 'rejected rows' : '未导入的行'}`,
      asciiName: `${base}-rejected`,
      sheet: lang === 'en' ? 'rejected' : '未导入',
      columns,
      rows: rejected.rows,
    };
    return { table, lang };
  }
}
