import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { ReadingReportSchema, type ReadingReportBody } from './reading.schemas.js';
import { MaterialReadingService } from './reading.service.js';

@ApiTags('materials')
@ApiBearerAuth()
@Controller('api')
export class MaterialReadingController {
  constructor(private readonly reading: MaterialReadingService) {}

  /**
   * The reader's report, every ~30 s while it is on screen (and one with 0 s on opening): the seconds the page
   * was visible since the previous report. Credited at most the server's own time since the previous report.
   */
  @Roles('member')
  @Post('materials/:id/reading')
  @HttpCode(200)
  @ApiZodBody(ReadingReportSchema)
  report(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: ReadingReportSchema }) body: ReadingReportBody,
  ) {
    return this.reading.report(principal, id.toLowerCase(), body);
  }

  /** Per open plan that counts reading: the materials the caller opened and which count as read. Editors are learners too. */
  @Roles('member', 'editor')
  @Get('me/material-reading')
  mine(@CurrentPrincipal() principal: Principal) {
    return this.reading.mine(principal);
  }
}
