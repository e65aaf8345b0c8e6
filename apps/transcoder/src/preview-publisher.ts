/**
 * Progressive publish: the growing set of one attempt, playable long before the whole ladder is encoded.
 *
 * THE CONTRACT with whatever runs the `hls` step (one ffmpeg, or chunk jobs and a joiner):
 *   While the step runs, for every rendition of the plan (`renditionNames(plan)`: video rungs, then
 *   audio renditions), `<outputDir>/<rendition>/<plan.hls.mediaPlaylistName>` is either absent or an
 *   EVENT playlist (`#EXT-X-PLAYLIST-TYPE:EVENT`) that
 *     - is replaced atomically (written beside it, then renamed), never rewritten in place;
 *     - lists only complete segments, in playback order, each a plain file name in the rendition's
 *       folder whose bytes never change once listed; a later version lists the same segments first
 *       (it only grows); no discontinuities, timestamps continuous;
 *     - names the fMP4 init segment with `#EXT-X-MAP:URI=` as the plan names it (`init_<rendition>.mp4`),
 *       written completely before the first playlist that names it;
 *     - gains `#EXT-X-ENDLIST` when the rendition is complete, before the step returns.
 *   The publisher reads that layout alone (polling the folder), so both ways of encoding share it.
 *   After the step, encodeSet seals the playlists as VOD (sealRenditionPlaylists).
 *
 * What it does: every `intervalMs` it reads each rendition's playlist. Once every rendition has at
 * least one segment, it publishes the first growing set at once (publishDirectory: the init segments,
 * the listed segments, playlists naming only those, and a master playlist) under
 * `media/<asset>/<token>.preview`, and reports the attempt previewable (a write fenced by the attempt
 * token, then the `asset.previewable` media event). After that, each round stores the newly listed
 * segments one by one, in order, and only then replaces that rendition's playlist: a stored playlist
 * never names a segment whose bytes are not stored. A failed upload is retried on the next round.
 *
 * The poster (video only): the transcoder extracts one frame beside the ladder (`poster`). It never holds
 * the first set back: if it is there by then it is stored with the set, else a later round stores it and
 * reports the set again with `outputs.poster` (onPosterAdded). The finished set has its own poster.
 */
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetOutputs } from '#contracts';
import {
  avcCodecOfInit,
  buildMasterPlaylist,
  parseMediaPlaylist,
  previewMediaPlaylist,
  renditionNames,
  type HlsMediaPlaylist,
  type TranscodePlan,
} from '#media';
import type { Storage } from '#storage';
import { outputsOf } from './transcode-outputs.js';

/** Storage prefix of one attempt's growing set, beside its finished one (`media/<asset>/<token>`). */
export const previewPrefix = (assetId: string, attemptToken: string) => `media/${assetId}/${attemptToken}${PREVIEW_SUFFIX}`;
export const PREVIEW_SUFFIX = '.preview';

/** A file name the publisher copies: no folders, no dot-led names. */
const isPlainName = (name: string) => name.length <= 200 && /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name);

export interface PreviewPublisherOptions {
  plan: TranscodePlan;
  /** Where the `hls` step writes (absolute). */
  outputDir: string;
  /** A scratch folder of the publisher's own (absolute): staging of the first set and of playlists. */
  workDir: string;
  storage: Storage;
  /** From previewPrefix. */
  prefix: string;
  intervalMs: number;
  /** Runs once, after the first growing set is stored; throws (e.g. superseded) to stop publishing. */
  onPreviewable: (outputs: AssetOutputs) => Promise<void>;
  /**
   * The early poster: settles with the local path of `plan.poster.fileName` once extracted, or null when
   * there is none (audio, or extraction failed). Absent: no poster before the finished set.
   */
  poster?: Promise<string | null>;
  /** Runs once, when a round added the poster to a set already reported; a failure is retried next round. */
  onPosterAdded?: (outputs: AssetOutputs) => Promise<void>;
  warn: (message: string) => void;
}

interface RenditionState {
  /** Segments of the playlist stored, in order (the first `stored` of its listing). */
  stored: number;
  /** Whether the stored playlist ends with ENDLIST. */
  ended: boolean;
}

export class PreviewPublisher {
  private readonly names: string[];
  private readonly state = new Map<string, RenditionState>();
  private published = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private failedWith: unknown = null;
  /** The extracted poster's local path, once it is there. */
  private posterFile: string | null = null;
  /** Whether the stored set's reported outputs name the poster. */
  private posterReported = false;

  constructor(private readonly options: PreviewPublisherOptions) {
    this.names = renditionNames(options.plan);
    options.poster?.then(
      (file) => void (this.posterFile = file),
      () => undefined,
    );
  }

  /** Whether a growing set was stored and reported. */
  get previewable(): boolean {
    return this.published;
  }

