import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '#auth';
import { encodeRfc5987 } from '../media/send-stored-file.js';
import { HlsAccessService } from './hls-access.service.js';

/** Response headers of a verdict, read by the edge with `auth_request_set`. */
export const VERDICT_HEADERS = {
  /** The published set's storage prefix, e.g. `media/<asset>/<version>`. */
  prefix: 'X-Lectern-Prefix',
  /** `<file>=<RFC 5987 name>` per offline file, comma-separated: the files served as attachments and their names. */
  downloads: 'X-Lectern-Downloads',
  /** Why a link was refused (missing, forged, wrong_asset, expired, withdrawn), for the edge's error body. */
  refusal: 'X-Lectern-Refusal',
} as const;

/**
 * The edge's question "may this media link be served, and from where?", asked by nginx's
 * `auth_request` once per token and asset and cached there (infra/nginx/edge.conf.template), so
 * segments never reach Node. 204 with the set's prefix; 401 for an expired link (the edge answers
 * 410, as the catalog does); 403 for any other refusal, and for an asset with no ready media
 * (refusal `not_ready`, which the edge answers with 404 as the catalog does).
 * Only the edge calls it: the web gateway does not route `/hls-auth`.
 */
@ApiExcludeController()
@Public()
@Controller('hls-auth')
export class HlsAuthController {
  constructor(private readonly access: HlsAccessService) {}

  @Get(':token/:assetId')
  async verdict(@Param('token') token: string, @Param('assetId') assetId: string, @Res() res: Response): Promise<void> {
    const access = await this.access.authorize(token, assetId);
    // A verdict is about one token; the edge keeps it as briefly as its own configuration says.
    res.setHeader('Cache-Control', 'no-store');
    if (!access.ok) {
      res.setHeader(VERDICT_HEADERS.refusal, access.refusal);
      res.status(access.status === 410 ? 401 : 403).end();
      return;
    }
    const { prefix, downloadNames } = access.media;
    if (!prefix) {
      // nginx's auth_request treats any other status as its own error; a set that is not ready is simply not there.
      res.setHeader(VERDICT_HEADERS.refusal, 'not_ready');
      res.status(403).end();
      return;
    }
    res.setHeader(VERDICT_HEADERS.prefix, prefix);
    const downloads = [...downloadNames].map(([file, name]) => `${file}=${encodeRfc5987(name)}`).join(',');
    if (downloads) res.setHeader(VERDICT_HEADERS.downloads, downloads);
    res.status(204).end();
  }
}
