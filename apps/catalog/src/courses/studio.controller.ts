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

/** The editor studio: courses in every state and their lectures. */
@ApiTags('studio')
@ApiBearerAuth()
@Roles('editor', 'admin')
@Controller('api')
export class StudioController {
  constructor(private readonly studio: StudioService) {}

  /** Every unit, for choosing who may see a course. */
  @Get('org-units/visible')
  units() {
    return this.studio.units();
  }

  @Get('studio/courses')
  list() {
    return this.studio.list();
  }

  @Get('studio/courses/:id')
  view(@Param('id', { schema: UuidParam }) id: string) {
    return this.studio.view(id);
  }

  @Post('courses')
  @ApiZodBody(CreateCourseSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateCourseSchema }) body: CreateCourseInput) {
    return this.studio.create(principal, body);
  }

  @Patch('courses/:id')
  @ApiZodBody(UpdateCourseSchema)
  update(@Param('id', { schema: UuidParam }) id: string, @Body({ schema: UpdateCourseSchema }) body: UpdateCourseInput) {
    return this.studio.update(id, body);
  }

  @Post('courses/:id/publish')
  @HttpCode(200)
  publish(@Param('id', { schema: UuidParam }) id: string) {
    return this.studio.transition(id, 'publish');
  }

  @Post('courses/:id/unpublish')
  @HttpCode(200)
  unpublish(@Param('id', { schema: UuidParam }) id: string) {
    return this.studio.transition(id, 'unpublish');
  }

  @Post('courses/:id/archive')
  @HttpCode(200)
  archive(@Param('id', { schema: UuidParam }) id: string) {
    return this.studio.transition(id, 'archive');
  }

  /** The body is the image itself (image/jpeg, image/png or image/webp), at most 2 MB. */
  @Put('courses/:id/cover')
  @ApiConsumes('image/jpeg', 'image/png', 'image/webp')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  cover(@Param('id', { schema: UuidParam }) id: string, @Req() req: Request) {
    if (!Buffer.isBuffer(req.body))
      throw new BadRequestException('Send the image itself with Content-Type image/jpeg, image/png or image/webp.');
    return this.studio.setCover(id, req.body);
  }

  @Post('courses/:id/lectures')
  @ApiZodBody(CreateLectureSchema)
  addLecture(@Param('id', { schema: UuidParam }) id: string, @Body({ schema: CreateLectureSchema }) body: CreateLectureInput) {
    return this.studio.addLecture(id, body);
  }

  @Put('courses/:id/lecture-order')
  @ApiZodBody(LectureOrderSchema)
  reorder(@Param('id', { schema: UuidParam }) id: string, @Body({ schema: LectureOrderSchema }) body: z.infer<typeof LectureOrderSchema>) {
    return this.studio.reorder(id, body.lectureIds);
  }

  @Patch('lectures/:id')
  @ApiZodBody(UpdateLectureSchema)
  updateLecture(@Param('id', { schema: UuidParam }) id: string, @Body({ schema: UpdateLectureSchema }) body: UpdateLectureInput) {
    return this.studio.updateLecture(id, body);
  }

  @Delete('lectures/:id')
  @HttpCode(204)
  removeLecture(@Param('id', { schema: UuidParam }) id: string) {
    return this.studio.removeLecture(id);
  }
}
