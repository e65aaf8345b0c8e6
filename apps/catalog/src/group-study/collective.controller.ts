import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import type { ScreenHeartbeatResult } from '#contracts';
import { ApiZodBody } from '#platform';
import type { GroupScreenStream } from '../../../../libs/contracts/src/collective.js';
import { UuidParam } from '../org/org.schemas.js';
import { ScreenHeartbeatSchema, type ScreenHeartbeatInput } from './collective-schemas.js';
import { CollectiveService } from './collective.service.js';

/** The room's screen during a collective viewing: its media links and its heartbeats. Run by the session's managers. */
@ApiTags('group-study')
@ApiBearerAuth()
@Roles('member', 'editor', 'admin')
@Controller('api/group-sessions')
export class CollectiveController {
  constructor(private readonly collective: CollectiveService) {}

  @Post(':id/heartbeats')
  @HttpCode(200)
  @ApiZodBody(ScreenHeartbeatSchema)
  heartbeat(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: ScreenHeartbeatSchema }) body: ScreenHeartbeatInput,
  ): Promise<ScreenHeartbeatResult> {
    return this.collective.heartbeat(principal, id, body);
  }

  @Post(':id/stream')
  @HttpCode(200)
  stream(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string): Promise<GroupScreenStream> {
    return this.collective.stream(principal, id);
  }
}
