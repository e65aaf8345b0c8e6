import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { INPUT_FORMAT_WHITELIST } from '#media';

/** A hostile file must not pin the catalog: ffprobe is killed after this long. */
export const CHAPTER_PROBE_TIMEOUT_MS = 30_000;
// 200 chapters of JSON are a few tens of KB; far more is a hostile file, not a lecture.
const MAX_OUTPUT_BYTES = 2 * 1024 * 1024;

/** The exact command line: the same whitelists as the upload's probe, and only the chapter list. */
export function chapterProbeArguments(path: string): string[] {
  return ['-v', 'error', '-protocol_whitelist', 'file', '-format_whitelist', INPUT_FORMAT_WHITELIST, '-show_chapters', '-of', 'json', path];
}

export type ChapterProbeFailure = 'ffprobe_missing' | 'unreadable';

export class ChapterProbeError extends Error {
  constructor(
    readonly reason: ChapterProbeFailure,
    message: string,
  ) {
    super(message);
  }
}

/** ffprobe's JSON chapter list of a local media file (text, for `chaptersFromProbe`). */
export function probeChapters(path: string, options: { timeoutMs?: number; ffprobePath?: string } = {}): Promise<string> {
  if (!isAbsolute(path)) return Promise.reject(new Error(`probeChapters needs an absolute path, got "${path}"`));
  return new Promise((resolve, reject) => {
    execFile(
      options.ffprobePath ?? 'ffprobe',
      chapterProbeArguments(path),
      { timeout: options.timeoutMs ?? CHAPTER_PROBE_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout) => {
        if (!error) return resolve(stdout);
        const code = (error as { code?: unknown }).code;
        if (code === 'ENOENT') return reject(new ChapterProbeError('ffprobe_missing', 'ffprobe is not installed on the server.'));
        reject(new ChapterProbeError('unreadable', 'The lecture file could not be read for chapters.'));
      },
    );
  });
}
