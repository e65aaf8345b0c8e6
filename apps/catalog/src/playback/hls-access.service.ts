import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AssetOutputs } from '#contracts';
import { PREVIEW_OF } from '../media/preview.events.js';
import { downloadFileName, offeredDownloads } from './download-offer.js';
import { SESSION_CHECK_TTL_MS, sessionsAdmittingMedia } from './playback-sessions.js';
import { verifyPlaybackToken } from './playback-token.js';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from './playback.service.js';

/** What delivery needs of a ready asset: its storage prefix and, per offline file it lists, the name to save it under. */
export interface DeliveredMedia {
  /** Null when the asset has no ready, published set. */
  prefix: string | null;
  downloadNames: Map<string, string>;
  /** The set is still being encoded (a preview): its playlists grow, so nobody may cache them. */
  growing: boolean;
}

/** Why a media link is refused: the link itself is wrong or out of date, or its session no longer admits it. */
export type HlsRefusal = 'missing' | 'forged' | 'wrong_asset' | 'expired' | 'withdrawn';

export type HlsAccess = { ok: true; media: DeliveredMedia } | { ok: false; refusal: HlsRefusal; status: 403 | 410; message: string };

const REFUSAL_STATUS = { missing: 403, forged: 403, wrong_asset: 403, expired: 410, withdrawn: 403 } as const;
export const REFUSAL_MESSAGE = {
  missing: 'This media link needs a playback token.',
  forged: 'This media link is not valid.',
  wrong_asset: 'This media link is not valid.',
  expired: 'This media link has expired. Reopen the lecture to continue.',
  withdrawn: 'This lecture is no longer open to you, so its media link was closed.',
} as const;

const refuse = (refusal: HlsRefusal): HlsAccess => ({
  ok: false,
  refusal,
  status: REFUSAL_STATUS[refusal],
  message: REFUSAL_MESSAGE[refusal],
});

/** How long an asset's prefix and download names are trusted: a published set never changes, a republished one gets a new prefix. */
const MEDIA_CACHE_MS = 30_000;
const CACHE_LIMIT = 10_000;
/** How long a growing set's prefix is trusted: when its media goes live the finished set takes its paths over. */
const GROWING_CACHE_MS = 2_000;

/**
 * Whether a media link (`/hls/<token>/<assetId>/…`) may be served, and from where: the one check
 * behind both the catalog's own delivery (HlsDeliveryController) and the edge's verdicts
 * (HlsAuthController), so the two never disagree about who may watch what.
 */
@Injectable()
export class HlsAccessService {
  private readonly media = new Map<string, DeliveredMedia & { until: number }>();
  /** Sessions whose media may still be served, until when (an admitted one is asked again after SESSION_CHECK_TTL_MS). */
  private readonly admitted = new Map<string, number>();
  /** Session checks waiting for this turn of the event loop to end, each with the requests that wait for it. */
  private batch: Map<string, Array<{ resolve(ok: boolean): void; reject(error: unknown): void }>> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PLAYBACK_OPTIONS) private readonly options: PlaybackOptions,
  ) {}

  /** The token's signature, asset and expiry, then its session; the asset's media only for an admitted link. */
  async authorize(token: string | undefined, assetId: string): Promise<HlsAccess> {
    const verdict = verifyPlaybackToken(this.options.verifyKeys, token, assetId, Math.floor(Date.now() / 1000));
    if (!verdict.ok) return refuse(verdict.problem);
    if (!(await this.admits(verdict.grant.sessionId))) return refuse('withdrawn');
    return { ok: true, media: await this.mediaOf(assetId) };
  }

  /** Whether the link's session still admits its media; a yes is cached for SESSION_CHECK_TTL_MS (hls.js asks every few seconds). */
  private async admits(sessionId: string): Promise<boolean> {
    if ((this.admitted.get(sessionId) ?? 0) > Date.now()) return true;
    const ok = await this.askTogether(sessionId);
    if (this.admitted.size > CACHE_LIMIT) this.admitted.clear();
    if (ok) this.admitted.set(sessionId, Date.now() + SESSION_CHECK_TTL_MS);
    else this.admitted.delete(sessionId);
    return ok;
  }

  /**
   * The session check of every link asked about in one turn of the event loop, in one database round
   * trip: when a lecture starts, the edge asks about every viewer's token at once, and each query's
   * network write costs the catalog more than its answer. Each answer is as fresh as a query of its own.
   */
  private askTogether(sessionId: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      let batch = this.batch;
      if (!batch) {
        const started = (batch = this.batch = new Map());
        setImmediate(() => {
          this.batch = null;
          void this.settle(started);
        });
      }
      const waiting = batch.get(sessionId);
      if (waiting) waiting.push({ resolve, reject });
      else batch.set(sessionId, [{ resolve, reject }]);
    });
  }

  private async settle(batch: Map<string, Array<{ resolve(ok: boolean): void; reject(error: unknown): void }>>): Promise<void> {
    try {
      const admitted = await sessionsAdmittingMedia(this.db, [...batch.keys()]);
      for (const [id, waiting] of batch) for (const { resolve } of waiting) resolve(admitted.has(id.toLowerCase()));
    } catch (error) {
      for (const waiting of batch.values()) for (const { reject } of waiting) reject(error);
    }
  }

  /** The storage prefix of an asset's published set and its download names, cached briefly. */
  private async mediaOf(assetId: string): Promise<DeliveredMedia> {
    const cached = this.media.get(assetId);
    if (cached && cached.until > Date.now()) return cached;
    // The ready set, else (while the asset is still being encoded) its growing set, under the same paths.
    const [row] = await this.db.query(
      `SELECT COALESCE(m.outputs, p.outputs) AS outputs, m.outputs IS NULL AS growing,
              (SELECT l.title FROM lectures l WHERE l.asset_id = $1 LIMIT 1) AS title
         FROM (SELECT $1::uuid AS asset_id) a
         LEFT JOIN lecture_media m ON m.asset_id = a.asset_id AND m.status = 'ready'
         LEFT JOIN LATERAL (${PREVIEW_OF('a.asset_id')}) p ON true`,
      [assetId],
    );
    const outputs = (row?.outputs ?? undefined) as AssetOutputs | undefined;
    const title = typeof row?.title === 'string' ? row.title : 'lecture';
    const growing = Boolean(outputs && row?.growing);
    const entry = {
      prefix: outputs?.prefix ?? null,
      downloadNames: new Map(outputs ? offeredDownloads(outputs).map((d) => [d.file, downloadFileName(title, d)] as const) : []),
      growing,
      // A growing set gives way to the finished one within moments of it going live.
      until: Date.now() + (growing ? GROWING_CACHE_MS : MEDIA_CACHE_MS),
    };
    if (this.media.size > CACHE_LIMIT) this.media.clear();
    this.media.set(assetId, entry);
    return entry;
  }
}
