import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * The process groups of one kind of supervised run (ffmpeg, LibreOffice) still alive, so a worker's shutdown or
 * exit can kill them: detached children would otherwise outlive it.
 */
export class ProcessGroups {
  readonly #live = new Set<number>();

  add(pid: number): void {
    this.#live.add(pid);
  }

  delete(pid: number): void {
    this.#live.delete(pid);
  }

  /** SIGKILLs every group still alive; returns how many. */
  killAll(): number {
    let killed = 0;
    for (const pid of this.#live) {
      if (killProcessGroup(pid)) killed += 1;
    }
    return killed;
  }

  /**
   * Registers a process 'exit' hook that kills every group still alive; returns an unregister function. (A hard
   * SIGKILL of the process cannot run hooks.)
   */
  killOnProcessExit(): () => void {
    const hook = () => {
      this.killAll();
    };
    process.on('exit', hook);
    return () => {
      process.off('exit', hook);
    };
  }
}

/** A supervised child: stdin is closed, stdout and stderr are the caller's to read. */
export type SupervisedChild = ChildProcessByStdio<null, Readable, Readable>;

export interface SupervisedSpawnOptions {
  /** Where the run's process group is kept while it lives. */
  groups: ProcessGroups;
  /** The whole process group is SIGKILLed after this long. */
  timeoutMs: number;
  /** Aborting it SIGKILLs the whole process group. */
  signal?: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also SIGKILL the group once the child has exited, so whatever it left running (a forked helper) goes too. */
  killGroupOnExit?: boolean;
  /** Called right after the spawn, before any output: attach the readers of stdout and stderr here. */
  onSpawn?: (child: SupervisedChild) => void;
  /** Called with the pid (= process-group id) once the child has started and is supervised. */
  onStart?: (pid: number) => void;
}

/** How a supervised run ended. Only `exit` with code 0 is a success. */
export type SupervisedEnd =
  /** The child exited by itself, or something other than this supervision killed it. */
  | { reason: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  /** The time limit passed and the group was killed. */
  | { reason: 'timeout'; code: number | null; signal: NodeJS.Signals | null }
  /** The signal aborted and the group was killed. */
  | { reason: 'aborted'; code: number | null; signal: NodeJS.Signals | null }
  /** The signal had aborted already: nothing was started. */
  | { reason: 'aborted-before-start' }
  /** The command could not be started. */
  | { reason: 'spawn'; error: Error };

/**
 * Runs a command in a process group of its own (`detached`), so a time limit or an abort kills it and anything it
 * spawned with one `kill(-pid)`. Resolves only after the child has exited and its output has been read, with how it
 * ended; what that means is the caller's to say.
 */
export function spawnSupervised(command: string, args: readonly string[], options: SupervisedSpawnOptions): Promise<SupervisedEnd> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ reason: 'aborted-before-start' });
      return;
    }
    let stopReason: 'timeout' | 'aborted' | null = null;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) options.groups.add(pid);

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
      if (pid !== undefined) {
        if (options.killGroupOnExit) killProcessGroup(pid);
        options.groups.delete(pid);
      }
    };

    options.onSpawn?.(child);
    child.once('error', (error) => {
      cleanUp();
      resolve({ reason: 'spawn', error });
    });
    child.once('close', (code, signal) => {
      cleanUp();
      resolve({ reason: stopReason ?? 'exit', code, signal });
    });
    if (pid !== undefined) options.onStart?.(pid);
  });
}

/** "exited with code 1" or "was killed by SIGKILL", for messages. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
}

/** "ffmpeg is not installed or not on PATH" for a missing binary, otherwise why it could not start. */
export function describeSpawnFailure(name: string, error: Error): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
    ? `${name} is not installed or not on PATH`
    : `could not start ${name}: ${error.message}`;
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
