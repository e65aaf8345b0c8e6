import { describe, expect, it } from '@jest/globals';
import { FfmpegRunError, killLiveFfmpegProcesses, runFfmpeg } from './run-ffmpeg.js';

// An endless synthetic encode: only a kill ends it.
const ENDLESS = [
  '-nostdin',
  '-hide_banner',
  '-loglevel',
  'error',
  '-progress',
  'pipe:1',
  '-re',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=64x64:rate=10',
  '-f',
  'null',
  '-',
];

function isAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function failureOf(promise: Promise<unknown>): Promise<FfmpegRunError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FfmpegRunError)) throw new Error(`expected FfmpegRunError, got ${String(error)}`);
  return error;
}

describe('runFfmpeg', () => {
  it('resolves on success and streams progress', async () => {
    const seen: (number | null)[] = [];
    const result = await runFfmpeg(
      [
        '-nostdin',
        '-loglevel',
        'error',
        '-progress',
        'pipe:1',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=64x64:rate=10:duration=2',
        '-f',
        'null',
        '-',
      ],
      { timeoutMs: 30_000, totalDurationSec: 2, onProgress: (p) => seen.push(p.percent) },
    );
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(seen.at(-1)).toBe(100);
  });

  it('rejects a non-zero exit with the stderr tail', async () => {
    const error = await failureOf(
      runFfmpeg(['-nostdin', '-hide_banner', '-i', '/nonexistent/input.mp4', '-f', 'null', '-'], { timeoutMs: 30_000 }),
    );
    expect(error.reason).toBe('exit');
    expect(error.exitCode).not.toBe(0);
    expect(error.stderrTail).toMatch(/No such file or directory/);
    expect(error.message).toMatch(/exited with code \d+: .*No such file/);
  });

  it('kills the whole process group on timeout', async () => {
    let pid: number | undefined;
    const error = await failureOf(runFfmpeg(ENDLESS, { timeoutMs: 500, onStart: (p) => (pid = p) }));
    expect(error.reason).toBe('timeout');
    expect(pid).toBeDefined();
    expect(isAlive(pid!)).toBe(false);
  });

  it('kills the whole process group on abort', async () => {
    const controller = new AbortController();
    let pid: number | undefined;
    const running = runFfmpeg(ENDLESS, {
      timeoutMs: 30_000,
      signal: controller.signal,
      onStart: (p) => (pid = p),
      onProgress: () => controller.abort(),
    });
    const error = await failureOf(running);
    expect(error.reason).toBe('aborted');
    expect(isAlive(pid!)).toBe(false);
  });

  it('refuses to start when already aborted', async () => {
    const error = await failureOf(runFfmpeg(ENDLESS, { timeoutMs: 30_000, signal: AbortSignal.abort() }));
    expect(error.reason).toBe('aborted');
  });

  it('killLiveFfmpegProcesses ends running jobs (what the exit hook does)', async () => {
    let pid: number | undefined;
    const running = failureOf(runFfmpeg(ENDLESS, { timeoutMs: 30_000, onStart: (p) => (pid = p) }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(killLiveFfmpegProcesses()).toBe(1);
    const error = await running;
    expect(error.reason).toBe('exit');
    expect(error.message).toMatch(/killed by SIGKILL/);
    expect(isAlive(pid!)).toBe(false);
  });

  it('reports a missing binary as a spawn failure', async () => {
    const error = await failureOf(runFfmpeg(['-version'], { timeoutMs: 5_000, ffmpegPath: '/nonexistent/ffmpeg' }));
    expect(error.reason).toBe('spawn');
    expect(error.message).toMatch(/not installed/);
  });
});
