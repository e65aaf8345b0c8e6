import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import {
  CreateOrgUnitSchema,
  MoveOrgUnitSchema,
  SearchOrgUnitsQuery,
  UpdateOrgUnitSchema,
  UuidParam,
  type CreateOrgUnitInput,
  type MoveOrgUnitInput,
  type SearchOrgUnitsInput,
  type UpdateOrgUnitInput,
} from './org.schemas.js';
import { OrgUnitsService } from './org-units.service.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/org-units')
export class OrgUnitsController {
  constructor(private readonly units: OrgUnitsService) {}

  @Roles('admin', 'inspector')
  @Get()
  subtree(@CurrentPrincipal() principal: Principal) {
    return this.units.subtree(principal);
  }

  /** Units of the caller's subtree by name, pinyin initials, short name or path; at most 50. */
  @Roles('admin', 'inspector')
  @Get('search')
  search(@CurrentPrincipal() principal: Principal, @Query({ schema: SearchOrgUnitsQuery }) query: SearchOrgUnitsInput) {
    return this.units.search(principal, query.q);
  }

  @Post()
  @ApiZodBody(CreateOrgUnitSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateOrgUnitSchema }) body: CreateOrgUnitInput) {
    return this.units.create(principal, body);
  }

  @Patch(':id')
  @ApiZodBody(UpdateOrgUnitSchema)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: UpdateOrgUnitSchema }) body: UpdateOrgUnitInput,
  ) {
    return this.units.update(principal, id, body);
  }

  /** Moves the unit, with everything below it, under another parent. */
  @Post(':id/move')
  @HttpCode(200)
  @ApiZodBody(MoveOrgUnitSchema)
  move(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: MoveOrgUnitSchema }) body: MoveOrgUnitInput,
  ) {
    return this.units.move(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.units.remove(principal, id);
  }
}
