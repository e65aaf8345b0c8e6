import type { Response } from 'express';
import type ExcelJS from 'exceljs';

export type Lang = 'zh-CN' | 'en';

export interface Column<Row> {
  key: string;
  zh: string;
  en: string;
  /** The cell as the screen shows it, in the viewer's language: the JSON table's and the CSV's value. */
  text(row: Row): string;
  /**
   * For XLSX: the number behind `text`, so a spreadsheet can sum and sort it, and the Excel number
   * format that makes it read as `text` does (e.g. '0.0%'). Without it the XLSX cell is `text`.
   */
  number?(row: Row): number | null;
  format?: string;
}

/** One table as the screen shows it: the same columns and rows feed the JSON, the CSV and the XLSX. */
export interface ReportTable<Row> {
  /** The file's name without extension, in the viewer's language: what, of which plan and unit, and the day. */
  name: string;
  /** The same in ASCII, for clients that cannot read an RFC 5987 name. */
  asciiName: string;
  /** The worksheet's name, e.g. "学员". */
  sheet: string;
  columns: Column<Row>[];
  /** An export may stream them (e.g. page after page of a large plan); the JSON answer holds one page. */
  rows: Row[] | AsyncIterable<Row>;
}

export const header = <Row>(column: Column<Row>, lang: Lang) => (lang === 'en' ? column.en : column.zh);

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A name fit for a file and a worksheet: names carry a plan's, a unit's or a lecture's title, and no file
 * system or spreadsheet takes \ / : * ? " < > | [ ] or control characters in a name (nor a sheet name
 * starting or ending with an apostrophe).
 */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are among what must go
  const cleaned = name.replace(/[\\/:*?"<>|[\]\u0000-\u001f\u007f]+/g, '-').trim();
  return cleaned.replace(/^'+|'+$/g, '') || 'report';
}

/** An ASCII-only file name: letters, digits, dots, dashes and underscores; anything else becomes one dash. */
export function asciiName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return cleaned || 'report';
}

/** The parts of a file name joined by " - "; empty parts are left out. */
export const fileName = (...parts: Array<string | null | undefined>) =>
  parts
    .map((p) => p?.trim())
    .filter(Boolean)
    .join(' - ');

/** `attachment` with the UTF-8 name (RFC 5987 `filename*`) and an ASCII fallback for older clients. */
export function contentDisposition(name: string, ascii: string, ext: string): string {
  const utf8 = encodeURIComponent(`${safeName(name)}.${ext}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName(ascii)}.${ext}"; filename*=UTF-8''${utf8}`;
}

function attachment(res: Response, table: ReportTable<unknown>, ext: string, type: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', contentDisposition(table.name, table.asciiName, ext));
  res.setHeader('Cache-Control', 'no-store');
}

/** Streams a CSV with a BOM so Excel opens the Chinese text as UTF-8: every cell as the screen shows it. */
export async function sendCsv<Row>(res: Response, table: ReportTable<Row>, lang: Lang): Promise<void> {
  attachment(res, table as ReportTable<unknown>, 'csv', 'text/csv; charset=utf-8');
  const write = (line: string) => new Promise<void>((resolve) => (res.write(line) ? resolve() : res.once('drain', resolve)));
  await write(`\ufeff${table.columns.map((c) => csvCell(header(c, lang))).join(',')}\r\n`);
  for await (const row of table.rows) await write(`${table.columns.map((c) => csvCell(c.text(row))).join(',')}\r\n`);
  res.end();
}

/** An XLSX cell: the number with its display format where the column has one, else the screen's text. */
const xlsxValue = <Row>(column: Column<Row>, row: Row) => (column.number ? column.number(row) : column.text(row));

/** exceljs, loaded on the first spreadsheet rather than at start-up, which it would slow for every process. */
let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => (excel ??= import('exceljs').then((module) => module.default));

/** Streams an XLSX workbook row by row (exceljs streaming writer), so large units do not build it in memory. */
export async function sendXlsx<Row>(res: Response, table: ReportTable<Row>, lang: Lang): Promise<void> {
  const ExcelJS = await loadExcel();
  attachment(res, table as ReportTable<unknown>, 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
  const sheet = workbook.addWorksheet(safeName(table.sheet).slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({
    header: header(c, lang),
    key: c.key,
    width: Math.max(12, header(c, lang).length * 2 + 4),
    style: c.number && c.format ? { numFmt: c.format } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const row of table.rows) sheet.addRow(Object.fromEntries(table.columns.map((c) => [c.key, xlsxValue(c, row)]))).commit();
  sheet.commit();
  await workbook.commit();
}

/** The table as the screen shows it: labelled columns and each row's cells as text, in the viewer's language. */
export function tableAsJson<Row>(table: ReportTable<Row> & { rows: Row[] }, lang: Lang) {
  const { columns } = table;
  return {
    columns: columns.map((c) => ({ key: c.key, label: header(c, lang) })),
    rows: table.rows.map((row) => {
      const cells: Record<string, string> = {};
      for (const column of columns) cells[column.key] = column.text(row);
      return cells;
    }),
  };
}

/**
 * A report as JSON: the labelled columns, each row once as a typed item (the screen formats them), and
 * any facts about them (e.g. `asOf`, a page's `total`). Never cached.
 */
export function sendJson<Row>(
  res: Response,
  table: ReportTable<Row> & { rows: Row[] },
  lang: Lang,
  meta: Record<string, unknown> = {},
): void {
  sendUncached(res, { ...meta, columns: table.columns.map((c) => ({ key: c.key, label: header(c, lang) })), items: table.rows });
}

/** The same table as the files carry it, each cell the text the screen and the CSV show (`format=table`). */
export function sendTableJson<Row>(
  res: Response,
  table: ReportTable<Row> & { rows: Row[] },
  lang: Lang,
  meta: Record<string, unknown> = {},
): void {
  sendUncached(res, { ...meta, ...tableAsJson(table, lang) });
}

/** Reports are read live and per person, so no answer of theirs is kept by a browser or a proxy. */
function sendUncached(res: Response, body: object): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}
