import { estimateProgress, parseProgressBlocks, type ProgressEstimate } from './progress.js';
import { ProcessGroups, describeExit, describeSpawnFailure, spawnSupervised } from './supervised-spawn.js';

export interface RunFfmpegOptions {
  /** The whole process group is SIGKILLed after this long. */
  timeoutMs: number;
  /** Called per `-progress` block (the arguments must contain `-progress pipe:1`). */
  onProgress?: (progress: ProgressEstimate) => void;
  /** Media duration being encoded, for percent and ETA; omit when unknown. */
  totalDurationSec?: number;
  signal?: AbortSignal;
  /** Called with the pid (= process-group id) once ffmpeg has started, e.g. for logs. */
  onStart?: (pid: number) => void;
  ffmpegPath?: string;
}

export interface RunFfmpegResult {
  elapsedMs: number;
  /** Last lines ffmpeg wrote to stderr (warnings), for logs. */
  stderrTail: string;
}

export type FfmpegFailureReason = 'exit' | 'timeout' | 'aborted' | 'spawn';

export class FfmpegRunError extends Error {
  override readonly name = 'FfmpegRunError';

  constructor(
    readonly reason: FfmpegFailureReason,
    message: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const STDERR_KEEP_CHARS = 64 * 1024;
const STDERR_TAIL_LINES = 25;

/** Process groups of ffmpeg runs still alive, so shutdown can kill them. */
const liveProcessGroups = new ProcessGroups();

/**
 * Runs ffmpeg in its own process group (`detached`) so a timeout or abort kills ffmpeg and
 * anything it spawned with one `kill(-pid)`. Resolves only after the process has exited.
 */
export async function runFfmpeg(args: readonly string[], options: RunFfmpegOptions): Promise<RunFfmpegResult> {
  const startedAt = Date.now();
  let stderr = '';
  let progressBuffer = '';

  const end = await spawnSupervised(options.ffmpegPath ?? 'ffmpeg', args, {
    groups: liveProcessGroups,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onStart: options.onStart,
    onSpawn: (child) => {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
      });

      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        const { blocks, rest } = parseProgressBlocks(progressBuffer + chunk);
        progressBuffer = rest.slice(-STDERR_KEEP_CHARS);
        if (!options.onProgress) return;
        const elapsedMs = Date.now() - startedAt;
        for (const block of blocks) {
          options.onProgress(estimateProgress(block, { totalDurationSec: options.totalDurationSec ?? null, elapsedMs }));
        }
      });
    },
  });

  const tail = tailOf(stderr);
  switch (end.reason) {
    case 'aborted-before-start':
      throw new FfmpegRunError('aborted', 'ffmpeg was aborted before it started', null, '');
    case 'spawn':
      throw new FfmpegRunError('spawn', describeSpawnFailure('ffmpeg', end.error), null, tail, { cause: end.error });
    case 'timeout':
      throw new FfmpegRunError('timeout', `ffmpeg timed out after ${options.timeoutMs} ms`, end.code, tail);
    case 'aborted':
      throw new FfmpegRunError('aborted', 'ffmpeg was aborted', end.code, tail);
    case 'exit':
      if (end.code !== 0) {
        throw new FfmpegRunError('exit', `ffmpeg ${describeExit(end.code, end.signal)}: ${lastLine(tail)}`, end.code, tail);
      }
      return { elapsedMs: Date.now() - startedAt, stderrTail: tail };
  }
}

/** SIGKILLs every ffmpeg process group this module started that is still running; returns how many. */
export function killLiveFfmpegProcesses(): number {
  return liveProcessGroups.killAll();
}

/**
 * Registers a process 'exit' hook that kills live ffmpeg groups, which detached children would
 * otherwise outlive. Call once at worker start; returns an unregister function. (A hard SIGKILL of
 * the worker cannot run hooks; for graceful shutdown also call killLiveFfmpegProcesses.)
 */
export function killFfmpegOnProcessExit(): () => void {
  return liveProcessGroups.killOnProcessExit();
}

function tailOf(stderr: string): string {
  return stderr.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1) ?? '(no stderr)'
  );
}
