import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '#auth';
import { HlsAccessService } from './hls-access.service.js';
import { verdictReply } from './hls-auth-endpoint.js';

export { VERDICT_HEADERS } from './hls-auth-endpoint.js';

/**
 * The edge's question "may this media link be served, and from where?", asked by nginx's
 * `auth_request` once per token and asset and cached there (infra/nginx/edge.conf.template), so
 * segments never reach Node. In a running catalog every GET and HEAD of this route is answered by
 * HlsAuthEndpoint before it reaches Express (see createCatalogApp); this route answers the same
 * checks with the same `verdictReply`, for an app without that fast path.
 * Only the edge calls it: the web gateway does not route `/hls-auth`.
 */
@ApiExcludeController()
@Public()
@Controller('hls-auth')
export class HlsAuthController {
  constructor(private readonly access: HlsAccessService) {}

  @Get(':token/:assetId')
  async verdict(@Param('token') token: string, @Param('assetId') assetId: string, @Res() res: Response): Promise<void> {
    const { status, headers } = verdictReply(await this.access.authorize(token, assetId));
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(status).end();
  }
}
