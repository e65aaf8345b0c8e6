import type { Response } from 'express';
import ExcelJS from 'exceljs';

export type Lang = 'zh-CN' | 'en';

export interface Column<Row> {
  key: string;
  zh: string;
  en: string;
  value(row: Row): string | number | null;
  /** Excel number format, e.g. '0.0' for hours. */
  format?: string;
}

/** One table as the screen shows it: the same columns and rows feed the JSON, the CSV and the XLSX. */
export interface ReportTable<Row> {
  name: string;
  columns: Column<Row>[];
  rows: Row[];
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
 * A table name fit for a file and a worksheet: names may carry a member's login or a lecture's title,
 * and no file system or spreadsheet takes \ / : * ? " < > | [ ] or control characters in a name (nor a sheet name
 * starting or ending with an apostrophe).
 */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are among what must go
  const cleaned = name.replace(/[\\/:*?"<>|[\]\u0000-\u001f\u007f]+/g, '-').trim();
  return cleaned.replace(/^'+|'+$/g, '') || 'report';
}

const filename = (name: string, ext: string) => `${safeName(name)}.${ext}`;

function attachment(res: Response, name: string, ext: string, type: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename="report.${ext}"; filename*=UTF-8''${encodeURIComponent(filename(name, ext))}`);
  res.setHeader('Cache-Control', 'no-store');
}

/** Streams a CSV with a BOM so Excel opens the Chinese text as UTF-8. */
export async function sendCsv<Row>(res: Response, table: ReportTable<Row>, lang: Lang): Promise<void> {
  attachment(res, table.name, 'csv', 'text/csv; charset=utf-8');
  const write = (line: string) => new Promise<void>((resolve) => (res.write(line) ? resolve() : res.once('drain', resolve)));
  await write(`\ufeff${table.columns.map((c) => csvCell(header(c, lang))).join(',')}\r\n`);
  for (const row of table.rows) await write(`${table.columns.map((c) => csvCell(c.value(row))).join(',')}\r\n`);
  res.end();
}

/** Streams an XLSX workbook row by row (exceljs streaming writer), so large units do not build it in memory. */
export async function sendXlsx<Row>(res: Response, table: ReportTable<Row>, lang: Lang): Promise<void> {
  attachment(res, table.name, 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
  const sheet = workbook.addWorksheet(safeName(table.name.slice(0, 31)), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({
    header: header(c, lang),
    key: c.key,
    width: Math.max(12, header(c, lang).length * 2 + 4),
    style: c.format ? { numFmt: c.format } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const row of table.rows) sheet.addRow(Object.fromEntries(table.columns.map((c) => [c.key, c.value(row)]))).commit();
  sheet.commit();
  await workbook.commit();
}

export function tableAsJson<Row>(table: ReportTable<Row>, lang: Lang) {
  const { columns } = table;
  return {
    columns: columns.map((c) => ({ key: c.key, label: header(c, lang) })),
    rows: table.rows.map((row) => {
      const cells: Record<string, string | number | null> = {};
      for (const column of columns) cells[column.key] = column.value(row);
      return cells;
    }),
  };
}

/** A report as JSON: the table for the screen, the typed items, and any facts about them (e.g. `asOf`). Never cached. */
export function sendJson<Row>(res: Response, table: ReportTable<Row>, lang: Lang, meta: Record<string, unknown> = {}): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ ...meta, ...tableAsJson(table, lang), items: table.rows }));
}
