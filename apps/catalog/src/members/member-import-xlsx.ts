import type ExcelJS from 'exceljs';
import { CsvFileError, MAX_IMPORT_ROWS } from './member-csv.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** exceljs, loaded on the first workbook read rather than at start-up, which it would slow for every process. */
let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => (excel ??= import('exceljs').then((module) => module.default));

/** The cells of an .xlsx file's first worksheet as text (what Excel shows), row by row from row 1. */
export async function readXlsxRecords(data: Buffer): Promise<string[][]> {
  if (data.length < 4 || ZIP_MAGIC.some((byte, i) => data[i] !== byte)) {
    throw new CsvFileError('not-xlsx', 'The file is not an .xlsx workbook. Save it from Excel as .xlsx (or as CSV) and upload it again.');
  }
  const { Workbook } = await loadExcel();
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new CsvFileError(
      'xlsx-unreadable',
      'The .xlsx file could not be read. Open it in Excel, save it again as .xlsx, and upload it again.',
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new CsvFileError('no-sheet', 'The workbook has no worksheet.');
  if (sheet.rowCount > MAX_IMPORT_ROWS + 1000) {
    throw new CsvFileError('too-many', `The file has more than ${MAX_IMPORT_ROWS} rows. Split it into smaller files.`);
  }
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      let text: string;
      try {
        text = cell.text ?? '';
      } catch {
        text = String(cell.value ?? '');
      }
      // PostgreSQL's jsonb, where the batch keeps the cells, takes no NUL character.
      cells.push(text.replaceAll('\u0000', ''));
    }
    records[rowNumber - 1] = cells;
  });
  for (let i = 0; i < records.length; i++) records[i] ??= [];
  return records;
}
