import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { GradingAnswer, GradingQueueItem } from '#contracts';
import { ApiZodBody } from '#platform';
import { UuidParam } from '../../org/org.schemas.js';
import { GradingService } from './grading.service.js';
import { GradeSchema, type GradeBody } from './taking.schemas.js';

@ApiTags('exams: grading')
@ApiBearerAuth()
@Roles('editor', 'admin')
@Controller('api/grading')
export class GradingController {
  constructor(private readonly grading: GradingService) {}

  /** Short answers waiting for a grader, by exam and question, of members in the caller's subtree. */
  @Get('queue')
  queue(@CurrentPrincipal() principal: Principal): Promise<GradingQueueItem[]> {
    return this.grading.queue(principal);
  }

  @Get('exams/:examId/questions/:questionId')
  answers(
    @CurrentPrincipal() principal: Principal,
    @Param('examId', { schema: UuidParam }) examId: string,
    @Param('questionId', { schema: z.uuid('must be the id of a question') }) questionId: string,
  ): Promise<GradingAnswer[]> {
    return this.grading.answers(principal, examId, questionId);
  }

  @Post('answers')
  @HttpCode(200)
  @ApiZodBody(GradeSchema)
  grade(@CurrentPrincipal() principal: Principal, @Body({ schema: GradeSchema }) body: GradeBody): Promise<GradingAnswer> {
    return this.grading.grade(principal, body);
  }
}
