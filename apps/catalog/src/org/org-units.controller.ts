import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import { CreateOrgUnitSchema, UpdateOrgUnitSchema, UuidParam, type CreateOrgUnitInput, type UpdateOrgUnitInput } from './org.schemas.js';
import { OrgUnitsService } from './org-units.service.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/org-units')
export class OrgUnitsController {
  constructor(private readonly units: OrgUnitsService) {}

  @Get()
  subtree(@CurrentPrincipal() principal: Principal) {
    return this.units.subtree(principal);
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

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.units.remove(principal, id);
  }
}
