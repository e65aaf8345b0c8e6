import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody, ApiZodQuery } from '#platform';
import type { QuestionnaireResults, ReminderResult } from '#contracts';
import { UuidParam } from '../../org/org.schemas.js';
import { fileName, sendCsv, sendJson, sendXlsx, type ReportTable } from '../../reports/report-table.js';
import { ReportsService } from '../../reports/reports.service.js';
import { localDateTime } from '../../study-record/record-labels.js';
import { nonRespondentColumns, rateColumns, textAnswerColumns } from './results-columns.js';
import {
  NonRespondentsQuerySchema,
  RatesQuerySchema,
  ReminderSchema,
  ResultsQuerySchema,
  TextAnswersQuerySchema,
  type NonRespondentsQuery,
  type RatesQuery,
  type ReminderInput,
  type ResultsQuery,
  type TextAnswersQuery,
} from './results.schemas.js';
import { QuestionnaireResultsService } from './results.service.js';
import { QuestionnaireResponsesService } from './responses.service.js';

type Format = 'json' | 'csv' | 'xlsx';

/** A table as the screen's JSON (with its facts), or the same rows and columns as a CSV or XLSX file. */
async function send<Row>(res: Response, table: ReportTable<Row> & { rows: Row[] }, format: Format, lang: 'zh-CN' | 'en', meta: object) {
  if (format === 'csv') return sendCsv(res, table, lang);
  if (format === 'xlsx') return sendXlsx(res, table, lang);
  sendJson(res, table, lang, meta as Record<string, unknown>);
}

const say = (lang: 'zh-CN' | 'en', zh: string, en: string) => (lang === 'en' ? en : zh);

/**
 * Questionnaire results for the editors and admins who may read the questionnaire, over their own subtree
 * (or a unit of it): figures per question with a breakdown, what members wrote, response rates, who has not
 * answered yet, and in-app reminders to them.
 */
@ApiTags('questionnaires')
@ApiBearerAuth()
@Roles('admin', 'editor')
@Controller('api/questionnaire-results')
export class QuestionnaireResultsController {
  constructor(
    private readonly results: QuestionnaireResultsService,
    private readonly responses: QuestionnaireResponsesService,
    private readonly reports: ReportsService,
  ) {}

  /** Figures per question, and the same by unit below the chosen one or by member category; small groups hidden. */
  @Get(':id')
  @ApiZodQuery(ResultsQuerySchema)
  figures(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: ResultsQuerySchema }) query: ResultsQuery,
  ): Promise<QuestionnaireResults> {
    return this.results.results(principal, id, query);
  }

  /** What members wrote to a question (free text, or after "other"): a page of it, searchable, or all of it as a file. */
  @Get(':id/questions/:questionId/answers')
  @ApiZodQuery(TextAnswersQuerySchema)
  async answers(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('questionId', { schema: UuidParam }) questionId: string,
    @Query({ schema: TextAnswersQuerySchema }) query: TextAnswersQuery,
    @Res() res: Response,
  ) {
    const file = query.format !== 'json';
    const { questionnaire, unit, items, ...page } = await this.results.textAnswers(principal, id, questionId, query, file);
    const day = this.reports.today();
    const what = say(query.lang, '文字回答', 'written answers');
    const time = (iso: string) => localDateTime(iso, this.reports.timeZone);
    await send(
      res,
      {
        name: fileName(questionnaire.title, unit.name, what, day),
        asciiName: ['questionnaire', unit.path, 'written-answers', day].join('-'),
        sheet: what,
        columns: textAnswerColumns(questionnaire.anonymous, time),
        rows: items,
      },
      query.format,
      query.lang,
      page,
    );
  }

  /** How many of the audience responded, per unit of the chosen subtree. Who responded is told; what, never. */
  @Get(':id/rates')
  @ApiZodQuery(RatesQuerySchema)
  async rates(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: RatesQuerySchema }) query: RatesQuery,
    @Res() res: Response,
  ) {
    const { items, row, root, ...facts } = await this.responses.rates(principal, id, query.unitId);
    const day = this.reports.today();
    const what = say(query.lang, '答复率', 'response rates');
    await send(
      res,
      {
        name: fileName(row.title, root.name, what, day),
        asciiName: ['questionnaire', root.path, 'response-rates', day].join('-'),
        sheet: what,
        columns: rateColumns(),
        rows: items,
      },
      query.format,
      query.lang,
      facts,
    );
  }

  /** The members of the audience under the unit who have not answered yet, to phone: a page, or all as a file. */
  @Get(':id/pending')
  @ApiZodQuery(NonRespondentsQuerySchema)
  async pending(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: NonRespondentsQuerySchema }) query: NonRespondentsQuery,
    @Res() res: Response,
  ) {
    const { items, row, root, ...page } = await this.responses.nonRespondents(principal, id, query, query.format !== 'json');
    const day = this.reports.today();
    const what = say(query.lang, '未答名单', 'not yet answered');
    await send(
      res,
      {
        name: fileName(row.title, root.name, what, day),
        asciiName: ['questionnaire', root.path, 'not-yet-answered', day].join('-'),
        sheet: what,
        columns: nonRespondentColumns(query.lang),
        rows: items,
      },
      query.format,
      query.lang,
      page,
    );
  }

  /** An in-app notice to each member under the unit who has not answered yet; answers how many were reminded. */
  @Post(':id/reminders')
  @HttpCode(200)
  @ApiZodBody(ReminderSchema)
  remind(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: ReminderSchema }) body: ReminderInput,
  ): Promise<ReminderResult> {
    return this.responses.remind(principal, id, body.unitId);
  }
}
