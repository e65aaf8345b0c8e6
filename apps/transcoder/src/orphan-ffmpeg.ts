import { readFile, readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { FFMPEG_WATCHDOG_NAME } from './ffmpeg-watchdog.js';

export interface OrphanProcess {
  pid: number;
  pgid: number;
  command: string;
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  comm: string;
  argv: string[];
}

async function processInfo(pid: number): Promise<ProcessInfo | null> {
  try {
    const [stat, cmdline] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/cmdline`, 'utf8')]);
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [, ppid, pgid] = stat
      .slice(close + 2)
      .split(' ')
      .map((field) => Number(field));
    return { pid, ppid: ppid ?? 0, pgid: pgid ?? 0, comm, argv: cmdline.split('\0').filter((arg) => arg !== '') };
  } catch {
    return null;
  }
}

const isOurs = (info: ProcessInfo, workDir: string) => {
  const program = basename(info.argv[0] ?? '');
  const isFfmpeg = program === 'ffmpeg' || info.argv.some((arg) => basename(arg) === FFMPEG_WATCHDOG_NAME);
  return isFfmpeg && info.argv.some((arg) => arg.startsWith(`${workDir}/`));
};

/**
 * ffmpeg processes (or watchdog wrappers) working in `workDir` that no live Node process owns any
 * more: left by a transcoder on this machine that died without cleaning up. Another live worker's
 * runs are never listed: their owner chain ends in a running `node`.
 */
export async function findOrphanFfmpeg(workDir: string): Promise<OrphanProcess[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const all = new Map<number, ProcessInfo>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const info = await processInfo(Number(entry));
    if (info) all.set(info.pid, info);
  }
  const orphans: OrphanProcess[] = [];
  for (const info of all.values()) {
    if (info.pid === process.pid || !isOurs(info, workDir)) continue;
    let owner = all.get(info.ppid);
    for (let depth = 0; owner && isOurs(owner, workDir) && depth < 8; depth += 1) owner = all.get(owner.ppid);
    const ownedByLiveNode = owner !== undefined && owner.pid !== 1 && owner.comm.startsWith('node');
    if (!ownedByLiveNode) orphans.push({ pid: info.pid, pgid: info.pgid, command: info.argv.join(' ').slice(0, 300) });
  }
  return orphans;
}

/** SIGKILLs the orphans (their whole process group when they lead their own); returns what it killed. */
export async function killOrphanFfmpeg(workDir: string): Promise<OrphanProcess[]> {
  const orphans = await findOrphanFfmpeg(workDir);
  const ownGroup = Number((await processInfo(process.pid))?.pgid ?? -1);
  for (const orphan of orphans) {
    try {
      if (orphan.pgid === orphan.pid && orphan.pgid !== ownGroup) process.kill(-orphan.pgid, 'SIGKILL');
      else process.kill(orphan.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return orphans;
}
