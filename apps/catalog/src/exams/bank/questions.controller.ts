import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../../org/org.schemas.js';
import { QuestionQuery, QuestionSchema, type QuestionBody } from './bank.schemas.js';
import { bodyBytes, ExamImagesService, IMAGE_TYPES, MAX_IMAGE_BYTES } from './exam-images.js';
import { QuestionsService } from './questions.service.js';

/** The question bank: editors write the questions of their subtree; admins and inspectors read. */
@ApiTags('exams')
@ApiBearerAuth()
@Controller('api')
export class QuestionsController {
  constructor(
    private readonly questions: QuestionsService,
    private readonly images: ExamImagesService,
  ) {}

  @Roles('editor', 'admin', 'inspector')
  @Get('exam-questions')
  @ApiZodQuery(QuestionQuery)
  list(@CurrentPrincipal() principal: Principal, @Query({ schema: QuestionQuery }) query: QuestionQuery) {
    return this.questions.list(principal, query);
  }

  @Roles('editor', 'admin', 'inspector')
  @Get('exam-questions/topics')
  topics(@CurrentPrincipal() principal: Principal) {
    return this.questions.topics(principal);
  }

  @Roles('editor')
  @Post('exam-questions')
  @ApiZodBody(QuestionSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: QuestionSchema }) body: QuestionBody) {
    return this.questions.create(principal, body);
  }

  @Roles('editor', 'admin', 'inspector')
  @Get('exam-questions/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.questions.get(principal, id);
  }

  @Roles('editor')
  @Put('exam-questions/:id')
  @ApiZodBody(QuestionSchema)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: QuestionSchema }) body: QuestionBody,
  ) {
    return this.questions.update(principal, id, body);
  }

  @Roles('editor')
  @Post('exam-questions/:id/retire')
  @HttpCode(200)
  retire(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.questions.retire(principal, id, true);
  }

  @Roles('editor')
  @Post('exam-questions/:id/restore')
  @HttpCode(200)
  restore(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.questions.retire(principal, id, false);
  }

  /** The body is the image itself (PNG, JPEG, WebP or GIF, at most 2 MiB); its bytes must be what it claims. */
  @Roles('editor')
  @Post('exam-images')
  @HttpCode(201)
  @ApiConsumes(...IMAGE_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async upload(@CurrentPrincipal() principal: Principal, @Req() req: Request) {
    const declared = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    return this.images.store(principal, declared, await bodyBytes(req, MAX_IMAGE_BYTES));
  }

  /** Any signed-in user: members see the images of the questions they are given. */
  @Get('exam-images/:id')
  async image(
    @Param('id', { schema: UuidParam }) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    res.setHeader('Cache-Control', 'private, max-age=86400');
    if (ifNoneMatch) {
      const etag = await this.images.etag(id);
      if (etag && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
        res.setHeader('ETag', etag);
        res.status(304).end();
        return;
      }
    }
    const image = await this.images.read(id);
    res.setHeader('Content-Type', image.contentType);
    res.setHeader('Content-Length', String(image.bytes.length));
    res.setHeader('ETag', image.etag);
    res.status(200).end(image.bytes);
  }
}
