import { Body, Controller, HttpCode, HttpException, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '#auth';
import { contentTypeProblem, HeartbeatEndpoint, MAX_HEARTBEAT_BODY_BYTES } from './heartbeat-endpoint.js';

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
  async heartbeat(@Body() raw: unknown, @Req() req: Request) {
    // The same rules as the fast path, should a request ever get here.
    const typeProblem = contentTypeProblem(req.headers['content-type']);
    if (typeProblem) throw new HttpException({ statusCode: 415, message: typeProblem }, 415);
    if (
      Number(req.headers['content-length'] ?? 0) > MAX_HEARTBEAT_BODY_BYTES ||
      (Buffer.isBuffer(raw) && raw.length > MAX_HEARTBEAT_BODY_BYTES)
    ) {
      throw new HttpException({ statusCode: 413, message: 'A heartbeat is a few hundred bytes; this one is too large.' }, 413);
    }
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
