import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Public, Roles, type Principal } from '#auth';
import { ApiZodBody, ApiZodQuery } from '#platform';
import type { Storage } from '#storage';
import { sendStoredFile } from '../media/send-stored-file.js';
import { STORAGE } from '../media/storage.provider.js';
import { UuidParam } from '../org/org.schemas.js';
import { PlaybackService } from '../playback/playback.service.js';
import { CatalogBrowseService } from './catalog-browse.service.js';
import {
  BrowseCoursesQuerySchema,
  CreateCourseCategorySchema,
  type BrowseCoursesQuery,
  type CreateCourseCategoryInput,
} from './course.schemas.js';
import { StudioService } from './studio.service.js';

@ApiTags('courses')
@ApiBearerAuth()
@Controller('api')
export class CoursesController {
  constructor(
    private readonly browse: CatalogBrowseService,
    private readonly studio: StudioService,
    private readonly playback: PlaybackService,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  @Get('course-categories')
  categories() {
    return this.studio.categories();
  }

  /** Categories are shared by the whole organisation: its committee editors and administrators add them. */
  @Roles('editor', 'admin')
  @Post('course-categories')
  @ApiZodBody(CreateCourseCategorySchema)
  createCategory(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateCourseCategorySchema }) body: CreateCourseCategoryInput) {
    return this.studio.createCategory(principal, body);
  }

  /** Published courses meant for the caller's unit, searchable in Chinese and English. */
  @Get('courses')
  @ApiZodQuery(BrowseCoursesQuerySchema)
  list(@CurrentPrincipal() principal: Principal, @Query({ schema: BrowseCoursesQuerySchema }) query: BrowseCoursesQuery) {
    return this.browse.browse(principal, query);
  }

  @Get('courses/:id')
  detail(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.browse.detail(principal, id);
  }

  /** Cover images are plain pictures an <img> loads without a token. */
  @Public()
  @Get('courses/:id/cover')
  async cover(@Param('id', { schema: UuidParam }) id: string, @Req() req: Request, @Res() res: Response) {
    const key = await this.studio.coverKey(id);
    if (!key) return void res.status(404).json({ statusCode: 404, message: 'This course has no cover.' });
    await sendStoredFile(this.storage, key, req.headers.range, res, { cacheControl: 'public, max-age=31536000, immutable' });
  }

  @Public()
  @Get('lectures/:id/poster')
  async poster(@Param('id', { schema: UuidParam }) id: string, @Req() req: Request, @Res() res: Response) {
    await sendStoredFile(this.storage, await this.playback.posterKey(id), req.headers.range, res, { cacheControl: 'public, max-age=3600' });
  }
}
