import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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

  /** A new password, answered once: hand it to the person, who must replace it when they sign in. */
  @Roles('admin')
  @Post('members/:id/reset-password')
  @HttpCode(200)
  resetPassword(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.members.resetPassword(principal, id);
  }

  @Get('member-categories')
  categories() {
    return this.members.listCategories();
  }

  @Roles('admin')
  @Post('member-categories')
  @ApiZodBody(CreateCategorySchema)
  createCategory(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateCategorySchema }) body: CreateCategoryInput) {
    return this.members.createCategory(principal, body);
  }
}
