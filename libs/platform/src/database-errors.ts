/** What a client is told about a database refusal: a status and a sentence, never SQL or row values. */
export interface ClientError {
  status: number;
  message: string;
}

interface PgErrorFields {
  code?: unknown;
  detail?: unknown;
  column?: unknown;
  constraint?: unknown;
  table?: unknown;
  routine?: unknown;
}

/** PostgreSQL's fields of an error thrown by pg directly or wrapped by TypeORM (`QueryFailedError.driverError`). */
function pgFields(error: unknown): PgErrorFields | null {
  if (!error || typeof error !== 'object') return null;
  const driver = (error as { driverError?: unknown }).driverError;
  const source = (driver && typeof driver === 'object' ? driver : error) as PgErrorFields;
  return typeof source.code === 'string' && /^[0-9A-Z]{5}$/.test(source.code) ? source : null;
}

/**
 * PostgreSQL rolled the transaction back to break a deadlock (40P01) or a serialization conflict (40001):
 * nothing of it was written, and the same work run again may well succeed.
 */
export function isConcurrencyConflict(error: unknown): boolean {
  const code = pgFields(error)?.code;
  return code === '40P01' || code === '40001';
}

/** `course_id` → `course`, `org_unit_id` → `org unit`, `title` → `title`: names a person recognises. */
export const humanName = (name: string) =>
  name
    .replace(/_id$/, '')
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();

/** The column names in a detail such as `Key (org_unit_id, name)=(…) already exists.` */
function keyColumns(detail: unknown): string[] {
  const match = typeof detail === 'string' ? /^Key \(([^)]*)\)=/.exec(detail) : null;
  if (!match) return [];
  return match[1]!
    .split(',')
    .map((part) => part.trim().replace(/^"|"$/g, ''))
    .filter((part) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(part));
}

const list = (names: string[]) => names.map(humanName).join(' and ');

/**
 * Maps PostgreSQL's refusals of bad data to the 4xx they are; `null` for anything else (a server error).
 * Messages name fields, never values, tables' SQL or the statement.
 */
export function describeDatabaseError(error: unknown): ClientError | null {
  const pg = pgFields(error);
  if (!pg) return null;
  const column = typeof pg.column === 'string' && pg.column ? humanName(pg.column) : null;
  switch (pg.code) {
    case '23505': {
      const columns = keyColumns(pg.detail);
      return {
        status: 409,
        message: columns.length
          ? `Another record already has this ${list(columns)}. Choose a different ${list(columns)}.`
          : 'This record already exists. Change the values that must be unique and try again.',
      };
    }
    case '23503': {
      const columns = keyColumns(pg.detail);
      const what = columns.length ? list(columns) : 'referenced record';
      if (typeof pg.detail === 'string' && pg.detail.includes('is still referenced')) {
        return { status: 409, message: 'This record is still in use by other records. Remove or move those first.' };
      }
      return { status: 400, message: `The ${what} you referred to does not exist. Choose an existing one.` };
    }
    case '23514':
      return {
        status: 400,
        message: `Invalid request: a value is outside what is allowed${typeof pg.constraint === 'string' ? ` (${humanName(pg.constraint.replace(/_check$/, ''))})` : ''}. Correct it and try again.`,
      };
    case '23502':
      return { status: 400, message: `Invalid request: ${column ?? 'a required value'} is missing. Fill it in and try again.` };
    case '22003':
      return { status: 400, message: 'Invalid request: a number is too large or too small. Use a smaller value.' };
    case '22P02':
      return { status: 400, message: 'Invalid request: a value has the wrong format (for example an id that is not a UUID).' };
    case '22001':
      return { status: 400, message: 'Invalid request: a text is too long. Shorten it and try again.' };
    case '22021':
    case '22P05':
      return {
        status: 400,
        message: 'Invalid request: a text contains a character that cannot be stored (such as a NUL byte). Remove it and try again.',
      };
    case '22007':
    case '22008':
      return { status: 400, message: 'Invalid request: a date or time is not valid or out of range.' };
    case '23P01':
      return { status: 409, message: 'This overlaps with an existing record. Change it so they do not overlap.' };
    case '40001':
    case '40P01':
      return { status: 409, message: 'This change collided with another one made at the same moment. Try again.' };
    default:
      return null;
  }
}
