import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { LocalStorage } from './local-storage.js';

let dir: string;
let storage: LocalStorage;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lectern-storage-'));
  storage = new LocalStorage(join(dir, 'store'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('LocalStorage', () => {
  it('publishes a folder under a prefix and reads it back, whole and by range', async () => {
    const out = join(dir, 'out');
    await mkdir(join(out, '720p'), { recursive: true });
    await writeFile(join(out, 'master.m3u8'), '#EXTM3U\n');
    await writeFile(join(out, '720p', 'seg.m4s'), '0123456789');
    await storage.publishDirectory(out, 'media/a1/v1');
    expect(await storage.list('media/a1')).toEqual(['media/a1/v1/720p/seg.m4s', 'media/a1/v1/master.m3u8']);
    expect(await text(storage.read('media/a1/v1/720p/seg.m4s', { start: 2, end: 5 }))).toBe('2345');
    expect(await storage.stat('media/a1/v1/master.m3u8')).toMatchObject({ size: 8 });
    expect(await storage.list('.staging')).toEqual([]);
  });

  it('copies a file in and removes a prefix', async () => {
    await writeFile(join(dir, 'src.bin'), 'hello');
    await storage.putFile(join(dir, 'src.bin'), 'sources/a1/original.mp4');
    expect(await readFile(await storage.localPath('sources/a1/original.mp4'), 'utf8')).toBe('hello');
    await storage.copy('sources/a1/original.mp4', 'sources/a2/original.mp4');
    await storage.removePrefix('sources/a1');
    expect(await storage.stat('sources/a1/original.mp4')).toBeNull();
    expect(await readFile(await storage.localPath('sources/a2/original.mp4'), 'utf8')).toBe('hello');
  });

  it('adopts a finished upload by a link: the same bytes at once, kept when the upload is removed', async () => {
    const upload = join(dir, 'finished-upload');
    await writeFile(upload, 'lecture bytes');
    await storage.adoptFile(upload, 'sources/a3/original.mp4');
    const stored = await storage.localPath('sources/a3/original.mp4');
    expect((await stat(stored)).ino).toBe((await stat(upload)).ino);
    await rm(upload);
    expect(await readFile(stored, 'utf8')).toBe('lecture bytes');
    expect(await storage.list('.staging')).toEqual([]);
  });

  it.each(['../etc/passwd', '/abs', 'a/../../b', 'a//b', 'a\0b', ''])('refuses the unsafe key %j', async (key) => {
    expect(() => storage.read(key)).toThrow('Unsafe storage key');
    await expect(storage.stat(key)).rejects.toThrow('Unsafe storage key');
  });
});
