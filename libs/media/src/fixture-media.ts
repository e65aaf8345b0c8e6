// Test-only: synthesises small media files with ffmpeg's lavfi sources so integration tests ship no binaries.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface VideoFixtureSpec {
  width: number;
  height: number;
  fps: number;
  durationSec: number;
  audio?: boolean;
  /** Phone-style display rotation, stored as a display matrix. */
  rotate?: 90;
  /** Extra output options, e.g. a pixel format. */
  outputOptions?: string[];
}

/** Encodes a testsrc2 (+ 440 Hz sine) file with ultrafast x264; the content is irrelevant, the stream shape matters. */
export async function makeVideoFixture(dir: string, name: string, spec: VideoFixtureSpec): Promise<string> {
  const path = join(dir, name);
  // testsrc2 silently rounds odd sizes down to even; the older RGB testsrc keeps them.
  const pattern = spec.width % 2 === 1 || spec.height % 2 === 1 ? 'testsrc' : 'testsrc2';
  const inputs = ['-f', 'lavfi', '-i', `${pattern}=size=${spec.width}x${spec.height}:rate=${spec.fps}`];
  if (spec.audio !== false) inputs.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100');
  await ffmpeg([
    ...inputs,
    '-t',
    String(spec.durationSec),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    ...(spec.audio !== false ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    ...(spec.outputOptions ?? []),
    spec.rotate ? `${path}.unrotated.mp4` : path,
  ]);
  if (spec.rotate) {
    // ffmpeg 5.1 turns the legacy rotate tag into a display matrix only when stream-copying (and has no -display_rotation yet).
    await ffmpeg(['-i', `${path}.unrotated.mp4`, '-c', 'copy', '-metadata:s:v:0', `rotate=${spec.rotate}`, path]);
  }
  return path;
}

export async function makeMp3Fixture(dir: string, name: string, durationSec: number): Promise<string> {
  const path = join(dir, name);
  await ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=440:duration=${durationSec}`, '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '96k', path]);
  return path;
}

/** The first `bytes` of another file: an upload cut off mid-way. */
export async function makeTruncatedCopy(source: string, path: string, bytes: number): Promise<string> {
  const data = await readFile(source);
  await writeFile(path, data.subarray(0, bytes));
  return path;
}

export async function runFfprobeJson(path: string): Promise<{
  streams: Record<string, unknown>[];
  format: Record<string, unknown>;
}> {
  const { stdout } = await execFileAsync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]);
  return JSON.parse(stdout) as { streams: Record<string, unknown>[]; format: Record<string, unknown> };
}

/** Init segment plus every media segment of one HLS rendition, joined into a playable fragmented MP4 for ffprobe. */
export async function joinRendition(renditionDir: string, initUri: string, segmentUris: string[], path: string): Promise<string> {
  const parts = await Promise.all([initUri, ...segmentUris].map((uri) => readFile(join(renditionDir, uri))));
  await writeFile(path, Buffer.concat(parts));
  return path;
}

/** Keyframe times (s) relative to the first keyframe; fragmented MP4 has no edit list, so absolute times carry the B-frame delay. */
export async function keyframeTimes(path: string): Promise<number[]> {
  const { stdout } = await execFileAsync('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-skip_frame',
    'nokey',
    '-show_entries',
    'frame=best_effort_timestamp_time',
    '-of',
    'csv=p=0',
    path,
  ]);
  const times = stdout
    .split('\n')
    .map((line) => Number.parseFloat(line))
    .filter((time) => Number.isFinite(time));
  const first = times[0] ?? 0;
  return times.map((time) => Math.round((time - first) * 1000) / 1000);
}

/** Top-level MP4 box types in file order, e.g. ['ftyp', 'moov', 'mdat'] for a faststart file. */
export async function topLevelBoxes(path: string): Promise<string[]> {
  const data = await readFile(path);
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= data.length) {
    let size = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (size === 1) size = Number(data.readBigUInt64BE(offset + 8));
    if (size === 0) size = data.length - offset;
    if (size < 8) break;
    boxes.push(type);
    offset += size;
  }
  return boxes;
}

async function ffmpeg(args: string[]): Promise<void> {
  await execFileAsync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
}
