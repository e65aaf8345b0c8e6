import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { ChapterImportView, ChapterVersionList, ChapterVersionView, LectureChaptersView } from '#contracts';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import {
  ChapterRevisionParam,
  ImportChaptersQuerySchema,
  RestoreChaptersSchema,
  SaveChaptersSchema,
  type ImportChaptersQuery,
  type RestoreChaptersBody,
  type SaveChaptersBody,
} from './chapters.schemas.js';
import { ChaptersService } from './chapters.service.js';

/** Chapters of a lecture: read by whoever may watch it, replaced (and read from the uploaded file) by its editors. */
@ApiTags('chapters')
@ApiBearerAuth()
@Controller('api/lectures/:id/chapters')
export class ChaptersController {
  constructor(private readonly chapters: ChaptersService) {}

  @Get()
  view(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<LectureChaptersView> {
    return this.chapters.view(principal, id);
  }

  /** The whole list; the current one is kept on record, not deleted. */
  @Put()
  @Roles('editor')
  @ApiZodBody(SaveChaptersSchema)
  save(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: SaveChaptersSchema }) body: SaveChaptersBody,
  ): Promise<LectureChaptersView> {
    return this.chapters.save(principal, id, body);
  }

  /** The lists saved before the current one (who saved each, when, how many chapters), newest first. */
  @Get('versions')
  @Roles('editor')
  versions(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<ChapterVersionList> {
    return this.chapters.versions(principal, id);
  }

  /** One earlier list with its chapters, read-only. */
  @Get('versions/:revision')
  @Roles('editor')
  version(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('revision', { schema: ChapterRevisionParam }) revision: number,
  ): Promise<ChapterVersionView> {
    return this.chapters.version(principal, id, revision);
  }

  /** Saves an earlier list as the current one; the list it replaces is kept on record. */
  @Post('versions/:revision/restore')
  @HttpCode(200)
  @Roles('editor')
  @ApiZodBody(RestoreChaptersSchema)
  restore(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('revision', { schema: ChapterRevisionParam }) revision: number,
    @Body({ schema: RestoreChaptersSchema }) body: RestoreChaptersBody,
  ): Promise<LectureChaptersView> {
    return this.chapters.restore(principal, id, revision, body.revision);
  }

  /** Reads the chapters of the lecture's uploaded file and proposes them; saving is a separate PUT. */
  @Post('import')
  @HttpCode(200)
  @Roles('editor')
  @ApiZodQuery(ImportChaptersQuerySchema)
  importFromFile(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: ImportChaptersQuerySchema }) query: ImportChaptersQuery,
  ): Promise<ChapterImportView> {
    return this.chapters.importFromFile(principal, id, query.lang);
  }
}
