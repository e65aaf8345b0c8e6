import { spawn } from 'node:child_process';
import { estimateProgress, parseProgressBlocks, type ProgressEstimate } from './progress.js';

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

/** Process-group ids of ffmpeg runs still alive, so shutdown can kill them. */
const liveProcessGroups = new Set<number>();

/**
 * Runs ffmpeg in its own process group (`detached`) so a timeout or abort kills ffmpeg and
 * anything it spawned with one `kill(-pid)`. Resolves only after the process has exited.
 */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions): Promise<RunFfmpegResult> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    let stderr = '';
    let progressBuffer = '';
    let stopReason: 'timeout' | 'aborted' | null = null;

    if (options.signal?.aborted) {
      reject(new FfmpegRunError('aborted', 'ffmpeg was aborted before it started', null, ''));
      return;
    }

    const child = spawn(options.ffmpegPath ?? 'ffmpeg', args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (pid !== undefined) {
      liveProcessGroups.add(pid);
      options.onStart?.(pid);
    }

    const stop = (reason: 'timeout' | 'aborted') => {
      if (stopReason !== null) return;
      stopReason = reason;
      if (pid !== undefined) killProcessGroup(pid);
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const cleanUp = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) liveProcessGroups.delete(pid);
    };

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

    child.once('error', (error) => {
      cleanUp();
      const message = isEnoent(error) ? 'ffmpeg is not installed or not on PATH' : `could not start ffmpeg: ${error.message}`;
      reject(new FfmpegRunError('spawn', message, null, tailOf(stderr), { cause: error }));
    });

    child.once('close', (code, signal) => {
      cleanUp();
      const tail = tailOf(stderr);
      const elapsedMs = Date.now() - startedAt;
      if (stopReason === 'timeout') {
        reject(new FfmpegRunError('timeout', `ffmpeg timed out after ${options.timeoutMs} ms`, code, tail));
      } else if (stopReason === 'aborted') {
        reject(new FfmpegRunError('aborted', 'ffmpeg was aborted', code, tail));
      } else if (code !== 0) {
        const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
        reject(new FfmpegRunError('exit', `ffmpeg ${how}: ${lastLine(tail)}`, code, tail));
      } else {
        resolve({ elapsedMs, stderrTail: tail });
      }
    });
  });
}

/** SIGKILLs every ffmpeg process group this module started that is still running; returns how many. */
export function killLiveFfmpegProcesses(): number {
  let killed = 0;
  for (const pid of liveProcessGroups) {
    if (killProcessGroup(pid)) killed += 1;
  }
  return killed;
}

/**
 * Registers a process 'exit' hook that kills live ffmpeg groups, which detached children would
 * otherwise outlive. Call once at worker start; returns an unregister function. (A hard SIGKILL of
 * the worker cannot run hooks; for graceful shutdown also call killLiveFfmpegProcesses.)
 */
export function killFfmpegOnProcessExit(): () => void {
  const hook = () => {
    killLiveFfmpegProcesses();
  };
  process.on('exit', hook);
  return () => {
    process.off('exit', hook);
  };
}

function killProcessGroup(pid: number): boolean {
  try {
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch {
    // ESRCH: the group is already gone.
    return false;
  }
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

function isEnoent(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
