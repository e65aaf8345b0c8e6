import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { AttemptPaper, AttemptResult, MyExamView, SaveAnswerResult } from '#contracts';
import { ApiZodBody } from '#platform';
import { UuidParam } from '../../org/org.schemas.js';
import { DEVICE_HEADER, deviceKey, ItemParam, SaveAnswerSchema, type SaveAnswerBody } from './taking.schemas.js';
import { TakingService } from './taking.service.js';

@ApiTags('exams: taking')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Exam-Device', description: 'A random key the browser keeps (16–128 characters).' })
@Roles('member', 'editor')
@Controller('api/me')
export class TakingController {
  constructor(private readonly taking: TakingService) {}

  @Get('exams')
  list(@CurrentPrincipal() principal: Principal, @Headers(DEVICE_HEADER) device?: string): Promise<MyExamView[]> {
    return this.taking.myExams(principal, deviceKey(device, false));
  }

  @Get('exams/:examId')
  one(
    @CurrentPrincipal() principal: Principal,
    @Param('examId', { schema: UuidParam }) examId: string,
    @Headers(DEVICE_HEADER) device?: string,
  ): Promise<MyExamView> {
    return this.taking.myExam(principal, examId, deviceKey(device, false));
  }

  /** Starts an attempt, or resumes the open one from the device that started it. */
  @Post('exams/:examId/attempts')
  @HttpCode(200)
  start(
    @CurrentPrincipal() principal: Principal,
    @Param('examId', { schema: UuidParam }) examId: string,
    @Headers(DEVICE_HEADER) device?: string,
  ): Promise<AttemptPaper> {
    return this.taking.start(principal, examId, deviceKey(device, true));
  }

  @Get('attempts/:id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Headers(DEVICE_HEADER) device?: string,
  ): Promise<AttemptPaper | AttemptResult> {
    return this.taking.get(principal, id, deviceKey(device, false));
  }

  /**
   * Documents saving an answer; in a running catalog a JSON save is answered by `AnswerEndpoint` before
   * requests reach Express, with the same checks and answers, so this serves the docs, other bodies and
   * in-process apps that skip that wiring.
   */
  @Put('attempts/:id/answers/:item')
  @ApiZodBody(SaveAnswerSchema)
  save(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('item', { schema: ItemParam }) item: number,
    @Body({ schema: SaveAnswerSchema }) body: SaveAnswerBody,
    @Headers(DEVICE_HEADER) device?: string,
  ): Promise<SaveAnswerResult> {
    return this.taking.save(principal, id, item, body.answer, body.baseRevision, deviceKey(device, true));
  }

  @Post('attempts/:id/submit')
  @HttpCode(200)
  submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Headers(DEVICE_HEADER) device?: string,
  ): Promise<AttemptResult> {
    return this.taking.submit(principal, id, deviceKey(device, true));
  }

  @Get('attempts/:id/result')
  result(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<AttemptResult> {
    return this.taking.result(principal, id);
  }
}
