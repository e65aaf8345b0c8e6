import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ProcessGroups, spawnSupervised, type SupervisedSpawnOptions } from './supervised-spawn.js';

/** A child that starts a grandchild of its own, and neither ever ends by itself. */
const WITH_GRANDCHILD = ['-c', 'sleep 100 & sleep 100'];

/** How many processes of the group are still running (a zombie is dead, only not yet reaped). */
async function runningInGroup(pgid: number): Promise<number> {
  const { stdout } = await promisify(execFile)('ps', ['-e', '-o', 'pgid=,stat=']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, state]) => Number(group) === pgid && state !== undefined && !state.startsWith('Z')).length;
}

/** Resolves once the group has `count` running processes (the shell and its grandchild are both up). */
async function groupReaches(pgid: number, count: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if ((await runningInGroup(pgid)) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process group ${pgid} never had ${count} processes`);
}

function options(changes: Partial<SupervisedSpawnOptions> = {}): SupervisedSpawnOptions {
  return { groups: new ProcessGroups(), timeoutMs: 30_000, ...changes };
}

describe('spawnSupervised', () => {
  it('a time limit kills the child and the grandchild it spawned', async () => {
    let pgid = 0;
    const end = await spawnSupervised('sh', WITH_GRANDCHILD, options({ timeoutMs: 500, onStart: (pid) => (pgid = pid) }));
    expect(end).toEqual({ reason: 'timeout', code: null, signal: 'SIGKILL' });
    expect(pgid).toBeGreaterThan(0);
    expect(await runningInGroup(pgid)).toBe(0);
  });

  it('an abort kills the child and the grandchild it spawned', async () => {
    const controller = new AbortController();
    let pgid = 0;
    const running = spawnSupervised('sh', WITH_GRANDCHILD, options({ signal: controller.signal, onStart: (pid) => (pgid = pid) }));
    await groupReaches(pgid, 2);
    controller.abort();
    expect(await running).toEqual({ reason: 'aborted', code: null, signal: 'SIGKILL' });
    expect(await runningInGroup(pgid)).toBe(0);
  });

  it('an abort from inside onStart still kills the run', async () => {
    const controller = new AbortController();
    const end = await spawnSupervised('sleep', ['100'], options({ signal: controller.signal, onStart: () => controller.abort() }));
    expect(end).toMatchObject({ reason: 'aborted' });
  });

  it('starts nothing when the signal has aborted already', async () => {
    let started = false;
    const end = await spawnSupervised('sleep', ['100'], options({ signal: AbortSignal.abort(), onStart: () => (started = true) }));
    expect(end).toEqual({ reason: 'aborted-before-start' });
    expect(started).toBe(false);
  });

  it('reports the exit code and hands over the output', async () => {
    let output = '';
    const end = await spawnSupervised(
      'sh',
      ['-c', 'echo out; echo err >&2; exit 3'],
      options({
        onSpawn: (child) => {
          child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        },
      }),
    );
    expect(end).toEqual({ reason: 'exit', code: 3, signal: null });
    expect(output.split('\n').sort()).toEqual(['', 'err', 'out']);
  });

  it('with killGroupOnExit, what the child left running goes when it exits; without, it stays', async () => {
    // The grandchild keeps no pipe open, so the child's exit ends the run.
    const leaving = ['-c', 'sleep 100 >/dev/null 2>&1 & exit 0'];
    let pgid = 0;
    const kept = await spawnSupervised('sh', leaving, options({ onStart: (pid) => (pgid = pid) }));
    expect(kept).toEqual({ reason: 'exit', code: 0, signal: null });
    try {
      expect(await runningInGroup(pgid)).toBe(1);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }

    const reaped = await spawnSupervised('sh', leaving, options({ killGroupOnExit: true, onStart: (pid) => (pgid = pid) }));
    expect(reaped).toEqual({ reason: 'exit', code: 0, signal: null });
    expect(await runningInGroup(pgid)).toBe(0);
  });

  it('ProcessGroups.killAll ends the runs still alive, and forgets the ones that ended', async () => {
    const groups = new ProcessGroups();
    let pgid = 0;
    const running = spawnSupervised('sh', WITH_GRANDCHILD, options({ groups, onStart: (pid) => (pgid = pid) }));
    await groupReaches(pgid, 2);
    expect(groups.killAll()).toBe(1);
    expect(await running).toEqual({ reason: 'exit', code: null, signal: 'SIGKILL' });
    expect(await runningInGroup(pgid)).toBe(0);
    expect(groups.killAll()).toBe(0);
  });

  it('reports a missing command as a spawn failure', async () => {
    const end = await spawnSupervised('/nonexistent/command', [], options());
    expect(end).toMatchObject({ reason: 'spawn', error: expect.objectContaining({ code: 'ENOENT' }) });
  });
});
