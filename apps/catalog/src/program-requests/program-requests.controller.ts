import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type {
  CourseChoice,
  DemandDetail,
  DemandFilterChoices,
  DemandItem,
  MyProgramRequests,
  ProgramRequestView,
  SimilarRequest,
} from '#contracts';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { fileName, sendCsv, sendJson, sendTableJson, sendXlsx, type ReportTable } from '../reports/report-table.js';
import { ProgramRequestsReportsService } from './program-requests-reports.service.js';
import {
  AnswerSchema,
  CourseSearchSchema,
  CreateRequestSchema,
  DemandQuerySchema,
  MergeSchema,
  ReportQuerySchema,
  SimilarQuerySchema,
  type AnswerInput,
  type CourseSearchQuery,
  type CreateRequestInput,
  type DemandQuery,
  type MergeInput,
  type ReportQuery,
  type SimilarQuery,
} from './program-requests.schemas.js';
import { ProgramRequestsService } from './program-requests.service.js';

/** Members ask, find and vote; editors and admins read the demand of their subtree and answer it. */
@ApiTags('program requests')
@ApiBearerAuth()
@Controller('api/program-requests')
export class ProgramRequestsController {
  constructor(private readonly requests: ProgramRequestsService) {}

  /** Requests like the words typed so far, so a member can vote instead of asking again. */
  @Get('similar')
  @Roles('member', 'editor')
  @ApiZodQuery(SimilarQuerySchema)
  similar(@CurrentPrincipal() principal: Principal, @Query({ schema: SimilarQuerySchema }) query: SimilarQuery): Promise<SimilarRequest[]> {
    return this.requests.similar(principal, query.q);
  }

  @Get('mine')
  @Roles('member', 'editor')
  mine(@CurrentPrincipal() principal: Principal): Promise<MyProgramRequests> {
    return this.requests.mine(principal);
  }

  @Post()
  @Roles('member', 'editor')
  @ApiZodBody(CreateRequestSchema)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body({ schema: CreateRequestSchema }) body: CreateRequestInput,
  ): Promise<ProgramRequestView> {
    return this.requests.create(principal, body);
  }

  /** The units of the caller's subtree and the categories, for the staff pages' filters. */
  @Get('filters')
  @Roles('editor', 'admin', 'inspector')
  filters(@CurrentPrincipal() principal: Principal): Promise<DemandFilterChoices> {
    return this.requests.filterChoices(principal);
  }

  /** Ranked by the votes of members in the caller's subtree (or the unit chosen in it) and the member category. */
  @Get('demand')
  @Roles('editor', 'admin')
  @ApiZodQuery(DemandQuerySchema)
  demand(@CurrentPrincipal() principal: Principal, @Query({ schema: DemandQuerySchema }) query: DemandQuery): Promise<DemandItem[]> {
    return this.requests.demand(principal, query);
  }

  @Get('demand/:id')
  @Roles('editor', 'admin')
  demandDetail(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<DemandDetail> {
    return this.requests.demandDetail(principal, id);
  }

  /** Published courses the requester can open, to link the request to. */
  @Get('demand/:id/courses')
  @Roles('editor', 'admin')
  @ApiZodQuery(CourseSearchSchema)
  courses(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: CourseSearchSchema }) query: CourseSearchQuery,
  ): Promise<CourseChoice[]> {
    return this.requests.courseChoices(principal, id, query.q);
  }

  @Post(':id/answer')
  @HttpCode(200)
  @Roles('editor', 'admin')
  @ApiZodBody(AnswerSchema)
  answer(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: AnswerSchema }) body: AnswerInput,
  ): Promise<DemandDetail> {
    return this.requests.answer(principal, id, body);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('editor')
  @ApiZodBody(MergeSchema)
  merge(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: MergeSchema }) body: MergeInput,
  ): Promise<DemandDetail> {
    return this.requests.merge(principal, id, body.intoId);
  }

  @Get(':id')
  @Roles('member', 'editor', 'admin')
  read(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<ProgramRequestView> {
    return this.requests.read(principal, id);
  }

  @Post(':id/vote')
  @HttpCode(200)
  @Roles('member', 'editor')
  vote(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<ProgramRequestView> {
    return this.requests.vote(principal, id);
  }

  @Post(':id/unvote')
  @HttpCode(200)
  @Roles('member', 'editor')
  unvote(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<ProgramRequestView> {
    return this.requests.unvote(principal, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('member', 'editor')
  withdraw(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<ProgramRequestView> {
    return this.requests.withdraw(principal, id);
  }
}

async function send<Row>(res: Response, table: ReportTable<Row> & { rows: Row[] }, query: ReportQuery, meta: Record<string, unknown>) {
  if (query.format === 'csv') return sendCsv(res, table, query.lang);
  if (query.format === 'xlsx') return sendXlsx(res, table, query.lang);
  if (query.format === 'table') return sendTableJson(res, table, query.lang, meta);
  sendJson(res, table, query.lang, meta);
}

const KIND = {
  open: { zh: '点播需求 未答复', en: 'open requests', ascii: 'open-requests' },
  times: { zh: '点播需求 答复用时', en: 'time to answer', ascii: 'time-to-answer' },
} as const;

/** Admins and inspectors read the demand reports of their subtree; editors, who answer the requests, too. */
@ApiTags('program requests')
@ApiBearerAuth()
@Roles('admin', 'inspector', 'editor')
@Controller('api/reports/program-requests')
export class ProgramRequestsReportsController {
  constructor(private readonly reports: ProgramRequestsReportsService) {}

  private async file(principal: Principal, query: ReportQuery, kind: keyof typeof KIND) {
    const unit = await this.reports.unitFor(principal, query.unitId);
    const day = this.reports.today();
    const what = query.lang === 'en' ? KIND[kind].en : KIND[kind].zh;
    return { name: fileName(what, unit.name, day), asciiName: [KIND[kind].ascii, unit.path, day].join('-'), sheet: what };
  }

  /** Requests still waiting for an answer at the end of each week, by course category. */
  @Get('open-by-week')
  @ApiZodQuery(ReportQuerySchema)
  async openByWeek(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: ReportQuerySchema }) query: ReportQuery,
    @Res() res: Response,
  ) {
    const [categories, rows, file] = await Promise.all([
      this.reports.categories(),
      this.reports.openByWeek(principal, query),
      this.file(principal, query, 'open'),
    ]);
    const labels = categories.map((c) => ({ key: c.key, name: query.lang === 'en' ? c.en : c.zh }));
    await send(res, { ...file, columns: this.reports.openColumns(categories), rows }, query, { categories: labels });
  }

  /** Days from a request to its first published answer: median and 90th percentile per course category. */
  @Get('answer-times')
  @ApiZodQuery(ReportQuerySchema)
  async answerTimes(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: ReportQuerySchema }) query: ReportQuery,
    @Res() res: Response,
  ) {
    const categories = await this.reports.categories();
    const [rows, file] = await Promise.all([
      this.reports.answerTimes(principal, query, categories, query.lang),
      this.file(principal, query, 'times'),
    ]);
    await send(res, { ...file, columns: this.reports.answerColumns(), rows }, query, {});
  }
}
