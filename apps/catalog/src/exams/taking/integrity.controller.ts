import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { AttemptAudit, AttemptSummary, ExtraAttemptView } from '#contracts';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../../org/org.schemas.js';
import { IntegrityService } from './integrity.service.js';
import {
  ExtraAttemptSchema,
  ListAttemptsQuerySchema,
  VoidSchema,
  type ExtraAttemptBody,
  type ListAttemptsQuery,
  type VoidBody,
} from './taking.schemas.js';

@ApiTags('exams: integrity')
@ApiBearerAuth()
@Roles('admin')
@Controller('api')
export class IntegrityController {
  constructor(private readonly integrity: IntegrityService) {}

  /** Attempts at an exam by members of the caller's subtree (or of one unit in it), newest first. */
  @Get('exams/:id/attempts')
  @ApiZodQuery(ListAttemptsQuerySchema)
  attempts(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: ListAttemptsQuerySchema }) query: ListAttemptsQuery,
  ): Promise<{ items: AttemptSummary[]; nextCursor: string | null }> {
    return this.integrity.attempts(principal, id, query);
  }

  @Get('exam-attempts/:id/audit')
  audit(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<AttemptAudit> {
    return this.integrity.audit(principal, id);
  }

  @Post('exam-attempts/:id/void')
  @HttpCode(200)
  @ApiZodBody(VoidSchema)
  void(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: VoidSchema }) body: VoidBody,
  ): Promise<AttemptSummary> {
    return this.integrity.void(principal, id, body.reason);
  }

  @Post('exams/:id/extra-attempts')
  @ApiZodBody(ExtraAttemptSchema)
  grant(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: ExtraAttemptSchema }) body: ExtraAttemptBody,
  ): Promise<ExtraAttemptView> {
    return this.integrity.grantExtra(principal, id, body.userId, body.reason);
  }
}
