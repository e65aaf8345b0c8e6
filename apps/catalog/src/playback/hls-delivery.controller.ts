import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { AssetOutputs } from '#contracts';
import { Public } from '#auth';
import type { Storage } from '#storage';
import { servableExtension, sendStoredFile } from '../media/send-stored-file.js';
import { STORAGE } from '../media/storage.provider.js';
import { verifyPlaybackToken } from './playback-token.js';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from './playback.service.js';

const PROBLEM_STATUS = { missing: 403, forged: 403, wrong_asset: 403, expired: 410 } as const;
const PROBLEM_MESSAGE = {
  missing: 'This media link needs a playback token.',
  forged: 'This media link is not valid.',
  wrong_asset: 'This media link is not valid.',
  expired: 'This media link has expired. Reopen the lecture to continue.',
} as const;

/** Serves playlists, segments, the offline MP4 and posters of ready media, each request checked against its path token. */
@ApiExcludeController()
@Public()
@Controller('hls')
export class HlsDeliveryController {
  private readonly prefixes = new Map<string, { prefix: string | null; download: string | null; downloadName: string; until: number }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(PLAYBACK_OPTIONS) private readonly options: PlaybackOptions,
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
    const verdict = verifyPlaybackToken(this.options.key, token, assetId, Math.floor(Date.now() / 1000));
    if (!verdict.ok) {
      res
        .status(PROBLEM_STATUS[verdict.problem])
        .json({ statusCode: PROBLEM_STATUS[verdict.problem], message: PROBLEM_MESSAGE[verdict.problem] });
      return;
    }
    const relative = (Array.isArray(path) ? path : [path]).join('/');
    const media = await this.mediaOf(assetId);
    if (!media.prefix || !/^[A-Za-z0-9_.\-/]+$/.test(relative) || relative.split('/').includes('..') || !servableExtension(relative)) {
      res.status(404).json({ statusCode: 404, message: 'Not found.' });
      return;
    }
    const playlist = relative.endsWith('.m3u8');
    await sendStoredFile(this.storage, `${media.prefix}/${relative}`, req.headers.range, res, {
      // A published set never changes (a new transcode gets a new prefix), so everything may be cached.
      cacheControl: playlist ? 'private, max-age=300' : 'private, max-age=31536000, immutable',
      downloadName: relative === media.download ? media.downloadName : undefined,
    });
  }

  /** The storage prefix of an asset's published set, cached briefly: hls.js asks for a segment every few seconds. */
  private async mediaOf(assetId: string): Promise<{ prefix: string | null; download: string | null; downloadName: string }> {
    const cached = this.prefixes.get(assetId);
    if (cached && cached.until > Date.now()) return cached;
    const [row] = await this.db.query(
      `SELECT m.outputs, (SELECT l.title FROM lectures l WHERE l.asset_id = m.asset_id LIMIT 1) AS title
         FROM lecture_media m WHERE m.asset_id = $1 AND m.status = 'ready'`,
      [assetId],
    );
    const entry = {
      prefix: (row?.outputs as AssetOutputs | undefined)?.prefix ?? null,
      download: (row?.outputs as AssetOutputs | undefined)?.download ?? null,
      downloadName: `${row?.title ?? 'lecture'}.mp4`,
      until: Date.now() + 30_000,
    };
    if (this.prefixes.size > 10_000) this.prefixes.clear();
    this.prefixes.set(assetId, entry);
    return entry;
  }
}