  /**
   * Runs `encode` (the `hls` step) while publishing what it writes; after it succeeds, one last round
   * stores the complete renditions (with ENDLIST) if the set was already previewable.
   */
  async during<T>(encode: () => Promise<T>): Promise<T> {
    this.schedule();
    try {
      const result = await encode();
      await this.stop();
      if (this.published && this.failedWith === null) await this.runRound();
      return result;
    } finally {
      await this.stop();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runRound().finally(() => this.schedule());
    }, this.options.intervalMs);
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
  }

  /** One round; a failure is logged and retried next round, except one from onPreviewable, which ends publishing. */
  private async runRound(): Promise<void> {
    if (this.failedWith !== null) return;
    try {
      await this.publishRound();
    } catch (error) {
      if (error instanceof PreviewStopped) {
        this.failedWith = error.cause;
        this.stopped = true;
        return;
      }
      this.options.warn(`preview of ${this.options.prefix}: ${(error as Error).message}`);
    }
  }

  /** Reads every rendition's playlist, then stores what is new (all of the first set at once). */
  async publishRound(): Promise<void> {
    const playlists = new Map<string, HlsMediaPlaylist>();
    for (const name of this.names) {
      const playlist = await this.readPlaylist(name);
      if (playlist) playlists.set(name, playlist);
    }
    if (!this.published) {
      if (this.names.some((name) => (playlists.get(name)?.segments.length ?? 0) === 0)) return;
      await this.publishFirstSet(playlists);
      return;
    }
    await this.publishPoster();
    for (const name of this.names) {
      const playlist = playlists.get(name);
      if (playlist) await this.publishRendition(name, playlist);
    }
  }

  private async readPlaylist(name: string): Promise<HlsMediaPlaylist | null> {
    const { outputDir, plan } = this.options;
    const text = await readFile(join(outputDir, name, plan.hls.mediaPlaylistName), 'utf8').catch(() => null);
    if (text === null) return null;
    const playlist = parseMediaPlaylist(text);
    const names = [...playlist.segments.map((segment) => segment.uri), ...(playlist.initUri === undefined ? [] : [playlist.initUri])];
    const odd = names.find((uri) => !isPlainName(uri));
    if (odd !== undefined) throw new Error(`rendition ${name} names "${odd}", not a plain file name`);
    if (playlist.initUri === undefined && plan.hls.segmentType === 'fmp4') throw new Error(`rendition ${name} names no init segment`);
    return playlist;
  }

  /** Stages every rendition's init, listed segments and playlist and the master, and stores them as one set. */
  private async publishFirstSet(playlists: Map<string, HlsMediaPlaylist>): Promise<void> {
    const { outputDir, plan, storage, prefix, workDir } = this.options;
    const stage = join(workDir, 'first-set');
    await rm(stage, { recursive: true, force: true });
    const videoCodecsByRung: Record<string, string> = {};
    for (const name of this.names) {
      const playlist = playlists.get(name)!;
      await mkdir(join(stage, name), { recursive: true });
      if (playlist.initUri !== undefined) {
        await copyFile(join(outputDir, name, playlist.initUri), join(stage, name, playlist.initUri));
        const codec = avcCodecOfInit(await readFile(join(outputDir, name, playlist.initUri)));
        if (codec) videoCodecsByRung[name] = codec;
      }
      for (const segment of playlist.segments) await copyFile(join(outputDir, name, segment.uri), join(stage, name, segment.uri));
      await writeFile(
        join(stage, name, plan.hls.mediaPlaylistName),
        previewMediaPlaylist(playlist, playlist.segments.length, plan.hls.segmentSec),
      );
    }
    // Bandwidths from the plan's caps: the measured ones exist only once the set is complete.
    await writeFile(join(stage, plan.hls.masterPlaylistName), buildMasterPlaylist(plan, { videoCodecsByRung }));
    // The poster if it is already extracted; never waited for.
    const poster = this.posterFile;
    if (poster !== null) await copyFile(poster, join(stage, plan.poster.fileName));
    await storage.publishDirectory(stage, prefix);
    await rm(stage, { recursive: true, force: true });
    for (const name of this.names) {
      const playlist = playlists.get(name)!;
      this.state.set(name, { stored: playlist.segments.length, ended: playlist.endList });
    }
    this.published = true;
    this.posterReported = poster !== null;
    const outputs = this.outputs(poster !== null);
    try {
      await this.options.onPreviewable(outputs);
    } catch (error) {
      throw new PreviewStopped(error);
    }
  }

  /** The growing set's outputs: its renditions and master, and the poster once stored. */
  private outputs(poster: boolean): AssetOutputs {
    const { plan, prefix } = this.options;
    return outputsOf(plan, { bitrates: {} }, { prefix, downloads: {}, poster, thumbnails: [] });
  }

  /**
   * After the first set: stores the poster once it is extracted, then reports the outputs naming it. A failure
   * is logged and retried next round; the segments are stored regardless.
   */
  private async publishPoster(): Promise<void> {
    const { plan, storage, prefix } = this.options;
    if (this.posterReported || this.posterFile === null) return;
    try {
      await storage.putFile(this.posterFile, `${prefix}/${plan.poster.fileName}`);
      await this.options.onPosterAdded?.(this.outputs(true));
      this.posterReported = true;
    } catch (error) {
      this.options.warn(`poster of ${prefix}: ${(error as Error).message}`);
    }
  }

  /** Stores the rendition's new segments in order, then its playlist naming exactly the stored ones. */
  private async publishRendition(name: string, playlist: HlsMediaPlaylist): Promise<void> {
    const { outputDir, plan, storage, prefix, workDir } = this.options;
    const state = this.state.get(name)!;
    const before = state.stored;
    try {
      while (state.stored < playlist.segments.length) {
        const uri = playlist.segments[state.stored]!.uri;
        await storage.putFile(join(outputDir, name, uri), `${prefix}/${name}/${uri}`);
        state.stored += 1;
      }
    } finally {
      const ended = playlist.endList && state.stored === playlist.segments.length;
      if (state.stored > before || ended !== state.ended) {
        const local = join(workDir, `${name}.m3u8`);
        await mkdir(workDir, { recursive: true });
        await writeFile(local, previewMediaPlaylist(playlist, state.stored, plan.hls.segmentSec));
        await storage.putFile(local, `${prefix}/${name}/${plan.hls.mediaPlaylistName}`);
        state.ended = ended;
      }
    }
  }
}

/** onPreviewable refused (the attempt lost the asset): publishing ends. */
class PreviewStopped extends Error {
  constructor(cause: unknown) {
    super('preview stopped', { cause });
  }
}
