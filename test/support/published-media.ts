import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import type { AssetOutputs } from '#contracts';
import { ladderFor, probeMedia, runFfmpeg } from '#media';
import { LocalStorage } from '#storage';
import { encodeSet } from '../../apps/transcoder/src/encode-set.js';
import { outputsOf } from '../../apps/transcoder/src/transcode-outputs.js';
import { makeAudio, makeVideo } from './media-fixtures.js';

const run = promisify(execFile);
// Generous for real ffmpeg on a busy 2-core machine; the work itself takes seconds.
const FFMPEG_TIMEOUT_MS = 240_000;

/**
 * A small real fMP4 HLS set (one 360p rendition, 2 s segments, download MP4, poster) published to
 * storage and announced in lecture_media, as the transcoder and the media-events consumer would.
 */
export async function publishTestMedia(
  db: DataSource,
  storageDir: string,
  seconds = 6,
): Promise<{ assetId: string; outputs: AssetOutputs }> {
  const assetId = randomUUID();
  const work = await mkdtemp(join(tmpdir(), 'lectern-hls-'));
  const out = join(work, 'out');
  await mkdir(out);
  try {
    // One small encode; the HLS set is cut from it without re-encoding (keyframes every 2 s).
    const download = join(out, 'download.mp4');
    await makeVideo(download, { seconds, width: 640, height: 360 });
    await run('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-i', download, '-c', 'copy'],
      ...['-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4'],
      ...[
        '-master_pl_name',
        'master.m3u8',
        '-var_stream_map',
        'v:0,a:0,name:360p',
        '-hls_segment_filename',
        join(out, '%v', 'seg_%05d.m4s'),
      ],
      join(out, '%v', 'index.m3u8'),
    ]);
    await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', download, '-frames:v', '1', join(out, 'poster.jpg')]);
    const bytes = (await stat(download)).size;
    const prefix = `media/${assetId}/v1`;
    await new LocalStorage(storageDir).publishDirectory(out, prefix);
    const outputs: AssetOutputs = {
      prefix,
      master: 'master.m3u8',
      audioOnly: null,
      download: 'download.mp4',
      downloads: [{ quality: 'high', file: 'download.mp4', bytes, width: 640, height: 360 }],
      poster: 'poster.jpg',
      thumbnails: [],
      renditions: [{ name: '360p', kind: 'video', width: 640, height: 360, fps: 25, bandwidth: 500_000, playlist: '360p/index.m3u8' }],
    };
    await insertReadyMedia(db, assetId, 'video', seconds, outputs);
    return { assetId, outputs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface TranscodedMediaOptions {
  /** Length of the lavfi source; a few seconds is plenty. */
  seconds: number;
  /** An MP3 talk instead of a 1280x720 video: audio renditions and the M4A only. */
  audioOnly?: boolean;
}

/**
 * A real transcoded set, as the transcoder makes it but without the queue: a 1280x720 lavfi video
 * (or an MP3) through libs/media's plan and the transcoder's own encodeSet (ladder 720p/480p/360p/240p,
 * 128k and 64k audio, the offline files, poster, thumbnails), published to storage and announced in
 * lecture_media. `outputs` is what the transcoder would record, download sizes included.
 */
export async function publishTranscodedMedia(
  db: DataSource,
  storageDir: string,
  { seconds, audioOnly = false }: TranscodedMediaOptions,
): Promise<{ assetId: string; outputs: AssetOutputs }> {
  const assetId = randomUUID();
  const work = await mkdtemp(join(tmpdir(), 'lectern-transcoded-'));
  const outputDir = join(work, 'out');
  await mkdir(outputDir);
  const ffmpeg = (args: string[]) => runFfmpeg(args, { timeoutMs: FFMPEG_TIMEOUT_MS });
  try {
    const source = join(work, audioOnly ? 'source.mp3' : 'source.mp4');
    if (audioOnly) await makeAudio(source, seconds);
    else await makeVideo(source, { seconds, width: 1280, height: 720, fps: 25 });
    const probe = await probeMedia(source);
    const plan = ladderFor(probe);
    const { master, ...files } = await encodeSet(plan, source, outputDir, (_step, args) => ffmpeg(args));
    const prefix = `media/${assetId}/v1`;
    const outputs = outputsOf(plan, master, { prefix, ...files });
    await new LocalStorage(storageDir).publishDirectory(outputDir, prefix);
    await insertReadyMedia(db, assetId, plan.kind, probe.durationSec, outputs);
    return { assetId, outputs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function insertReadyMedia(db: DataSource, assetId: string, kind: 'video' | 'audio', durationSec: number, outputs: AssetOutputs) {
  await db.query(`INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES ($1, 'ready', $2, $3, $4)`, [
    assetId,
    kind,
    durationSec,
    JSON.stringify(outputs),
  ]);
}
