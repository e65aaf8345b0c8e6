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
import { downloadFileName, offeredDownloads } from './download-offer.js';
import { SESSION_CHECK_TTL_MS, sessionAdmitsMedia } from './playback-sessions.js';
import { verifyPlaybackToken } from './playback-token.js';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from './playback.service.js';

const PROBLEM_STATUS = { missing: 403, forged: 403, wrong_asset: 403, expired: 410 } as const;
const PROBLEM_MESSAGE = {
  missing: 'This media link needs a playback token.',
  forged: 'This media link is not valid.',
  wrong_asset: 'This media link is not valid.',
  expired: 'This media link has expired. Reopen the lecture to continue.',
} as const;

/**
 * One decoded path segment as the transcoder names files: letters, digits, `_`, `-` and inner dots.
 * Empty, `.`, `..`, dot-led names and decoded `/` or NUL never reach storage.
 */
const isPlainSegment = (segment: unknown): boolean =>
  typeof segment === 'string' && segment.length <= 200 && /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(segment);

/** What delivery needs of a ready asset: its storage prefix and, per offline file it lists, the name to save it under. */
interface DeliveredMedia {
  prefix: string | null;
  downloadNames: Map<string, string>;
  until: number;
}

/** Serves playlists, segments, the offline files and posters of ready media, each request checked against its path token. */
@ApiExcludeController()
@Public()
@Controller('hls')
export class HlsDeliveryController {
  private readonly prefixes = new Map<string, DeliveredMedia>();
  /** Sessions whose media may still be served, until when (an admitted one is asked again after SESSION_CHECK_TTL_MS). */
  private readonly admitted = new Map<string, number>();

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
    if (!(await this.admits(verdict.grant.sessionId))) {
      res.status(403).json({ statusCode: 403, message: 'This lecture is no longer open to you, so its media link was closed.' });
      return;
    }
    const segments = Array.isArray(path) ? path : [path];
    if (!segments.every(isPlainSegment)) {
      res.status(404).json({ statusCode: 404, message: 'Not found.' });
      return;
    }
    const relative = segments.join('/');
    const media = await this.mediaOf(assetId);
    if (!media.prefix || !servableExtension(relative)) {
      res.status(404).json({ statusCode: 404, message: 'Not found.' });
      return;
    }
    const playlist = relative.endsWith('.m3u8');
    await sendStoredFile(this.storage, `${media.prefix}/${relative}`, req.headers.range, res, {
      // A published set never changes (a new transcode gets a new prefix), so everything may be cached.
      cacheControl: playlist ? 'private, max-age=300' : 'private, max-age=31536000, immutable',
      // Only the files the asset lists as downloads are attachments; everything else plays in place.
      downloadName: media.downloadNames.get(relative),
    });
  }

  /** Whether the link's session still admits its media; a yes is cached for SESSION_CHECK_TTL_MS (hls.js asks every few seconds). */
  private async admits(sessionId: string): Promise<boolean> {
    if ((this.admitted.get(sessionId) ?? 0) > Date.now()) return true;
    const ok = await sessionAdmitsMedia(this.db, sessionId);
    if (this.admitted.size > 10_000) this.admitted.clear();
    if (ok) this.admitted.set(sessionId, Date.now() + SESSION_CHECK_TTL_MS);
    else this.admitted.delete(sessionId);
    return ok;
  }

  /** The storage prefix of an asset's published set and its download names, cached briefly: hls.js asks for a segment every few seconds. */
  private async mediaOf(assetId: string): Promise<DeliveredMedia> {
    const cached = this.prefixes.get(assetId);
    if (cached && cached.until > Date.now()) return cached;
    const [row] = await this.db.query(
      `SELECT m.outputs, (SELECT l.title FROM lectures l WHERE l.asset_id = m.asset_id LIMIT 1) AS title
         FROM lecture_media m WHERE m.asset_id = $1 AND m.status = 'ready'`,
      [assetId],
    );
    const outputs = row?.outputs as AssetOutputs | undefined;
    const title = typeof row?.title === 'string' ? row.title : 'lecture';
    const entry: DeliveredMedia = {
      prefix: outputs?.prefix ?? null,
      downloadNames: new Map(outputs ? offeredDownloads(outputs).map((d) => [d.file, downloadFileName(title, d)] as const) : []),
      until: Date.now() + 30_000,
    };
    if (this.prefixes.size > 10_000) this.prefixes.clear();
    this.prefixes.set(assetId, entry);
    return entry;
  }
}
