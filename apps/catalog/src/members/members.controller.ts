import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import {
  CreateCategorySchema,
  CreateMemberSchema,
  ListMembersQuerySchema,
  UpdateMemberSchema,
  type CreateCategoryInput,
  type CreateMemberInput,
  type ListMembersQuery,
  type UpdateMemberInput,
} from './member.schemas.js';
import { MembersService } from './members.service.js';

@ApiTags('members')
@ApiBearerAuth()
@Controller('api')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Roles('admin')
  @Get('members')
  @ApiZodQuery(ListMembersQuerySchema)
  list(@CurrentPrincipal() principal: Principal, @Query({ schema: ListMembersQuerySchema }) query: ListMembersQuery) {
    return this.members.list(principal, query);
  }

  @Roles('admin')
  @Get('members/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.members.get(principal, id);
  }

  @Roles('admin')
  @Post('members')
  @ApiZodBody(CreateMemberSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateMemberSchema }) body: CreateMemberInput) {
    return this.members.create(principal, body);
  }

  @Roles('admin')
  @Patch('members/:id')
  @ApiZodBody(UpdateMemberSchema)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: UpdateMemberSchema }) body: UpdateMemberInput,
  ) {
    return this.members.update(principal, id, body);
  }

  /** The body is the CSV file itself (Content-Type: text/csv), as a browser sends a File with fetch. */
  @Roles('admin')
  @Post('members/import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'name,login,unit,category\n王秀英,wangxy,committee/east/group-1,retired' } })
  import(@CurrentPrincipal() principal: Principal, @Req() request: Request) {
    if (!Buffer.isBuffer(request.body)) {
      throw new UnsupportedMediaTypeException('Send the file itself with Content-Type: text/csv.');
    }
    return this.members.import(principal, request.body);
  }

  @Get('member-categories')
  categories() {
    return this.members.listCategories();
  }

  @Roles('admin')
  @Post('member-categories')
  @ApiZodBody(CreateCategorySchema)
  createCategory(@Body({ schema: CreateCategorySchema }) body: CreateCategoryInput) {
    return this.members.createCategory(body);
  }
}
