import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { QuestionnaireAction, QuestionnaireSummary, QuestionnaireView } from '#contracts';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { ActionParam, QuestionnaireQuery, QuestionnaireSchema, type QuestionnaireBody } from './questionnaires.schemas.js';
import { QuestionnairesService } from './questionnaires.service.js';

/** Questionnaires: editors and admins make, change, open, close and archive those of their subtree. */
@ApiTags('questionnaires')
@ApiBearerAuth()
@Roles('editor', 'admin')
@Controller('api/questionnaires')
export class QuestionnairesController {
  constructor(private readonly questionnaires: QuestionnairesService) {}

  @Get()
  @ApiZodQuery(QuestionnaireQuery)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: QuestionnaireQuery }) query: QuestionnaireQuery,
  ): Promise<QuestionnaireSummary[]> {
    return this.questionnaires.list(principal, query);
  }

  @Post()
  @ApiZodBody(QuestionnaireSchema)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body({ schema: QuestionnaireSchema }) body: QuestionnaireBody,
  ): Promise<QuestionnaireView> {
    return this.questionnaires.create(principal, body);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<QuestionnaireView> {
    return this.questionnaires.get(principal, id);
  }

  @Put(':id')
  @ApiZodBody(QuestionnaireSchema)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: QuestionnaireSchema }) body: QuestionnaireBody,
  ): Promise<QuestionnaireView> {
    return this.questionnaires.update(principal, id, body);
  }

  /** `open`, `close` or `archive`. */
  @Post(':id/:action')
  @HttpCode(200)
  act(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('action', { schema: ActionParam }) action: QuestionnaireAction,
  ): Promise<QuestionnaireView> {
    return this.questionnaires.act(principal, id, action);
  }
}
