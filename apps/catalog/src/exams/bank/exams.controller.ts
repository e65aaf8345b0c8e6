import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../../org/org.schemas.js';
import { ExamQuery, ExamSchema, type ExamBody } from './bank.schemas.js';
import { ExamsService } from './exams.service.js';

/** Exams: editors make and change those of their subtree; admins and inspectors read them. */
@ApiTags('exams')
@ApiBearerAuth()
@Controller('api')
export class ExamsController {
  constructor(private readonly exams: ExamsService) {}

  @Roles('editor', 'admin', 'inspector')
  @Get('exams')
  @ApiZodQuery(ExamQuery)
  list(@CurrentPrincipal() principal: Principal, @Query({ schema: ExamQuery }) query: ExamQuery) {
    return this.exams.list(principal, query);
  }

  @Roles('editor')
  @Post('exams')
  @ApiZodBody(ExamSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: ExamSchema }) body: ExamBody) {
    return this.exams.create(principal, body);
  }

  @Roles('editor', 'admin', 'inspector')
  @Get('exams/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.exams.get(principal, id);
  }

  @Roles('editor')
  @Put('exams/:id')
  @ApiZodBody(ExamSchema)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: ExamSchema }) body: ExamBody,
  ) {
    return this.exams.update(principal, id, body);
  }

  @Roles('editor')
  @Post('exams/:id/publish')
  @HttpCode(200)
  publish(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.exams.publish(principal, id);
  }

  @Roles('editor')
  @Post('exams/:id/archive')
  @HttpCode(200)
  archive(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.exams.archive(principal, id);
  }

  /** A paper as a member would get it, with the answers: editors only. */
  @Roles('editor')
  @Get('exams/:id/sample')
  sample(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.exams.sample(principal, id);
  }
}
