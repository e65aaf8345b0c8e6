import { BadRequestException, ConflictException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ACCOUNT_CHECK, type Principal } from '#auth';
import type { FileEncoding, ImportCounts, ImportPreview, ImportResult, RejectedRow } from '#contracts';
import type { ActiveAccounts } from '../accounts/active-accounts.js';
import { ScopeService } from '../org/scope.service.js';
import { CsvFileError, decodeCsv, parseMemberTable, readCsvRecords, type MemberRow, type Problem } from './member-csv.js';
import { describeProblems } from './member-import-reasons.js';
import {
  classifyRows,
  driftedRows,
  type ExistingPerson,
  type ImportCategory,
  type ImportContext,
  type ImportUnit,
  type RowOutcome,
} from './member-import-rules.js';
import { readXlsxRecords } from './member-import-xlsx.js';

/** How many rows of each kind a preview lists; the counts are always exact and the rejected rows downloadable. */
export const PREVIEW_LIST_LIMIT = 200;

export type ImportFileKind = 'csv' | 'xlsx';

/** A row as the batch keeps it: what was read, and what the preview decided. */
interface StoredRow extends MemberRow {
  action: RowOutcome['action'];
  outcome: RowOutcome;
}

interface BatchRecord {
  id: string;
  created_by: string;
  root_unit_id: string;
  file_name: string;
  encoding: FileEncoding;
  header: string[];
  rows: StoredRow[];
  created_at: Date;
  expires_at: Date;
  confirmed_at: Date | null;
  expired: boolean;
}

const EXISTING_SQL = `
  SELECT u.id, u.login, u.name, u.role, u.org_unit_id AS "unitId", o.path AS "unitPath", u.category, u.active
    FROM users u JOIN org_units o ON o.id = u.org_unit_id
   WHERE u.login = ANY($1::text[])`;

/**
 * Member lists imported in two steps: the preview reads the file and stores what each row would do, writing
 * nothing to `users`; the confirmation checks every row again against the current state and applies them
 * all in one transaction with set-based statements. New members get no password: an administrator resets
 * one to hand out (the account must then choose its own).
 */
