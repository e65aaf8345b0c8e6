import { BadRequestException } from '@nestjs/common';
import { isWithinScope } from '#auth';

/** One page of a list read by cursor: pass `nextCursor` back for the next page; null at the end. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The position after a row in newest-first order: its creation time as PostgreSQL prints it, and its id. */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string | undefined): Cursor | null {
  if (!text) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) && !Number.isNaN(Date.parse(at))) {
      return { at, id };
    }
  } catch {
    // answered below
  }
  throw new BadRequestException('cursor: not a cursor this list gave. Start again from the first page (no cursor).');
}

/**
 * Whether a unit at `path` owns questions that a caller whose unit is at `root` may see: their subtree, and
 * their unit's ancestors (whose banks serve the units below them).
 */
export function mayRead(path: string, root: string): boolean {
  return isWithinScope(path, root) || isWithinScope(root, path);
}

/** Only the caller's subtree is theirs to change. */
export const mayEdit = (path: string, root: string) => isWithinScope(path, root);
