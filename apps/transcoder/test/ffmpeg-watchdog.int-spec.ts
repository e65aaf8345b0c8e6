import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FfmpegRunError, runFfmpeg } from '#media';
import { waitUntil } from '../../../test/support/ports.js';
import { ROOT } from '../../../test/support/stack.js';
import { processesMatching } from '../../../test/support/transcoder-processes.js';
import { installFfmpegWatchdog } from '../src/ffmpeg-watchdog.js';
import { findOrphanFfmpeg, killOrphanFfmpeg } from '../src/orphan-ffmpeg.js';

// Bounds for real ffmpeg work on a busy 2-core machine (every core shared with other suites).
const SLOW = 120_000;
let workDir: string;
let watchdog: string;
const parents: ChildProcess[] = [];

/** An ffmpeg that writes nothing to its pipes and never ends: only a kill stops it. */
const quietEndless = (output: string) => {
  mkdirSync(dirname(output), { recursive: true });
  return quietEndlessArguments(output);
};
const quietEndlessArguments = (output: string) => [
  '-nostdin',
  '-hide_banner',
  '-nostats',
  '-loglevel',
  'quiet',
  '-re',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=64x64:rate=5',
  '-f',
  'matroska',
  '-y',
  output,
];

/** A Node process that starts ffmpeg through libs/media's runFfmpeg, as the worker does, and then just lives. */
function workerLike(ffmpegPath: string, output: string, env: Record<string, string> = {}): ChildProcess {
  const media = join(ROOT, 'dist/libs/media/src/index.js');
  const script = `import(${JSON.stringify(media)}).then((m) => m.runFfmpeg(${JSON.stringify(quietEndless(output))}, { timeoutMs: 600000, ffmpegPath: ${JSON.stringify(ffmpegPath)} }).catch(() => {})); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: 'ignore' });
  parents.push(child);
  return child;
}

async function killAndWait(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** An ffmpeg (not its parent, whose command line names the output too) writing `output`. */
const running = async (output: string) => (await processesMatching(output)).some((p) => p.command.startsWith('ffmpeg '));

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'lectern-watchdog-'));
  watchdog = await installFfmpegWatchdog(workDir);
});

afterAll(async () => {
  for (const parent of parents) parent.kill('SIGKILL');
  await killOrphanFfmpeg(workDir);
  rmSync(workDir, { recursive: true, force: true });
});

describe('ffmpeg watchdog', () => {
  it('is installed as an executable in <WORK_DIR>/.bin', () => {
    expect(watchdog).toBe(join(workDir, '.bin', 'ffmpeg-watchdog.sh'));
    expect(statSync(watchdog).mode & 0o111).toBe(0o111);
  });

  it(
    'without it, a quiet ffmpeg outlives its SIGKILLed parent; the start-up sweep finds and kills it',
    async () => {
      const output = join(workDir, 'control', 'out.mkv');
      const parent = workerLike('ffmpeg', output);
      await waitUntil(() => running(output), 30_000, 'ffmpeg started');
      expect(await findOrphanFfmpeg(workDir)).toEqual([]);
      await killAndWait(parent);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await running(output)).toBe(true);
      const orphans = await findOrphanFfmpeg(workDir);
      expect(orphans).toEqual([expect.objectContaining({ command: expect.stringContaining(output) })]);
      await killOrphanFfmpeg(workDir);
      await waitUntil(async () => !(await running(output)), 5000, 'orphan killed');
    },
    SLOW,
  );

  it.each([
    ['parent-death signal (setpriv)', {}, 3000],
    ['polling fallback', { LECTERN_WATCHDOG_POLL: '1' }, 5000],
  ])(
    'with it (%s), ffmpeg dies with its SIGKILLed parent',
    async (_mode, env, withinMs) => {
      const output = join(workDir, `watched-${Object.keys(env).length}`, 'out.mkv');
      const parent = workerLike(watchdog, output, env);
      await waitUntil(() => running(output), 30_000, 'ffmpeg started');
      expect(await findOrphanFfmpeg(workDir)).toEqual([]);
      await killAndWait(parent);
      await waitUntil(async () => !(await running(output)), withinMs, 'ffmpeg gone');
    },
    SLOW,
  );

  it.each([
    ['parent-death signal (setpriv)', undefined],
    ['polling fallback', '1'],
  ])(
    'passes exit status, stderr, progress and timeouts through (%s)',
    async (_mode, poll) => {
      const previous = process.env.LECTERN_WATCHDOG_POLL;
      if (poll) process.env.LECTERN_WATCHDOG_POLL = poll;
      try {
        const seen: Array<number | null> = [];
        await runFfmpeg(
          [
            '-nostdin',
            '-loglevel',
            'error',
            '-progress',
            'pipe:1',
            '-f',
            'lavfi',
            '-i',
            'testsrc2=size=64x64:rate=10:duration=1',
            '-f',
            'null',
            '-',
          ],
          { timeoutMs: 20_000, totalDurationSec: 1, ffmpegPath: watchdog, onProgress: (p) => seen.push(p.percent) },
        );
        expect(seen.at(-1)).toBe(100);

        const failed = await runFfmpeg(['-nostdin', '-i', join(workDir, 'missing.mp4'), '-f', 'null', '-'], {
          timeoutMs: 20_000,
          ffmpegPath: watchdog,
        }).catch((error: unknown) => error);
        expect(failed).toBeInstanceOf(FfmpegRunError);
        expect(failed).toMatchObject({ reason: 'exit', stderrTail: expect.stringMatching(/No such file/) });

        const output = join(workDir, `timeout-${poll ?? 0}`, 'out.mkv');
        const timedOut = await runFfmpeg(quietEndless(output), { timeoutMs: 1500, ffmpegPath: watchdog }).catch((error: unknown) => error);
        expect(timedOut).toMatchObject({ reason: 'timeout' });
        expect(await running(output)).toBe(false);
      } finally {
        if (poll) process.env.LECTERN_WATCHDOG_POLL = previous;
        if (previous === undefined) delete process.env.LECTERN_WATCHDOG_POLL;
      }
    },
    SLOW,
  );
});
