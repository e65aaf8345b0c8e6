import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Public, Roles, type Principal } from '#auth';
import { UuidParam } from '../org/org.schemas.js';
import { AttentionService } from './attention.service.js';

const IsoDate = z.iso.date('must be a date as YYYY-MM-DD');
const PeriodQuery = z.object({ from: IsoDate.optional(), to: IsoDate.optional() });

/** The answer's body: JSON, as fetch sends it, or the same text from sendBeacon (text/plain, read raw). */
const AnswerBody = z.object({ token: z.string('token: send the heartbeat token of the playback session').min(1).max(200) });

function parseAnswer(raw: unknown): z.infer<typeof AnswerBody> {
  let body = raw;
  if (Buffer.isBuffer(raw)) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = null;
    }
  } else if (typeof raw === 'string') {
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
  }
  const parsed = AnswerBody.safeParse(body);
  if (!parsed.success) {
    throw new BadRequestException(`Invalid answer: send {"token": "<the session's heartbeat token>"} as JSON.`);
  }
  return parsed.data;
}

@ApiTags('study')
@Controller('api')
export class AttentionController {
  constructor(private readonly attention: AttentionService) {}

  /**
   * "Still listening?" answered. Signed with the session's heartbeat token in the body instead of an
   * Authorization header, so a locked screen can answer through sendBeacon.
   */
  @Public()
  @Post('playback/sessions/:id/checkins/:checkinId/answer')
  @HttpCode(200)
  async answer(
    @Param('id', { schema: UuidParam }) sessionId: string,
    @Param('checkinId', { schema: UuidParam }) checkinId: string,
    @Body() raw: unknown,
  ) {
    const body = parseAnswer(raw);
    return this.attention.answer(sessionId.toLowerCase(), checkinId.toLowerCase(), body.token);
  }

  /** The caller's own check-ins, newest first. */
  @ApiBearerAuth()
  @Get(['my/checkins', 'me/checkins'])
  mine(@CurrentPrincipal() principal: Principal, @Query({ schema: PeriodQuery }) period: z.infer<typeof PeriodQuery>) {
    return this.attention.mine(principal, period);
  }

  /** A member's check-ins, for the admins and inspectors of their unit. */
  @ApiBearerAuth()
  @Roles('admin', 'inspector')
  @Get('reports/members/:id/checkins')
  ofMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Query({ schema: PeriodQuery }) period: z.infer<typeof PeriodQuery>,
  ) {
    return this.attention.ofMember(principal, id, period);
  }
}