@Injectable()
export class MemberImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    @Inject(ACCOUNT_CHECK) private readonly accounts: ActiveAccounts,
  ) {}

  async preview(principal: Principal, data: Buffer, kind: ImportFileKind, fileName: string): Promise<ImportPreview> {
    let table: ReturnType<typeof parseMemberTable>;
    let encoding: FileEncoding;
    try {
      if (kind === 'xlsx') {
        table = parseMemberTable(await readXlsxRecords(data));
        encoding = 'xlsx';
      } else {
        const decoded = decodeCsv(data);
        table = parseMemberTable(readCsvRecords(decoded.text));
        encoding = decoded.encoding;
      }
    } catch (error) {
      if (error instanceof CsvFileError) {
        throw new BadRequestException({ statusCode: 400, message: error.message, code: error.code, params: error.params });
      }
      throw error;
    }
    const root = await this.scope.rootOf(principal);
    const context = await this.loadContext(this.db.manager, root.path, table.rows, false);
    const outcomes = classifyRows(table.rows, context);
    const rows: StoredRow[] = table.rows.map((row, i) => ({ ...row, action: outcomes[i].action, outcome: outcomes[i] }));
    const counts = countOf(outcomes);
    const [saved]: Array<Pick<BatchRecord, 'id' | 'created_at' | 'expires_at'>> = await this.db.query(
      `INSERT INTO member_import_batches
         (created_by, root_unit_id, file_name, encoding, header, rows, create_count, update_count, unchanged_count, reject_count)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10)
       RETURNING id, created_at, expires_at`,
      [
        principal.userId,
        root.id,
        fileName,
        encoding,
        JSON.stringify(table.header),
        JSON.stringify(rows),
        counts.create,
        counts.update,
        counts.unchanged,
        counts.reject,
      ],
    );
    // Answered from what was just stored, rather than reading the rows back.
    return previewOf({
      ...saved,
      created_by: principal.userId,
      root_unit_id: root.id,
      file_name: fileName,
      encoding,
      header: table.header,
      rows,
      confirmed_at: null,
      expired: false,
    });
  }

  async get(principal: Principal, id: string): Promise<ImportPreview> {
    return previewOf(await this.batchOf(this.db.manager, principal, id, false));
  }

  /** The rejected rows with their original cells, for fixing and uploading again. */
  async rejected(
    principal: Principal,
    id: string,
  ): Promise<{ header: string[]; rows: Array<{ cells: string[] } & RejectedRow>; fileName: string }> {
    const batch = await this.batchOf(this.db.manager, principal, id, false);
    return {
      header: batch.header,
      fileName: batch.file_name,
      rows: batch.rows.filter((row) => row.action === 'reject').map((row) => ({ cells: row.cells, ...rejectedOf(row) })),
    };
  }

  async confirm(principal: Principal, id: string): Promise<ImportResult> {
    const deactivated: string[] = [];
    const result = await this.db.transaction(async (tx) => {
      const batch = await this.batchOf(tx, principal, id, true);
      if (batch.confirmed_at) {
        throw new ConflictException(`This import was already confirmed at ${batch.confirmed_at.toISOString()}. Nothing was changed again.`);
      }
      if (batch.expired)
        throw new GoneException('This preview is more than an hour old. Upload the file again to see what it would do now.');
      const root = await this.scope.rootOf(principal);
      if (root.id !== batch.root_unit_id) throw new NotFoundException('No such import. Upload the file again.');

      // Everyone the file names is locked until the end, so nothing changes between this check and the writes.
      const context = await this.loadContext(tx, root.path, batch.rows, true);
      const outcomes = classifyRows(batch.rows, context);
      const drifted = driftedRows(batch.rows, outcomes);
      if (drifted.length > 0) {
        throw new ConflictException({
          statusCode: 409,
          message: `${drifted.length} row(s) can no longer be imported as the preview showed, because something changed since. Nothing was imported. Upload the file again to see the new preview.`,
          rows: drifted
            .slice(0, PREVIEW_LIST_LIMIT)
            .map((row) => ({ line: row.line, login: row.login, ...describeProblems(row.problems) })),
        });
      }
      const previewed = new Map(batch.rows.map((row) => [row.line, row.action]));
      const creates = outcomes.filter(
        (o): o is Extract<RowOutcome, { action: 'create' }> => o.action === 'create' && previewed.get(o.line) === 'create',
      );
      const updates = outcomes.filter(
        (o): o is Extract<RowOutcome, { action: 'update' }> => o.action === 'update' && previewed.get(o.line) === 'update',
      );
      if (creates.length > 0) {
        await tx.query(
          `INSERT INTO users (login, name, role, org_unit_id, category, active, password_hash, must_change_password)
           SELECT r.login, r.name, 'member', r.unit_id, r.category, r.active, NULL, true
             FROM jsonb_to_recordset($1::jsonb) AS r(login text, name text, unit_id uuid, category text, active boolean)`,
          [
            JSON.stringify(
              creates.map((o) => ({ login: o.login, name: o.name, unit_id: o.unitId, category: o.category, active: o.active })),
            ),
          ],
        );
      }
      if (updates.length > 0) {
        await tx.query(
          `UPDATE users u SET name = r.name, category = r.category, active = r.active, updated_at = now()
             FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, category text, active boolean)
            WHERE u.id = r.id`,
          [JSON.stringify(updates.map((o) => ({ id: o.userId, name: o.name, category: o.category, active: o.active })))],
        );
        deactivated.push(...updates.filter((o) => o.changes.active?.to === false).map((o) => o.userId));
        // A deactivated member's open lecture stops earning study time now, as a deactivation on their page does.
        if (deactivated.length > 0) {
          await tx.query(
            `UPDATE playback_sessions SET superseded_at = now(), end_reason = 'deactivated'
              WHERE user_id = ANY($1::uuid[]) AND superseded_at IS NULL`,
            [deactivated],
          );
        }
      }
      const [done]: Array<{ confirmed_at: Date }> = await tx.query(
        `WITH done AS (UPDATE member_import_batches SET confirmed_at = now() WHERE id = $1 RETURNING confirmed_at) SELECT confirmed_at FROM done`,
        [id],
      );
      const counts = countOf(outcomes);
      return {
        id,
        confirmedAt: done.confirmed_at.toISOString(),
        created: creates.length,
        updated: updates.length,
        unchanged: counts.unchanged,
        rejected: batch.rows.filter((row) => row.action === 'reject').length,
      };
    });
    for (const userId of deactivated) this.accounts.forget(userId);
    return result;
  }

  private async batchOf(manager: EntityManager, principal: Principal, id: string, lock: boolean): Promise<BatchRecord> {
    const [batch]: BatchRecord[] = await manager.query(
      `SELECT id, created_by, root_unit_id, file_name, encoding, header, rows, created_at, expires_at, confirmed_at,
              expires_at < now() AS expired
         FROM member_import_batches WHERE id = $1 AND created_by = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, principal.userId],
    );
    if (!batch) throw new NotFoundException('No such import. Upload the file again.');
    return batch;
  }

  private async loadContext(manager: EntityManager, rootPath: string, rows: MemberRow[], lock: boolean): Promise<ImportContext> {
    const logins = [...new Set(rows.map((row) => row.login).filter(Boolean))];
    // One after another: inside a transaction they share one connection.
    const units: ImportUnit[] = await manager.query(`SELECT id, path, name FROM org_units WHERE path = $1 OR path LIKE $2 ORDER BY path`, [
      rootPath,
      `${rootPath}/%`,
    ]);
    const categories: ImportCategory[] = await manager.query(
      `SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM member_categories ORDER BY builtin DESC, code`,
    );
    const existing: ExistingPerson[] = await manager.query(`${EXISTING_SQL}${lock ? ' FOR UPDATE OF u' : ''}`, [logins]);
    return { rootPath, units, categories, existing: new Map(existing.map((person) => [person.login, person])) };
  }
}

function countOf(outcomes: Array<{ action: RowOutcome['action'] }>): ImportCounts {
  const counts: ImportCounts = { total: outcomes.length, create: 0, update: 0, unchanged: 0, reject: 0 };
  for (const o of outcomes) counts[o.action]++;
  return counts;
}

function rejectedOf(row: StoredRow): RejectedRow {
  const problems: Problem[] = row.outcome.action === 'reject' ? row.outcome.problems : [];
  return { line: row.line, login: row.login, name: row.name, unit: row.unit, ...describeProblems(problems) };
}

function previewOf(batch: BatchRecord): ImportPreview {
  const counts = countOf(batch.rows);
  const take = <T>(items: T[]) => items.slice(0, PREVIEW_LIST_LIMIT);
  return {
    id: batch.id,
    fileName: batch.file_name,
    encoding: batch.encoding,
    createdAt: new Date(batch.created_at).toISOString(),
    expiresAt: new Date(batch.expires_at).toISOString(),
    confirmedAt: batch.confirmed_at ? new Date(batch.confirmed_at).toISOString() : null,
    counts,
    listLimit: PREVIEW_LIST_LIMIT,
    created: take(batch.rows.filter((row) => row.outcome.action === 'create')).map((row) => {
      const o = row.outcome as Extract<RowOutcome, { action: 'create' }>;
      return { line: o.line, login: o.login, name: o.name, unitPath: o.unitPath, category: o.category, active: o.active };
    }),
    updated: take(batch.rows.filter((row) => row.outcome.action === 'update')).map((row) => {
      const o = row.outcome as Extract<RowOutcome, { action: 'update' }>;
      return { line: o.line, login: o.login, name: o.name, unitPath: o.unitPath, changes: o.changes };
    }),
    rejected: take(batch.rows.filter((row) => row.action === 'reject')).map(rejectedOf),
  };
}
