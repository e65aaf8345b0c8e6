import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEdge, type EdgeOptions, type RunningEdge } from '../../scripts/edge.mjs';
import type { Stack } from './stack.js';

export interface TestEdge extends RunningEdge {
  /** The keys of the entries in one of the edge's caches, as nginx wrote them into its cache files. */
  cacheKeys(zone: 'verdicts' | 'media'): string[];
}

/**
 * The production edge (Debian's nginx with infra/nginx/edge.conf.template) in front of a running stack:
 * media from the stack's storage folder, or from `s3`, verdicts from its catalog, the rest to its gateway.
 */
export async function startEdgeFor(stack: Stack, options: Partial<EdgeOptions> = {}): Promise<TestEdge> {
  const workDir = mkdtempSync(join(tmpdir(), 'lectern-edge-'));
  const edge = await startEdge({
    storageDir: stack.env.STORAGE_DIR,
    catalogUrl: stack.catalogUrl,
    webUrl: stack.baseUrl,
    workDir,
    workerProcesses: 1,
    ...options,
  });
  return {
    ...edge,
    cacheKeys: (zone) => cacheFiles(join(workDir, 'cache', zone)).map((file) => keyOf(readFileSync(file))),
    stop: async () => {
      await edge.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

function cacheFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return cacheFiles(path);
    // Files still being written are named with a dot-led temporary suffix.
    return entry.isFile() && /^[0-9a-f]{32}$/.test(entry.name) ? [path] : [];
  });
}

/** nginx writes each entry's key on a "KEY: …" line after its binary header. */
function keyOf(file: Buffer): string {
  const start = file.indexOf('\nKEY: ');
  if (start < 0) throw new Error('an nginx cache file without its KEY line');
  const end = file.indexOf('\n', start + 6);
  return file.subarray(start + 6, end).toString('utf8');
}
