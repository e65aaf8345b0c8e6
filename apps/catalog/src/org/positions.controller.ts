import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import { UuidParam } from './org.schemas.js';
import {
  AppointSchema,
  CreatePositionKindSchema,
  EndPositionSchema,
  type AppointInput,
  type CreatePositionKindInput,
  type EndPositionInput,
} from './positions.schemas.js';
import { PositionsService } from './positions.service.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Roles('admin')
@Controller('api')
export class PositionsController {
  constructor(private readonly positions: PositionsService) {}

  // Editors read the kinds too: an exam's audience may name positions.
  @Roles('admin', 'editor')
  @Get('position-kinds')
  kinds(@CurrentPrincipal() principal: Principal) {
    return this.positions.listKinds(principal);
  }

  @Post('position-kinds')
  @ApiZodBody(CreatePositionKindSchema)
  createKind(@CurrentPrincipal() principal: Principal, @Body({ schema: CreatePositionKindSchema }) body: CreatePositionKindInput) {
    return this.positions.createKind(principal, body);
  }

  @Get('members/:id/positions')
  forMember(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.positions.forMember(principal, id);
  }

  @Post('members/:id/positions')
  @ApiZodBody(AppointSchema)
  appoint(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: AppointSchema }) body: AppointInput,
  ) {
    return this.positions.appoint(principal, id, body);
  }

  @Post('member-positions/:id/end')
  @HttpCode(200)
  @ApiZodBody(EndPositionSchema)
  end(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: EndPositionSchema }) body: EndPositionInput,
  ) {
    return this.positions.end(principal, id, body);
  }

  @Get('org-units/:id/positions')
  holders(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.positions.holders(principal, id);
  }
}
