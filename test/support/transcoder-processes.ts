import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './stack.js';
import { waitUntil } from './ports.js';

const run = promisify(execFile);
export const TRANSCODER_MAIN = join(ROOT, 'dist/apps/transcoder/src/main.js');

/** Pids and command lines of live processes whose command line contains `text` (pgrep -f). */
export async function processesMatching(text: string): Promise<Array<{ pid: number; command: string }>> {
  const pattern = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const { stdout } = await run('pgrep', ['-a', '-f', pattern]).catch((error: { code?: number; stdout?: string }) => {
    if (error.code === 1) return { stdout: '' };
    throw error;
  });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      return { pid: Number(line.slice(0, space)), command: line.slice(space + 1) };
    })
    .filter((p) => p.pid !== process.pid);
}

export interface SpawnedTranscoder {
  child: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log(): string;
}

/**
 * The built transcoder (`npm run build:server`) as its own process; resolves once it logged "transcoder ready".
 * The default wait is as generous as the stack's: on a machine busy with other work, starting Node, Nest and its
 * connections can take minutes.
 */
export async function spawnTranscoder(env: Record<string, string>, timeoutMs = 150_000): Promise<SpawnedTranscoder> {
  if (!existsSync(TRANSCODER_MAIN)) throw new Error(`${TRANSCODER_MAIN} is missing: run "npm run build:server" first.`);
  const child = spawn(process.execPath, [TRANSCODER_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 500) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const spawned = { child, output, exited, log: () => output.join('') };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error('exited');
        return spawned.log().includes('transcoder ready');
      },
      timeoutMs,
      'transcoder ready',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${spawned.log().slice(-3000)}`, { cause: error });
  }
  return spawned;
}
