import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import { MarkReadSchema, NoticeListQuerySchema, type MarkReadInput, type NoticeListQuery } from './notices.schemas.js';
import { NoticesService } from './notices.service.js';

/** Every signed-in person reads and clears their own notices; nobody reads another's. */
@ApiTags('notices')
@ApiBearerAuth()
@Controller('api/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query({ schema: NoticeListQuerySchema }) query: NoticeListQuery) {
    return this.notices.list(principal, query.limit);
  }

  @Post('read')
  @HttpCode(200)
  @ApiZodBody(MarkReadSchema)
  read(@CurrentPrincipal() principal: Principal, @Body({ schema: MarkReadSchema }) body: MarkReadInput) {
    return this.notices.markRead(principal, body.ids);
  }
}
