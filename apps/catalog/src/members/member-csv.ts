import { parse } from 'csv-parse/sync';
import { LoginNameSchema, PasswordSchema } from '../accounts/auth.schemas.js';
import { CategoryCodeSchema, PersonNameSchema } from './member.schemas.js';

export const MAX_IMPORT_ROWS = 20_000;

export interface MemberCsvRow {
  line: number;
  name: string;
  login: string;
  unitPath: string;
  category: string | null;
  password: string | null;
}

export interface CsvRowError {
  line: number;
  login: string | null;
  reason: string;
}

/** A problem with the whole file (encoding, columns, size): nothing in it can be imported. */
export class CsvFileError extends Error {}

type Column = 'name' | 'login' | 'unit' | 'category' | 'password';

// Spreadsheets exported in either language should import without renaming headers.
const HEADER_ALIASES: Record<string, Column> = {
  name: 'name',
  姓名: 'name',
  login: 'login',
  username: 'login',
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
  password: 'password',
  密码: 'password',
};

const REQUIRED: Column[] = ['name', 'login', 'unit'];

function decodeUtf8(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    throw new CsvFileError('The file is not UTF-8 text. Save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8) and try again.');
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

const firstIssue = (result: { success: false; error: { issues: Array<{ message: string }> } }) =>
  result.error.issues[0]?.message ?? 'invalid';

/** Reads an uploaded member list: good rows and a reason for every bad one, by spreadsheet line number. */
export function parseMemberCsv(data: Buffer): { rows: MemberCsvRow[]; errors: CsvRowError[] } {
  const text = decodeUtf8(data);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new CsvFileError(`The file is not valid CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new CsvFileError('The file is empty. The first line must name the columns: name, login, unit, category.');
  if (records.length - 1 > MAX_IMPORT_ROWS)
    throw new CsvFileError(`The file has more than ${MAX_IMPORT_ROWS} rows. Split it into smaller files.`);

  const header = records[0].map((cell) => HEADER_ALIASES[cell.trim().toLowerCase()]);
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new CsvFileError(
      `Missing column(s): ${missing.join(', ')}. The first line must name the columns: name, login, unit, category (category and password are optional).`,
    );
  }
  const index = (column: Column) => header.indexOf(column);

  const rows: MemberCsvRow[] = [];
  const errors: CsvRowError[] = [];
  const firstLineOfLogin = new Map<string, number>();
  records.slice(1).forEach((record, i) => {
    const line = i + 2;
    const cell = (column: Column) => (index(column) >= 0 ? (record[index(column)] ?? '').trim() : '');
    const rawLogin = cell('login');
    const problems: string[] = [];

    const name = PersonNameSchema.safeParse(cell('name'));
    if (!name.success) problems.push(`name ${firstIssue(name)}`);
    const login = LoginNameSchema.safeParse(rawLogin);
    if (!login.success) problems.push(rawLogin ? `login ${firstIssue(login)}` : 'login is empty');
    const unitPath = normalizeUnitPath(cell('unit'));
    if (!unitPath) problems.push('unit is empty: give the unit path, e.g. committee/branch/group');
    const rawCategory = cell('category');
    const category = rawCategory ? CategoryCodeSchema.safeParse(rawCategory) : null;
    if (category && !category.success) problems.push(`category ${firstIssue(category)}`);
    const rawPassword = cell('password');
    const password = rawPassword ? PasswordSchema.safeParse(rawPassword) : null;
    if (password && !password.success) problems.push(`password ${firstIssue(password)}`);

    if (login.success) {
      const earlier = firstLineOfLogin.get(login.data);
      if (earlier !== undefined) problems.push(`login "${login.data}" already appears on line ${earlier}`);
      else firstLineOfLogin.set(login.data, line);
    }

    if (problems.length > 0 || !name.success || !login.success) {
      errors.push({ line, login: rawLogin || null, reason: problems.join('; ') });
      return;
    }
    rows.push({
      line,
      name: name.data,
      login: login.data,
      unitPath,
      category: category?.success ? category.data : null,
      password: password?.success ? password.data : null,
    });
  });
  return { rows, errors };
}
