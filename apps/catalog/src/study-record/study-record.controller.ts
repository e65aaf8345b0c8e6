import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, Public, Roles, type Principal } from '#auth';
import { normaliseRecordCode, type IssuedStudyRecord } from '#contracts';
import { ApiZodQuery } from '#platform';
import { STUDY_OPTIONS, type StudyOptions } from '../study/study-options.js';
import { publicOrigin } from './request-origin.js';
import { StudyRecordService } from './study-record.service.js';

const LangQuery = z.object({ lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN') });
const LinkQuery = z.object({ t: z.string().max(200, 'must be at most 200 characters') });
/** Any text a person may type or a scanner may read; it is normalised and checked against the record-number form in the handler. */
const CodeParam = z.string().max(100, 'must be a record number');

/** A record number, as typed or printed; 404 when it cannot be one (nothing is said about which numbers exist). */
function recordCode(input: string): string {
  const code = normaliseRecordCode(input);
  if (!code) throw new NotFoundException('No study record has this number. Check the number on the paper and try again.');
  return code;
}

/** A member's personal study record (PDF with a QR code) and its public verification page's data. */
@ApiTags('study-record')
@Controller('api')
export class StudyRecordController {
  constructor(
    private readonly records: StudyRecordService,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {}

  /** What the caller's record would say if issued now (the record page shows it before the download). */
  @ApiBearerAuth()
  @Roles('member', 'editor')
  @Get('me/study-record')
  preview(@CurrentPrincipal() principal: Principal) {
    return this.records.preview(principal);
  }

  /** Issues the caller's record (kept, with a random number) and answers its PDF. */
  @ApiBearerAuth()
  @Roles('member', 'editor')
  @Get('me/study-record.pdf')
  @ApiZodQuery(LangQuery)
  async pdf(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: LangQuery }) query: z.infer<typeof LangQuery>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const origin = this.origin(req);
    const record = await this.records.issue(principal, query.lang);
    await this.send(res, record, origin, 'attachment');
  }

  /**
   * Issues the caller's record like the PDF download, and answers a link that opens its PDF for 10 minutes
   * without the Authorization header: for in-app browsers (WeChat) that cannot save a fetched file.
   */
  @ApiBearerAuth()
  @Roles('member', 'editor')
  @Post('me/study-record/link')
  @ApiZodQuery(LangQuery)
  async link(@CurrentPrincipal() principal: Principal, @Query({ schema: LangQuery }) query: z.infer<typeof LangQuery>) {
    return this.records.link(await this.records.issue(principal, query.lang));
  }

  /** Public, with the signed link from `POST me/study-record/link`: the issued record's PDF, shown in the browser. */
  @Public()
  @Get('study-records/:code/pdf')
  @ApiZodQuery(LinkQuery)
  async linkedPdf(
    @Param('code', { schema: CodeParam }) code: string,
    @Query({ schema: LinkQuery }) query: z.infer<typeof LinkQuery>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const origin = this.origin(req);
    const record = await this.records.byLink(recordCode(code), query.t);
    await this.send(res, record, origin, 'inline');
  }

  /** Public: what an issued record says (without the login), and whether the member's figures still match it. */
  @Public()
  @Get('study-records/:code')
  verify(@Param('code', { schema: CodeParam }) code: string) {
    return this.records.verify(recordCode(code));
  }

  /** The configured public address; else the one the request came in by. */
  private origin(req: Request): string {
    if (this.options.publicOrigin) return this.options.publicOrigin;
    const origin = publicOrigin(req.protocol, req.host);
    if (!origin)
      throw new BadRequestException('The request does not name this site by a host name; open Lectern by its address and try again.');
    return origin;
  }

  private async send(res: Response, record: IssuedStudyRecord, origin: string, disposition: 'attachment' | 'inline') {
    const pdf = await this.records.pdf(record, origin);
    const day = record.issuedAt.slice(0, 10);
    const name = `${record.lang === 'en' ? 'study-record' : '学习档案'}-${record.snapshot.name}-${day}.pdf`;
    res
      .status(200)
      .set({
        'Content-Type': 'application/pdf',
        'Content-Length': String(pdf.length),
        'Content-Disposition': `${disposition}; filename="study-record-${record.code}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'Cache-Control': 'private, no-store',
        'X-Study-Record': record.code,
      })
      .end(pdf);
  }
}
