import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  HttpCode,
  HttpException,
  Inject,
  NotFoundException,
  Post,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '#auth';
import { parseHeartbeat } from '#watch';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from '../playback/playback.service.js';
import { HeartbeatIngestService, HeartbeatRejection } from './heartbeat-ingest.service.js';
import { HeartbeatLimiter } from './heartbeat-limiter.js';
import { isHeartbeatToken } from './heartbeat-token.js';

/** Turns a sendBeacon body (text/plain, parsed raw) or a fetch body (JSON) into an object. */
function bodyObject(body: unknown): unknown {
  if (Buffer.isBuffer(body)) {
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new BadRequestException('The heartbeat body must be JSON.');
    }
  }
  return body;
}

@ApiTags('study')
@Controller('api')
export class HeartbeatsController {
  private readonly limiter = new HeartbeatLimiter();

  constructor(
    private readonly ingest: HeartbeatIngestService,
    @Inject(PLAYBACK_OPTIONS) private readonly playback: PlaybackOptions,
  ) {}

  /**
   * What the player played since its last heartbeat. Authenticated by the session's heartbeat
   * token (in the body, so sendBeacon works); the server decides the credit from its own clock.
   */
  @Public()
  @Post('heartbeats')
  @HttpCode(200)
  async heartbeat(@Body() raw: unknown) {
    const body = bodyObject(raw) as Record<string, unknown> | null;
    const parsed = parseHeartbeat(body);
    if (!parsed.ok)
      throw new BadRequestException({ statusCode: 400, message: `Invalid heartbeat: ${parsed.errors.join('; ')}`, errors: parsed.errors });
    if (!isHeartbeatToken(this.playback.key, parsed.value.sessionId, body?.token)) {
      throw new ForbiddenException('This heartbeat is not signed for its session. Reopen the lecture.');
    }
    if (!this.limiter.take(parsed.value.sessionId, Date.now())) {
      throw new HttpException({ statusCode: 429, message: 'Too many heartbeats for this session; slow down.' }, 429);
    }
    try {
      return await this.ingest.submit(parsed.value);
    } catch (error) {
      if (error instanceof HeartbeatRejection) {
        throw error.status === 404 ? new NotFoundException(error.message) : new ConflictException(error.message);
      }
      throw error;
    }
  }
}
