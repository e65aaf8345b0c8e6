import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface VideoFixture {
  seconds?: number;
  width?: number;
  height?: number;
  fps?: number;
  audio?: boolean;
}

/** A small H.264/AAC clip from ffmpeg's test sources, made at test time (no binaries in the repository). */
export async function makeVideo(path: string, { seconds = 3, width = 320, height = 180, fps = 25, audio = true }: VideoFixture = {}) {
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`] : []),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-g',
    String(fps * 2),
    ...(audio ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    '-movflags',
    '+faststart',
    '-shortest',
    path,
  ]);
}

export async function makeAudio(path: string, seconds = 3) {
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=330:duration=${seconds}`,
    '-c:a',
    'libmp3lame',
    '-b:a',
    '64k',
    path,
  ]);
}
