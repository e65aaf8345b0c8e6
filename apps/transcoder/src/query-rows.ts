import type { DataSource, QueryResult } from 'typeorm';

export type Row = Record<string, unknown>;

/**
 * Rows of a statement, RETURNING ones included. (DataSource.query answers `[rows, count]` for an
 * UPDATE, whose first element is truthy even when nothing matched; the structured result is unambiguous.)
 */
export async function queryRows(db: DataSource, sql: string, parameters: unknown[]): Promise<Row[]> {
  const runner = db.createQueryRunner();
  try {
    const result: QueryResult = await runner.query(sql, parameters, true);
    return (result.records ?? []) as Row[];
  } finally {
    await runner.release();
  }
}
