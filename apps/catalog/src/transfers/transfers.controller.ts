import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import {
  AcceptTransferSchema,
  CreateTransferSchema,
  DestinationsQuerySchema,
  ListTransfersQuerySchema,
  RejectTransferSchema,
  type AcceptTransferInput,
  type CreateTransferInput,
  type DestinationsQuery,
  type ListTransfersQuery,
  type RejectTransferInput,
} from './transfer.schemas.js';
import { TransfersService } from './transfers.service.js';

@ApiTags('transfers')
@ApiBearerAuth()
@Roles('admin')
@Controller('api')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  /** Inside the caller's subtree the member moves at once (`done`); to another branch it waits for that branch (`pending`). */
  @Post('transfers')
  @ApiZodBody(CreateTransferSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: CreateTransferSchema }) body: CreateTransferInput) {
    return this.transfers.create(principal, body);
  }

  @Get('transfers')
  @ApiZodQuery(ListTransfersQuerySchema)
  list(@CurrentPrincipal() principal: Principal, @Query({ schema: ListTransfersQuerySchema }) query: ListTransfersQuery) {
    return this.transfers.list(principal, query);
  }

  /** The whole organisation's units by name or path (no member data), to address a transfer to another branch. */
  @Get('transfers/destinations')
  @ApiZodQuery(DestinationsQuerySchema)
  destinations(@CurrentPrincipal() principal: Principal, @Query({ schema: DestinationsQuerySchema }) query: DestinationsQuery) {
    return this.transfers.destinations(principal, query);
  }

  @Get('transfers/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.transfers.get(principal, id);
  }

  @Post('transfers/:id/accept')
  @HttpCode(200)
  @ApiZodBody(AcceptTransferSchema)
  accept(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: AcceptTransferSchema }) body: AcceptTransferInput,
  ) {
    return this.transfers.accept(principal, id, body);
  }

  @Post('transfers/:id/reject')
  @HttpCode(200)
  @ApiZodBody(RejectTransferSchema)
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: RejectTransferSchema }) body: RejectTransferInput,
  ) {
    return this.transfers.reject(principal, id, body);
  }

  @Post('transfers/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.transfers.cancel(principal, id);
  }

  /** The member's transfers and unit periods, for their page. */
  @Get('members/:id/transfers')
  history(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.transfers.history(principal, id);
  }
}
