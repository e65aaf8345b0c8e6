import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '#auth';
import type { Storage } from '#storage';
import { servableExtension, sendStoredFile } from '../media/send-stored-file.js';
import { STORAGE } from '../media/storage.provider.js';
import { HlsAccessService } from './hls-access.service.js';

/**
 * One decoded path segment as the transcoder names files: letters, digits, `_`, `-` and inner dots.
 * Empty, `.`, `..`, dot-led names and decoded `/` or NUL never reach storage.
 */
const isPlainSegment = (segment: unknown): boolean =>
  typeof segment === 'string' && segment.length <= 200 && /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(segment);

/**
 * Serves playlists, segments, the offline files and posters of ready media, each request checked against
 * its path token. This is the embedded path (`npm start`); in production the nginx edge (infra/nginx)
 * serves the same URLs from storage itself and asks HlsAuthController only once per token.
 */
@ApiExcludeController()
@Public()
@Controller('hls')
export class HlsDeliveryController {
  constructor(
    private readonly access: HlsAccessService,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  /** Express answers HEAD with this GET route, headers only. */
  @Get(':token/:assetId/*path')
  serve(
    @Param('token') token: string,
    @Param('assetId') assetId: string,
    @Param('path') path: string[],
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.deliver(token, assetId, path, req, res);
  }

  private async deliver(token: string, assetId: string, path: string[], req: Request, res: Response): Promise<void> {
    const access = await this.access.authorize(token, assetId);
    if (!access.ok) {
      res.status(access.status).json({ statusCode: access.status, message: access.message });
      return;
    }
    const segments = Array.isArray(path) ? path : [path];
    if (!segments.every(isPlainSegment)) {
      res.status(404).json({ statusCode: 404, message: 'Not found.' });
      return;
    }
    const relative = segments.join('/');
    const { media } = access;
    if (!media.prefix || !servableExtension(relative)) {
      res.status(404).json({ statusCode: 404, message: 'Not found.' });
      return;
    }
    const playlist = relative.endsWith('.m3u8');
    await sendStoredFile(this.storage, `${media.prefix}/${relative}`, req.headers.range, res, {
      // A published set never changes (a new transcode gets a new prefix), so everything may be cached;
      // a growing set's segments never change either, but its playlists grow until the set is finished.
      cacheControl: playlist ? (media.growing ? 'no-cache' : 'private, max-age=300') : 'private, max-age=31536000, immutable',
      // Only the files the asset lists as downloads are attachments; everything else plays in place.
      downloadName: media.downloadNames.get(relative),
    });
  }
}
