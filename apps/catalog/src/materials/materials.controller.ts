import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Public, Roles, type Principal } from '#auth';
import { ApiZodBody, ApiZodQuery } from '#platform';
import type { Storage } from '#storage';
import { sendStoredFile } from '../media/send-stored-file.js';
import { STORAGE } from '../media/storage.provider.js';
import { UuidParam } from '../org/org.schemas.js';
import type { MaterialLinkVariant } from './material-link.js';
import {
  MaterialLinkTokenParam,
  MaterialLinkVariantParam,
  MaterialListQuerySchema,
  UpdateMaterialSchema,
  type MaterialListQuery,
  type UpdateMaterialBody,
} from './materials.schemas.js';
import { MaterialsService } from './materials.service.js';

/** Everyone signed in: the materials of courses and lectures they may open, and one material with signed links. */
@ApiTags('materials')
@ApiBearerAuth()
@Controller('api')
export class MaterialsController {
  constructor(private readonly materials: MaterialsService) {}

  /** Members: live materials of a published course open to them; editors of the course: with state and problems. */
  @Get('courses/:id/materials')
  forCourse(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.materials.listForCourse(principal, id);
  }

  @Get('lectures/:id/materials')
  forLecture(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.materials.listForLecture(principal, id);
  }

  /** The material with `links.readUrl` (its PDF, when there is one) and `links.downloadUrl` (the original), both expiring. */
  @Get('materials/:id')
  open(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.materials.open(principal, id);
  }
}

/** Editors of a course: every material with its state, renaming, attaching, ordering, archiving, restoring and retrying. */
@ApiTags('materials')
@ApiBearerAuth()
@Roles('editor')
@Controller('api/studio')
export class StudioMaterialsController {
  constructor(private readonly materials: MaterialsService) {}

  @Get('courses/:id/materials')
  @ApiZodQuery(MaterialListQuerySchema)
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: MaterialListQuerySchema }) query: MaterialListQuery,
  ) {
    return this.materials.studioList(principal, id, query.includeArchived);
  }

  /** Any of title, lectureId (null: the whole course) and position (0 is first). */
  @Patch('materials/:id')
  @ApiZodBody(UpdateMaterialSchema)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: UpdateMaterialSchema }) body: UpdateMaterialBody,
  ) {
    return this.materials.update(principal, id, body);
  }

  /** Takes the material away from members; it is kept, never deleted. */
  @Post('materials/:id/archive')
  @HttpCode(200)
  archive(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.materials.archive(principal, id);
  }

  /** Gives an archived material back to members, last in its course's list; restoring a live one leaves it as it is. */
  @Post('materials/:id/restore')
  @HttpCode(200)
  restore(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.materials.restore(principal, id);
  }

  /** Converts a failed Word, PowerPoint or Excel file to PDF again. */
  @Post('materials/:id/retry')
  @HttpCode(200)
  retry(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.materials.retry(principal, id);
  }
}

/**
 * The files behind signed links: `read` is the PDF (byte ranges, for pdf.js), `download` the original as an
 * attachment under its file name. The token in the path is checked, then the account, course and material
 * on every request, so a link stops as soon as any of them no longer admits it.
 */
@ApiExcludeController()
@Public()
@Controller('api/material-files')
export class MaterialFilesController {
  constructor(
    private readonly materials: MaterialsService,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  /** Express answers HEAD with this GET route, headers only. */
  @Get(':token/:id/:variant')
  async serve(
    @Param('token', { schema: MaterialLinkTokenParam }) token: string,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('variant', { schema: MaterialLinkVariantParam }) variant: MaterialLinkVariant,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.materials.file(token, id, variant);
    if (!file.ok) {
      res.status(file.status).json({ statusCode: file.status, message: file.message });
      return;
    }
    // Uploaded files are never rendered by the browser as pages of this site.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    await sendStoredFile(this.storage, file.key, req.headers.range, res, {
      // Checked per request: nothing may keep serving it from a cache once the link is closed.
      cacheControl: 'private, no-store',
      ...(file.downloadName ? { downloadName: file.downloadName } : {}),
    });
  }
}
