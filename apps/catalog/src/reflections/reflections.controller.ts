import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { MyReflectionsView, ReflectionView, ReviewQueueView, WallItem } from '#contracts';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { fileName, sendCsv, sendJson, sendXlsx, tableAsJson, type ReportTable } from '../reports/report-table.js';
import { ReportsService } from '../reports/reports.service.js';
import { ReflectionsReportService, reflectionsReportColumns } from './reflections-report.js';
import {
  ConsentSchema,
  CreateReflectionSchema,
  ReflectionsReportQuerySchema,
  ReviewSchema,
  SaveReflectionSchema,
  SubmitReflectionSchema,
  type ConsentInput,
  type CreateReflectionInput,
  type ReflectionsReportQuery,
  type ReviewInput,
  type SaveReflectionInput,
  type SubmitReflectionInput,
} from './reflections.schemas.js';
import { ReflectionsService } from './reflections.service.js';

/** A member's own reflections, the wall, and (for an admin) publishing to it. */
@ApiTags('reflections')
@ApiBearerAuth()
@Roles('member', 'editor', 'admin')
@Controller('api/reflections')
export class ReflectionsController {
  constructor(private readonly reflections: ReflectionsService) {}

  @Get()
  mine(@CurrentPrincipal() principal: Principal): Promise<MyReflectionsView> {
    return this.reflections.mine(principal);
  }

  @Post()
  @ApiZodBody(CreateReflectionSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateReflectionSchema }) body: CreateReflectionInput) {
    return this.reflections.create(principal, body);
  }

  @Get('wall')
  wall(@CurrentPrincipal() principal: Principal): Promise<WallItem[]> {
    return this.reflections.wall(principal);
  }

  @Get(':id')
  one(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<ReflectionView> {
    return this.reflections.view(principal, id);
  }

  @Put(':id')
  @ApiZodBody(SaveReflectionSchema)
  save(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: SaveReflectionSchema }) body: SaveReflectionInput,
  ) {
    return this.reflections.save(principal, id, body);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiZodBody(SubmitReflectionSchema)
  submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: SubmitReflectionSchema }) body: SubmitReflectionInput,
  ) {
    return this.reflections.submit(principal, id, body);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.reflections.withdraw(principal, id);
  }

  @Post(':id/consent')
  @HttpCode(200)
  @ApiZodBody(ConsentSchema)
  consent(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: ConsentSchema }) body: ConsentInput,
  ) {
    return this.reflections.consent(principal, id, body);
  }

  @Roles('admin')
  @Post(':id/publish')
  @HttpCode(200)
  publish(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.reflections.publish(principal, id);
  }

  @Roles('admin')
  @Post(':id/unpublish')
  @HttpCode(200)
  unpublish(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.reflections.unpublish(principal, id);
  }
}

/** Reviewing: group leaders and secretaries (by position) and admins, each over their own units. */
@ApiTags('reflections')
@ApiBearerAuth()
@Roles('member', 'editor', 'admin')
@Controller('api/review/reflections')
export class ReflectionReviewController {
  constructor(private readonly reflections: ReflectionsService) {}

  @Get()
  queue(@CurrentPrincipal() principal: Principal): Promise<ReviewQueueView> {
    return this.reflections.queue(principal);
  }

  @Post(':id')
  @HttpCode(200)
  @ApiZodBody(ReviewSchema)
  review(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: ReviewSchema }) body: ReviewInput,
  ) {
    return this.reflections.review(principal, id, body);
  }
}

/** Reflections written, reviewed and waiting, per unit of the caller's subtree, on screen and as files. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin', 'inspector')
@Controller('api/reports/reflections')
export class ReflectionsReportController {
  constructor(
    private readonly report: ReflectionsReportService,
    private readonly reports: ReportsService,
  ) {}

  @Get()
  @ApiZodQuery(ReflectionsReportQuerySchema)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: ReflectionsReportQuerySchema }) query: ReflectionsReportQuery,
    @Res() res: Response,
  ) {
    const { unit, rows } = await this.report.report(principal, query.unitId);
    const labels = await this.reports.labels(principal, query.lang);
    const what = query.lang === 'en' ? 'reflections' : '心得体会';
    const day = this.reports.today();
    const table: ReportTable<(typeof rows)[number]> & { rows: typeof rows } = {
      name: fileName(unit.name, what, day),
      asciiName: [unit.path, 'reflections', day].join('-'),
      sheet: what,
      columns: reflectionsReportColumns((path) => labels.unitTrail(path)),
      rows,
    };
    if (query.format === 'csv') return sendCsv(res, table, query.lang);
    if (query.format === 'xlsx') return sendXlsx(res, table, query.lang);
    // The page shows `cells`: the text the files carry.
    sendJson(res, table, query.lang, { unit, cells: tableAsJson(table, query.lang).rows });
  }
}
