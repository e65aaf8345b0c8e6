import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import {
  CreateCourseSchema,
  CreateLectureSchema,
  LectureOrderSchema,
  UpdateCourseSchema,
  UpdateLectureSchema,
  type CreateCourseInput,
  type CreateLectureInput,
  type UpdateCourseInput,
  type UpdateLectureInput,
} from './course.schemas.js';
import { StudioService } from './studio.service.js';

/**
 * The editor studio: courses in every state and their lectures. Editors only, and each editor only
 * the courses owned by their unit's subtree (404 for the others); admins read courses as members do.
 */
@ApiTags('studio')
@ApiBearerAuth()
@Roles('editor')
@Controller('api')
export class StudioController {
  constructor(private readonly studio: StudioService) {}

  /** The units of the editor's subtree, for choosing who may see a course and which unit owns it. */
  @Get('org-units/visible')
  units(@CurrentPrincipal() principal: Principal) {
    return this.studio.units(principal);
  }

  @Get('studio/courses')
  list(@CurrentPrincipal() principal: Principal) {
    return this.studio.list(principal);
  }

  @Get('studio/courses/:id')
  view(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.studio.view(principal, id);
  }

  @Post('courses')
  @ApiZodBody(CreateCourseSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateCourseSchema }) body: CreateCourseInput) {
    return this.studio.create(principal, body);
  }

  @Patch('courses/:id')
  @ApiZodBody(UpdateCourseSchema)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: UpdateCourseSchema }) body: UpdateCourseInput,
  ) {
    return this.studio.update(principal, id, body);
  }

  @Post('courses/:id/publish')
  @HttpCode(200)
  publish(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.studio.transition(principal, id, 'publish');
  }

  @Post('courses/:id/unpublish')
  @HttpCode(200)
  unpublish(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.studio.transition(principal, id, 'unpublish');
  }

  @Post('courses/:id/archive')
  @HttpCode(200)
  archive(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.studio.transition(principal, id, 'archive');
  }

  /** The body is the image itself (image/jpeg, image/png or image/webp), at most 2 MB. */
  @Put('courses/:id/cover')
  @ApiConsumes('image/jpeg', 'image/png', 'image/webp')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  cover(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string, @Req() req: Request) {
    if (!Buffer.isBuffer(req.body))
      throw new BadRequestException('Send the image itself with Content-Type image/jpeg, image/png or image/webp.');
    return this.studio.setCover(principal, id, req.body);
  }

  @Post('courses/:id/lectures')
  @ApiZodBody(CreateLectureSchema)
  addLecture(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: CreateLectureSchema }) body: CreateLectureInput,
  ) {
    return this.studio.addLecture(principal, id, body);
  }

  @Put('courses/:id/lecture-order')
  @ApiZodBody(LectureOrderSchema)
  reorder(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: LectureOrderSchema }) body: z.infer<typeof LectureOrderSchema>,
  ) {
    return this.studio.reorder(principal, id, body.lectureIds);
  }

  @Patch('lectures/:id')
  @ApiZodBody(UpdateLectureSchema)
  updateLecture(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: UpdateLectureSchema }) body: UpdateLectureInput,
  ) {
    return this.studio.updateLecture(principal, id, body);
  }

  @Delete('lectures/:id')
  @HttpCode(204)
  removeLecture(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.studio.removeLecture(principal, id);
  }
}
