import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { CaptionLang } from '#contracts';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import {
  CaptionLangParam,
  CaptionUploadQuerySchema,
  CaptionVersionIdParam,
  RestoreCaptionSchema,
  type CaptionUploadQuery,
  type RestoreCaptionBody,
} from './captions.schemas.js';
import { CaptionsService } from './captions.service.js';

const SEND_TEXT = 'Send the caption file itself with Content-Type text/plain (WebVTT or SRT, UTF-8 or GBK, at most 2 MB).';

function bodyBytes(req: Request): Buffer {
  if (!Buffer.isBuffer(req.body)) throw new BadRequestException(SEND_TEXT);
  return req.body;
}

/** Editors: the captions of the lectures of courses they may edit (404 for the others). */
@ApiTags('captions')
@ApiBearerAuth()
@Roles('editor')
@Controller('api/studio/lectures/:id/captions')
export class StudioCaptionsController {
  constructor(private readonly captions: CaptionsService) {}

  /** Live tracks with their text for editing in the page. */
  @Get()
  view(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.captions.studio(principal, id);
  }

  /** Uploads a .vtt or .srt file (the body is the file, Content-Type text/plain); the previous text is kept. */
  @Post(':lang/file')
  @HttpCode(200)
  @ApiConsumes('text/plain')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiZodQuery(CaptionUploadQuerySchema)
  upload(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('lang', { schema: CaptionLangParam }) lang: CaptionLang,
    @Query({ schema: CaptionUploadQuerySchema }) query: CaptionUploadQuery,
    @Req() req: Request,
  ) {
    return this.captions.save(principal, id, lang, bodyBytes(req), query.fileName ?? null);
  }

  /** Saves the text edited in the page (the body, Content-Type text/plain), validated as an upload is. */
  @Put(':lang')
  @ApiConsumes('text/plain')
  @ApiBody({ schema: { type: 'string' } })
  edit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('lang', { schema: CaptionLangParam }) lang: CaptionLang,
    @Req() req: Request,
  ) {
    return this.captions.save(principal, id, lang, bodyBytes(req), null);
  }

  /** The earlier texts of a language (who saved each, when, how many captions), newest first. */
  @Get(':lang/versions')
  versions(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('lang', { schema: CaptionLangParam }) lang: CaptionLang,
  ) {
    return this.captions.versions(principal, id, lang);
  }

  /** One earlier text, read-only. */
  @Get(':lang/versions/:versionId')
  version(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('lang', { schema: CaptionLangParam }) lang: CaptionLang,
    @Param('versionId', { schema: CaptionVersionIdParam }) versionId: string,
  ) {
    return this.captions.version(principal, id, lang, versionId);
  }

  /** Saves an earlier text as the live one; the text it replaces is kept as an earlier version. */
  @Post(':lang/versions/:versionId/restore')
  @HttpCode(200)
  @ApiZodBody(RestoreCaptionSchema)
  restore(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('lang', { schema: CaptionLangParam }) lang: CaptionLang,
    @Param('versionId', { schema: CaptionVersionIdParam }) versionId: string,
    @Body({ schema: RestoreCaptionSchema }) body: RestoreCaptionBody,
  ) {
    return this.captions.restore(principal, id, lang, versionId, body.currentId);
  }

  /** Takes a language off the lecture; its text is kept as an earlier version. */
  @Post(':lang/archive')
  @HttpCode(200)
  archive(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('lang', { schema: CaptionLangParam }) lang: CaptionLang,
  ) {
    return this.captions.archive(principal, id, lang);
  }
}

/** Everyone who may open a lecture: its live captions for the player and the transcript. */
@ApiTags('captions')
@ApiBearerAuth()
@Controller('api/lectures/:id/captions')
export class LectureCaptionsController {
  constructor(private readonly captions: CaptionsService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.captions.forViewer(principal, id);
  }
}
