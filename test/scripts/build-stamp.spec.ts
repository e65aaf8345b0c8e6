import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIsCurrent, newestModification } from '../../scripts/setup-steps.mjs';

// npm start and npm test skip the build when nothing it reads changed since the last one.

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A tree whose every file and folder carries the time `at` (seconds). */
function tree(at: number): string {
  const root = mkdtempSync(join(tmpdir(), 'lectern-stamp-'));
  dirs.push(root);
  mkdirSync(join(root, 'apps', 'x', 'node_modules'), { recursive: true });
  mkdirSync(join(root, 'apps', 'x', 'dist'), { recursive: true });
  writeFileSync(join(root, 'apps', 'x', 'a.ts'), 'a');
  writeFileSync(join(root, 'apps', 'x', 'b.ts'), 'b');
  writeFileSync(join(root, 'apps', 'x', 'node_modules', 'm.js'), 'm');
  writeFileSync(join(root, 'apps', 'x', 'dist', 'a.js'), 'a');
  for (const path of [
    'apps/x/a.ts',
    'apps/x/b.ts',
    'apps/x/node_modules/m.js',
    'apps/x/dist/a.js',
    'apps/x/node_modules',
    'apps/x/dist',
    'apps/x',
    'apps',
  ])
    utimesSync(join(root, path), at, at);
  return root;
}

describe('newestModification', () => {
  it('is the newest time of the files and folders below, leaving node_modules and dist aside', () => {
    const root = tree(1_000);
    expect(newestModification([join(root, 'apps')])).toBe(1_000_000);
    utimesSync(join(root, 'apps/x/node_modules/m.js'), 5_000, 5_000);
    utimesSync(join(root, 'apps/x/dist/a.js'), 5_000, 5_000);
    expect(newestModification([join(root, 'apps')])).toBe(1_000_000);
    utimesSync(join(root, 'apps/x/b.ts'), 2_000, 2_000);
    expect(newestModification([join(root, 'apps')])).toBe(2_000_000);
  });

  it('sees a file removed or renamed, through its folder', () => {
    const root = tree(1_000);
    mkdirSync(join(root, 'apps/y'));
    writeFileSync(join(root, 'apps/y/a.ts'), 'a');
    writeFileSync(join(root, 'apps/y/b.ts'), 'b');
    for (const path of ['apps/y/a.ts', 'apps/y/b.ts', 'apps/y', 'apps']) utimesSync(join(root, path), 1_000, 1_000);
    expect(newestModification([join(root, 'apps')])).toBe(1_000_000);
    renameSync(join(root, 'apps/y/a.ts'), join(root, 'apps/y/c.ts'));
    expect(newestModification([join(root, 'apps')])).toBeGreaterThan(1_000_000);
    utimesSync(join(root, 'apps/y'), 1_000, 1_000);
    rmSync(join(root, 'apps/y/b.ts'));
    expect(newestModification([join(root, 'apps')])).toBeGreaterThan(1_000_000);
  });

  it('leaves aside the time of a folder holding a dist, which changes when a build empties and refills it', () => {
    const root = tree(1_000);
    rmSync(join(root, 'apps/x/dist'), { recursive: true });
    mkdirSync(join(root, 'apps/x/dist'));
    expect(newestModification([join(root, 'apps')])).toBe(1_000_000);
  });

  it('counts a path that does not exist as nothing', () => {
    expect(newestModification([join(tmpdir(), 'lectern-no-such-folder')])).toBe(0);
  });
});

describe('buildIsCurrent', () => {
  it.each([
    ['a stamp as new as the inputs, outputs there', '2000', 2000, true, true],
    ['a stamp newer than the inputs', '3000', 2000, true, true],
    ['an input newer than the stamp', '2000', 2001, true, false],
    ['outputs missing', '3000', 2000, false, false],
    ['no stamp', '', 2000, true, false],
    ['an unreadable stamp', 'yesterday', 2000, true, false],
  ])('%s: %s', (_case, stamp, newest, outputs, current) => {
    expect(buildIsCurrent(stamp, newest, outputs)).toBe(current);
  });
});
