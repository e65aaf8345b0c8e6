import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type {
  AttendanceEventView,
  CheckinCodeView,
  CheckinResult,
  CheckoutResult,
  GroupSessionDetail,
  GroupSessionSummary,
  GroupStudyCapabilities,
  MyAttendanceEntry,
  RosterEntry,
} from '#contracts';
import { ApiZodBody, ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import {
  AttendanceTickSchema,
  AttendanceUndoSchema,
  CheckinSchema,
  CreateCollectiveSchema,
  CreateInPersonSchema,
  ListSessionsQuerySchema,
  AttendedQuerySchema,
  type AttendanceTickInput,
  type AttendedQuery,
  type AttendanceUndoInput,
  type CheckinInput,
  type CreateCollectiveInput,
  type CreateInPersonInput,
  type ListSessionsQuery,
} from './group-sessions.schemas.js';
import { GroupSessionsService } from './group-sessions.service.js';

/**
 * Group sessions: leaders (group leaders and secretaries by position) and admins start, run and end them for their
 * units; members check in and out with the screen's code. Sessions outside the caller's reach answer 404.
 */
@ApiTags('group-study')
@ApiBearerAuth()
@Roles('member', 'editor', 'admin')
@Controller('api/group-sessions')
export class GroupSessionsController {
  constructor(private readonly sessions: GroupSessionsService) {}

  @Get('capabilities')
  capabilities(@CurrentPrincipal() principal: Principal): Promise<GroupStudyCapabilities> {
    return this.sessions.capabilities(principal);
  }

  @Get()
  @ApiZodQuery(ListSessionsQuerySchema)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: ListSessionsQuerySchema }) query: ListSessionsQuery,
  ): Promise<GroupSessionSummary[]> {
    return this.sessions.list(principal, query);
  }

  @Get('attended')
  @ApiZodQuery(AttendedQuerySchema)
  attended(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: AttendedQuerySchema }) query: AttendedQuery,
  ): Promise<MyAttendanceEntry[]> {
    return this.sessions.attended(principal, query.limit);
  }

  @Post('collective')
  @ApiZodBody(CreateCollectiveSchema)
  collective(
    @CurrentPrincipal() principal: Principal,
    @Body({ schema: CreateCollectiveSchema }) body: CreateCollectiveInput,
  ): Promise<GroupSessionDetail> {
    return this.sessions.createCollective(principal, body);
  }

  @Post('in-person')
  @ApiZodBody(CreateInPersonSchema)
  inPerson(
    @CurrentPrincipal() principal: Principal,
    @Body({ schema: CreateInPersonSchema }) body: CreateInPersonInput,
  ): Promise<GroupSessionDetail> {
    return this.sessions.createInPerson(principal, body);
  }

  @Post('checkin')
  @HttpCode(200)
  @ApiZodBody(CheckinSchema)
  checkin(@CurrentPrincipal() principal: Principal, @Body({ schema: CheckinSchema }) body: CheckinInput): Promise<CheckinResult> {
    return this.sessions.checkin(principal, body);
  }

  @Get(':id')
  one(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<GroupSessionDetail> {
    return this.sessions.detail(principal, id);
  }

  @Post(':id/end')
  @HttpCode(200)
  end(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<GroupSessionDetail> {
    return this.sessions.end(principal, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<GroupSessionDetail> {
    return this.sessions.cancel(principal, id);
  }

  @Get(':id/roster')
  roster(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<RosterEntry[]> {
    return this.sessions.roster(principal, id);
  }

  @Post(':id/attendance')
  @HttpCode(200)
  @ApiZodBody(AttendanceTickSchema)
  tick(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: AttendanceTickSchema }) body: AttendanceTickInput,
  ): Promise<RosterEntry> {
    return this.sessions.tick(principal, id, body);
  }

  @Post(':id/attendance/undo')
  @HttpCode(200)
  @ApiZodBody(AttendanceUndoSchema)
  undo(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: AttendanceUndoSchema }) body: AttendanceUndoInput,
  ): Promise<RosterEntry> {
    return this.sessions.undo(principal, id, body);
  }

  @Get(':id/code')
  code(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<CheckinCodeView> {
    return this.sessions.code(principal, id);
  }

  @Post(':id/checkout')
  @HttpCode(200)
  checkout(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<CheckoutResult> {
    return this.sessions.checkoutSelf(principal, id);
  }

  @Get(':id/events')
  events(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<AttendanceEventView[]> {
    return this.sessions.events(principal, id);
  }
}
