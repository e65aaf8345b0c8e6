import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildDownloadArguments,
  buildHlsArguments,
  buildPosterArguments,
  buildThumbnailArguments,
  finalizeMasterPlaylist,
  sealRenditionPlaylists,
  type FinalizedMasterPlaylist,
  type TranscodePlan,
} from '#media';

/** The ffmpeg runs of one set, in order; thumbnails only for video. */
export type EncodeStep = 'hls' | 'downloads' | 'poster' | 'thumbnails';

/** What the set in `outputDir` holds, as `outputsOf` takes it (with the storage prefix added). */
export interface EncodedSet {
  master: FinalizedMasterPlaylist;
  /** Size in bytes of each offline file written, by file name. */
  downloads: Record<string, number>;
  poster: boolean;
  /** Thumbnail paths relative to the set, in order. */
  thumbnails: string[];
}

/**
 * Encodes `plan` from `input` into `outputDir`: the HLS ladder in one ffmpeg, the finished master
 * playlist, every offline file in one more (each rendition read once, stream copy), the poster and the
 * thumbnails. `run` runs each step's ffmpeg arguments: the caller adds its time limit, abort signal and
 * progress reporting there.
 */
export async function encodeSet(
  plan: TranscodePlan,
  input: string,
  outputDir: string,
  run: (step: EncodeStep, args: string[]) => Promise<unknown>,
): Promise<EncodedSet> {
  await run('hls', buildHlsArguments(plan, { input, outputDir }));
  // The renditions were EVENT playlists while they grew (see preview-publisher.ts); complete, they are VOD.
  await sealRenditionPlaylists(plan, outputDir);
  const master = await finalizeMasterPlaylist(plan, outputDir);
  await run('downloads', buildDownloadArguments(plan, { outputDir }));
  await run('poster', buildPosterArguments(plan, { input, outputDir }));
  let thumbnails: string[] = [];
  if (plan.kind === 'video') {
    const directory = plan.thumbnails.directory;
    await mkdir(join(outputDir, directory));
    await run('thumbnails', buildThumbnailArguments(plan, { outputDir }));
    thumbnails = (await readdir(join(outputDir, directory))).sort().map((name) => `${directory}/${name}`);
  }
  return {
    master,
    downloads: await fileSizes(
      outputDir,
      plan.downloads.map((d) => d.fileName),
    ),
    poster: await exists(join(outputDir, plan.poster.fileName)),
    thumbnails,
  };
}

/** Size in bytes of each named file in `dir` that exists. */
async function fileSizes(dir: string, names: string[]): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const name of names) {
    const info = await stat(join(dir, name)).catch(() => null);
    if (info?.isFile()) sizes[name] = info.size;
  }
  return sizes;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
