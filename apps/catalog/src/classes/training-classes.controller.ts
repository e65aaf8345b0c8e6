import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import {
  CreateClassSchema,
  EnrolByFilterSchema,
  EnrolSchema,
  ListClassesQuerySchema,
  ListEnrolmentsQuerySchema,
  UpdateClassSchema,
  type CreateClassInput,
  type EnrolByFilterInput,
  type EnrolInput,
  type ListClassesQuery,
  type ListEnrolmentsQuery,
  type UpdateClassInput,
} from './training-classes.schemas.js';
import { TrainingClassesService } from './training-classes.service.js';

@ApiTags('training-classes')
@ApiBearerAuth()
@Roles('admin')
@Controller('api')
export class TrainingClassesController {
  constructor(private readonly classes: TrainingClassesService) {}

  // Editors read the list too: an exam's audience may name training classes.
  @Roles('admin', 'editor')
  @Get('training-classes')
  @ApiZodQuery(ListClassesQuerySchema)
  list(@CurrentPrincipal() principal: Principal, @Query({ schema: ListClassesQuerySchema }) query: ListClassesQuery) {
    return this.classes.list(principal, query);
  }

  @Post('training-classes')
  @ApiZodBody(CreateClassSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateClassSchema }) body: CreateClassInput) {
    return this.classes.create(principal, body);
  }

  @Get('training-classes/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.classes.get(principal, id);
  }

  @Patch('training-classes/:id')
  @ApiZodBody(UpdateClassSchema)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: UpdateClassSchema }) body: UpdateClassInput,
  ) {
    return this.classes.update(principal, id, body);
  }

  @Post('training-classes/:id/archive')
  @HttpCode(200)
  archive(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.classes.archive(principal, id);
  }

  @Get('training-classes/:id/members')
  @ApiZodQuery(ListEnrolmentsQuerySchema)
  members(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: ListEnrolmentsQuerySchema }) query: ListEnrolmentsQuery,
  ) {
    return this.classes.members(principal, id, query);
  }

  @Post('training-classes/:id/members')
  @HttpCode(200)
  @ApiZodBody(EnrolSchema)
  enrol(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: EnrolSchema }) body: EnrolInput,
  ) {
    return this.classes.enrol(principal, id, body);
  }

  @Post('training-classes/:id/members/by-filter')
  @HttpCode(200)
  @ApiZodBody(EnrolByFilterSchema)
  enrolByFilter(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: EnrolByFilterSchema }) body: EnrolByFilterInput,
  ) {
    return this.classes.enrolByFilter(principal, id, body);
  }

  /** The body is the CSV file itself (Content-Type: text/csv): one login per row. */
  @Post('training-classes/:id/members/import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'login\nmember02\nmember03' } })
  importRoster(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string, @Req() request: Request) {
    if (!Buffer.isBuffer(request.body)) {
      throw new UnsupportedMediaTypeException('Send the file itself with Content-Type: text/csv.');
    }
    return this.classes.importRoster(principal, id, request.body);
  }

  @Post('training-classes/:id/members/:userId/withdraw')
  @HttpCode(200)
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Param('userId', { schema: UuidParam }) userId: string,
  ) {
    return this.classes.withdraw(principal, id, userId);
  }

  @Get('members/:id/classes')
  forMember(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.classes.forMember(principal, id);
  }
}
