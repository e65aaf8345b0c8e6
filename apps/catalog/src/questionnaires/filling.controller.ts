import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { MyQuestionnaireView, QuestionnaireToFill } from '#contracts';
import { ApiZodBody } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { AnswersSchema, type AnswersBody } from './questionnaires.schemas.js';
import { FillingService } from './filling.service.js';

/** Members filling questionnaires in: their open ones, a draft to come back to, and one submission each. */
@ApiTags('questionnaires: filling in')
@ApiBearerAuth()
@Roles('member', 'editor')
@Controller('api/my/questionnaires')
export class FillingController {
  constructor(private readonly filling: FillingService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<MyQuestionnaireView[]> {
    return this.filling.mine(principal);
  }

  @Get(':id')
  one(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<QuestionnaireToFill> {
    return this.filling.one(principal, id);
  }

  @Put(':id/draft')
  @ApiZodBody(AnswersSchema)
  saveDraft(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: AnswersSchema }) body: AnswersBody,
  ): Promise<{ savedAt: string }> {
    return this.filling.saveDraft(principal, id, body.answers);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiZodBody(AnswersSchema)
  submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: AnswersSchema }) body: AnswersBody,
  ): Promise<{ state: 'submitted' }> {
    return this.filling.submit(principal, id, body.answers);
  }
}
