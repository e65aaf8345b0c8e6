import { parse } from 'csv-parse/sync';

export const MAX_ROSTER_ROWS = 20_000;

export interface RosterRow {
  /** The spreadsheet line number, header included. */
  row: number;
  login: string;
}

/** A problem with the whole file: nothing in it can be read. */
export class RosterFileError extends Error {}

const LOGIN_HEADERS = new Set(['login', 'username', 'user', '用户名', '账号', '登录名', '帐号']);

/**
 * Decodes a spreadsheet export: UTF-8 (with or without a byte-order mark) when it is valid UTF-8,
 * else GB18030, which covers GBK and GB2312 files saved by Chinese Excel.
 */
export function decodeSpreadsheetText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(data);
    } catch {
      throw new RosterFileError('The file is neither UTF-8 nor GBK text. Save it as "CSV UTF-8" and try again.');
    }
  }
}

/**
 * Reads a class roster: one login per row, in the column headed `login` (or 用户名/账号), or in the
 * first column when the file has no header. Empty rows are skipped.
 */
export function parseRosterCsv(data: Buffer): RosterRow[] {
  const text = decodeSpreadsheetText(data).replace(/^\uFEFF/, '');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof records;
  } catch (error) {
    throw new RosterFileError(`The file is not valid CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new RosterFileError('The file is empty. Put one login per row, under a "login" heading.');
  const header = records[0].record.map((cell) => cell.toLowerCase());
  const headed = header.findIndex((cell) => LOGIN_HEADERS.has(cell));
  const column = headed >= 0 ? headed : 0;
  const body = headed >= 0 ? records.slice(1) : records;
  if (body.length > MAX_ROSTER_ROWS) {
    throw new RosterFileError(`The file has ${body.length} rows; at most ${MAX_ROSTER_ROWS} can be enrolled at once. Split it.`);
  }
  return body.map(({ record, info }) => ({ row: info.lines, login: (record[column] ?? '').trim() }));
}
