import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import type { AssetOutputs } from '#contracts';
import { LocalStorage } from '#storage';
import { makeVideo } from './media-fixtures.js';

const run = promisify(execFile);

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
    const prefix = `media/${assetId}/v1`;
    await new LocalStorage(storageDir).publishDirectory(out, prefix);
    const outputs: AssetOutputs = {
      prefix,
      master: 'master.m3u8',
      audioOnly: null,
      download: 'download.mp4',
      poster: 'poster.jpg',
      thumbnails: [],
      renditions: [{ name: '360p', kind: 'video', width: 640, height: 360, fps: 25, bandwidth: 500_000, playlist: '360p/index.m3u8' }],
    };
    await db.query(`INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES ($1, 'ready', 'video', $2, $3)`, [
      assetId,
      seconds,
      JSON.stringify(outputs),
    ]);
    return { assetId, outputs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
