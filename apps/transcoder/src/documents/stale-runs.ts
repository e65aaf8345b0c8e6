import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Removes run folders under `dir` last changed more than `maxAgeMs` ago: left by a transcoder killed mid-run.
 * A live run is never that old (its time limit is far shorter), so folders of other transcoders sharing WORK_DIR
 * are safe. Returns the names removed.
 */
export async function removeStaleRuns(dir: string, maxAgeMs: number, nowMs = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, entry);
    const info = await stat(path).catch(() => null);
    if (!info || nowMs - info.mtimeMs <= maxAgeMs) continue;
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    removed.push(entry);
  }
  return removed;
}
