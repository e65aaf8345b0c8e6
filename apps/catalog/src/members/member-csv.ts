import { parse } from 'csv-parse/sync';
import type { FileEncoding } from '#contracts';

/** The most rows one file may hold: larger lists are split, so a preview stays readable and quick. */
export const MAX_IMPORT_ROWS = 20_000;

/** How the file's bytes were read: UTF-8 (with or without a byte-order mark) or GB18030 (what Excel in Chinese saves). */
export type { FileEncoding };

/** What is wrong with a whole file, as a code the page words in its own language. */
export type FileProblem =
  | 'encoding'
  | 'not-text'
  | 'not-csv'
  | 'empty'
  | 'no-rows'
  | 'too-many'
  | 'password-column'
  | 'missing-columns'
  | 'not-xlsx'
  | 'xlsx-unreadable'
  | 'no-sheet';

/** A problem with the whole file (encoding, columns, size): nothing in it can be imported. */
export class CsvFileError extends Error {
  constructor(
    readonly code: FileProblem,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export type Column = 'name' | 'login' | 'unit' | 'category' | 'active';

// Spreadsheets exported in either language should import without renaming headers.
const HEADER_ALIASES: Record<string, Column | 'password'> = {
  name: 'name',
  姓名: 'name',
  login: 'login',
  username: 'login',
  登录名: 'login',
  用户名: 'login',
  账号: 'login',
  unit: 'unit',
  'unit path': 'unit',
  unit_path: 'unit',
  单位: 'unit',
  组织: 'unit',
  所在单位: 'unit',
  category: 'category',
  类别: 'category',
  人员类别: 'category',
  active: 'active',
  status: 'active',
  状态: 'active',
  password: 'password',
  密码: 'password',
};

export const REQUIRED_COLUMNS: Column[] = ['name', 'login', 'unit'];

/** The headers of the template the import page offers, in its order. */
export const TEMPLATE_HEADERS = { zh: ['姓名', '登录名', '单位', '类别', '状态'], en: ['name', 'login', 'unit', 'category', 'active'] };

/** A reason a row cannot be imported, as a code with what it names; `member-import-reasons.ts` words it. */
export interface Problem {
  code:
    | 'name-missing'
    | 'name-too-long'
    | 'login-missing'
    | 'login-format'
    | 'login-duplicate'
    | 'active-bad'
    | 'unit-missing'
    | 'unit-unknown'
    | 'unit-outside'
    | 'unit-ambiguous'
    | 'category-unknown'
    | 'login-foreign'
    | 'login-not-member'
    | 'unit-differs'
    | 'changed';
  params?: Record<string, string | number>;
}

/** One row of the file as read, before the database is asked anything. */
export interface MemberRow {
  /** The spreadsheet's row number (the header is row 1). */
  line: number;
  /** The row's cells as they were in the file, for the rejected-rows download. */
  cells: string[];
  name: string;
  /** Lower-cased, as logins are stored. */
  login: string;
  unit: string;
  category: string;
  /** null: the file says nothing (a new member is active, an existing one keeps their state). */
  active: boolean | null;
  /** What is wrong with the row on its own. */
  problems: Problem[];
}

export interface MemberTable {
  header: string[];
  rows: MemberRow[];
}

/** Reads CSV bytes as text: UTF-8 (a BOM is dropped) when they are valid UTF-8, else GB18030 (which covers GBK). */
export function decodeCsv(data: Buffer): { text: string; encoding: FileEncoding } {
  const bom = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
  try {
    // ignoreBOM: true keeps the mark in the text; it is removed below, knowing it was there.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
    return bom ? { text: text.slice(1), encoding: 'utf-8-bom' } : { text, encoding: 'utf-8' };
  } catch {
    try {
      return { text: new TextDecoder('gb18030', { fatal: true }).decode(data), encoding: 'gb18030' };
    } catch {
      throw new CsvFileError(
        'encoding',
        'The file is neither UTF-8 nor GBK text. Save it from Excel as "CSV UTF-8" or as .xlsx and upload it again.',
      );
    }
  }
}

/** Splits CSV text into rows of cells; every row is kept (blank ones too) so row numbers match the spreadsheet. */
export function readCsvRecords(text: string): string[][] {
  if (text.includes('\u0000'))
    throw new CsvFileError('not-text', 'The file is not a text CSV file. Save it as CSV or .xlsx and upload it again.');
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: false, trim: false, bom: true }) as string[][];
  } catch (error) {
    throw new CsvFileError('not-csv', `The file is not valid CSV: ${(error as Error).message}`);
  }
}

