import { Body, Controller, HttpCode, HttpException, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '#auth';
import { HeartbeatEndpoint } from './heartbeat-endpoint.js';

/**
 * Documents the heartbeat endpoint; in a running catalog, POST /api/heartbeats is answered by
 * HeartbeatEndpoint.handleRaw before requests reach Express, so this route serves only the docs
 * and in-process test apps that skip that wiring.
 */
@ApiTags('study')
@Controller('api')
export class HeartbeatsController {
  constructor(private readonly endpoint: HeartbeatEndpoint) {}

  @Public()
  @Post('heartbeats')
  @HttpCode(200)
  async heartbeat(@Body() raw: unknown) {
    const body = Buffer.isBuffer(raw) ? safeJson(raw) : raw;
    const { status, body: answer } = await this.endpoint.respond(body);
    if (status !== 200) throw new HttpException(answer, status);
    return answer;
  }
}

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
}
