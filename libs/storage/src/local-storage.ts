import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, cp, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { assertSafeKey, type Storage, type StoredObject } from './storage.js';

/** Storage in a local folder; publishing is a rename, so readers see all of a set or none of it. */
export class LocalStorage implements Storage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    assertSafeKey(key);
    return join(this.root, key);
  }

  async putFile(localPath: string, key: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const staging = await this.stagingPath();
    await copyFile(localPath, staging);
    await rename(staging, target);
  }

  async adoptFile(localPath: string, key: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const staging = await this.stagingPath();
    // Another filesystem (EXDEV) or one without hard links: copy.
    await link(localPath, staging).catch(() => copyFile(localPath, staging));
    await rename(staging, target);
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const source = this.path(fromKey);
    const target = this.path(toKey);
    await mkdir(dirname(target), { recursive: true });
    const staging = await this.stagingPath();
    await copyFile(source, staging);
    await rename(staging, target);
  }

  async publishDirectory(localDir: string, prefix: string): Promise<void> {
    const target = this.path(prefix);
    await mkdir(dirname(target), { recursive: true });
    // Copy into staging inside the store first: rename is atomic only within one filesystem.
    const staging = await this.stagingPath();
    await cp(localDir, staging, { recursive: true });
    await rename(staging, target);
  }

  async stat(key: string): Promise<StoredObject | null> {
    const info = await stat(this.path(key)).catch(() => null);
    return info?.isFile() ? { size: info.size, modifiedAt: info.mtime } : null;
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(key), range);
  }

  async localPath(key: string): Promise<string> {
    return this.path(key);
  }

  async removePrefix(prefix: string): Promise<void> {
    await rm(this.path(prefix), { recursive: true, force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.path(prefix);
    const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split('\\').join('/'))
      .sort();
  }

  private async stagingPath(): Promise<string> {
    const dir = join(this.root, '.staging');
    await mkdir(dir, { recursive: true });
    return join(dir, randomBytes(12).toString('hex'));
  }
}