export function normalizeUnitPath(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .split('/')
    .map((part) => part.trim())
    .filter(Boolean)
    .join('/');
}

const ACTIVE_WORDS: Record<string, boolean> = {
  true: true,
  yes: true,
  y: true,
  '1': true,
  active: true,
  是: true,
  在册: true,
  正常: true,
  启用: true,
  有效: true,
  false: false,
  no: false,
  n: false,
  '0': false,
  inactive: false,
  否: false,
  停用: false,
  注销: false,
  禁用: false,
  无效: false,
};

/** The status column: blank says nothing; otherwise yes/no words in either language. */
export function parseActive(raw: string): boolean | null | 'bad' {
  const value = raw.trim().toLowerCase();
  if (!value) return null;
  return ACTIVE_WORDS[value] ?? 'bad';
}

const LOGIN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/**
 * Turns the rows of a file (CSV or the first sheet of an .xlsx) into member rows: the header row names the
 * columns in Chinese or English; each later row is checked on its own (name, login format, repeated
 * login, status). Blank rows are skipped; row numbers are the spreadsheet's.
 */
export function parseMemberTable(records: string[][]): MemberTable {
  const headerIndex = records.findIndex((record) => record.some((cell) => cell.trim()));
  if (headerIndex < 0) {
    throw new CsvFileError(
      'empty',
      'The file is empty. Its first row must name the columns: 姓名/name, 登录名/login, 单位/unit, 类别/category, 状态/active.',
    );
  }
  const header = records[headerIndex].map((cell) => cell.replace(/^\ufeff/, '').trim());
  const columns = header.map((cell) => HEADER_ALIASES[cell.toLowerCase()]);
  if (columns.includes('password')) {
    throw new CsvFileError(
      'password-column',
      'Passwords are not imported. Remove the password column and upload again; new members get a password when an administrator resets it.',
    );
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new CsvFileError(
      'missing-columns',
      `Missing column(s): ${missing.join(', ')}. The first row must name the columns: 姓名/name, 登录名/login, 单位/unit (类别/category and 状态/active are optional).`,
      { columns: missing.join(', ') },
    );
  }
  const body = records.slice(headerIndex + 1);
  const filled = body.filter((record) => record.some((cell) => cell.trim())).length;
  if (filled === 0) throw new CsvFileError('no-rows', 'The file has a header row but no members under it.');
  if (filled > MAX_IMPORT_ROWS)
    throw new CsvFileError('too-many', `The file has more than ${MAX_IMPORT_ROWS} rows. Split it into smaller files.`);

  const index = (column: Column) => columns.indexOf(column);
  const rows: MemberRow[] = [];
  const firstLineOfLogin = new Map<string, number>();
  body.forEach((record, i) => {
    if (!record.some((cell) => cell.trim())) return;
    const line = headerIndex + i + 2;
    const cell = (column: Column) => (index(column) >= 0 ? (record[index(column)] ?? '').trim() : '');
    const problems: Problem[] = [];
    const name = cell('name');
    if (!name) problems.push({ code: 'name-missing' });
    else if (name.length > 100) problems.push({ code: 'name-too-long' });
    const login = cell('login').toLowerCase();
    if (!login) problems.push({ code: 'login-missing' });
    else if (!LOGIN.test(login)) problems.push({ code: 'login-format', params: { login: cell('login').slice(0, 80) } });
    else {
      const earlier = firstLineOfLogin.get(login);
      if (earlier !== undefined) problems.push({ code: 'login-duplicate', params: { login, line: earlier } });
      else firstLineOfLogin.set(login, line);
    }
    const active = parseActive(cell('active'));
    if (active === 'bad') problems.push({ code: 'active-bad', params: { value: cell('active').slice(0, 40) } });
    rows.push({
      line,
      cells: header.map((_, c) => record[c] ?? ''),
      name,
      login,
      unit: cell('unit'),
      category: cell('category'),
      active: active === 'bad' ? null : active,
      problems,
    });
  });
  return { header, rows };
}

/** Reads a CSV file: its encoding and its member rows. */
export function parseMemberCsv(data: Buffer): MemberTable & { encoding: FileEncoding } {
  const { text, encoding } = decodeCsv(data);
  return { ...parseMemberTable(readCsvRecords(text)), encoding };
}
