import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
  modifiedAt: Date;
}

/** Where published media and original uploads live; the local driver is the default, others keep this shape. */
export interface Storage {
  /** Copies a local file in under `key` (the key's folders are created). */
  putFile(localPath: string, key: string): Promise<void>;
  /**
   * Stores a local file that never changes again (a finished upload) under `key`: a hard link where the store
   * shares its filesystem, so a 2 GB upload is stored at once; a copy, as `putFile`, elsewhere.
   */
  adoptFile(localPath: string, key: string): Promise<void>;
  /** Copies the object at `fromKey` to `toKey` inside the store (on S3 server-side, in parts when large). */
  copy(fromKey: string, toKey: string): Promise<void>;
  /** Makes a whole local folder visible under `prefix` at once, or not at all. */
  publishDirectory(localDir: string, prefix: string): Promise<void>;
  stat(key: string): Promise<StoredObject | null>;
  read(key: string, range?: { start: number; end: number }): Readable;
  /** A path ffmpeg can read; drivers without local files download to `scratchDir` first. */
  localPath(key: string, scratchDir: string): Promise<string>;
  removePrefix(prefix: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

/** Keys are relative, slash-separated, and may not climb out of the store. */
export function assertSafeKey(key: string): void {
  if (!key || key.startsWith('/') || key.includes('\0') || key.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`Unsafe storage key: ${JSON.stringify(key)}`);
  }
}
