import { describe, expect, it } from '@jest/globals';
import { chunk } from './chunk.js';

/** An importer the test settles by hand, counting how often it was asked. */
function manual<T>() {
  const calls: Array<{ resolve: (value: T) => void; reject: (failure: unknown) => void }> = [];
  const importer = () => new Promise<T>((resolve, reject) => calls.push({ resolve, reject }));
  return { importer, calls };
}

describe('chunk', () => {
  it('fetches nothing until asked, then holds the value for every later render', async () => {
    const { importer, calls } = manual<string>();
    const page = chunk(importer);
    expect(calls).toHaveLength(0);
    expect(page.loaded).toBeUndefined();
    const first = page.load();
    expect(page.loaded).toBeUndefined();
    calls[0]!.resolve('studio');
    await expect(first).resolves.toBe('studio');
    expect(page.loaded).toBe('studio');
    await expect(page.load()).resolves.toBe('studio');
    expect(calls).toHaveLength(1);
  });

  it('shares one fetch between pages asking at the same time', async () => {
    const { importer, calls } = manual<number>();
    const page = chunk(importer);
    const both = Promise.all([page.load(), page.load()]);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(7);
    await expect(both).resolves.toEqual([7, 7]);
  });

  it('passes a failure on, keeps nothing, and fetches again when asked again', async () => {
    const { importer, calls } = manual<string>();
    const page = chunk(importer);
    const first = page.load();
    calls[0]!.reject(new TypeError('Failed to fetch dynamically imported module'));
    await expect(first).rejects.toThrow('Failed to fetch');
    expect(page.loaded).toBeUndefined();
    const second = page.load();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('studio');
    await expect(second).resolves.toBe('studio');
    expect(page.loaded).toBe('studio');
  });

  it('keeps a loaded value that is falsy', async () => {
    const page = chunk(() => Promise.resolve(0));
    await page.load();
    expect(page.loaded).toBe(0);
  });
});
