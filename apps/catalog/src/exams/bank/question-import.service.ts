import { BadRequestException, ConflictException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { FileEncoding, QuestionImportPreview, QuestionImportResult, QuestionImportRow, QuestionInput } from '#contracts';
import { CsvFileError, decodeCsv, readCsvRecords } from '../../members/member-csv.js';
import { readXlsxRecords } from '../../members/member-import-xlsx.js';
import { ScopeService } from '../../org/scope.service.js';
import { parseQuestionRows } from './question-import-rows.js';

export type QuestionFileKind = 'csv' | 'xlsx';

interface BatchRow {
  id: string;
  created_by: string;
  owner_unit_id: string;
  file_name: string;
  encoding: FileEncoding;
  rows: QuestionImportRow[];
  accept_count: number;
  reject_count: number;
  expires_at: Date;
  confirmed_at: Date | null;
  expired: boolean;
}

/**
 * Questions imported from a spreadsheet in two steps, as member lists are: the preview reads the file and
 * keeps each row's question or its errors (`exam_question_imports`), adding nothing to the bank; the
 * confirmation, within the hour, adds every valid row in one transaction, once.
 */
@Injectable()
export class QuestionImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async preview(
    principal: Principal,
    data: Buffer,
    kind: QuestionFileKind,
    fileName: string,
    ownerUnitId: string | undefined,
  ): Promise<QuestionImportPreview> {
    const owner = ownerUnitId ? await this.scope.unitInScope(principal, ownerUnitId) : await this.scope.rootOf(principal);
    let rows: QuestionImportRow[];
    let encoding: FileEncoding;
    try {
      if (kind === 'xlsx') {
        rows = parseQuestionRows(await readXlsxRecords(data), owner.id);
        encoding = 'xlsx';
      } else {
        const decoded = decodeCsv(data);
        rows = parseQuestionRows(readCsvRecords(decoded.text), owner.id);
        encoding = decoded.encoding;
      }
    } catch (error) {
      if (error instanceof CsvFileError) {
        throw new BadRequestException({ statusCode: 400, message: error.message, code: error.code, params: error.params });
      }
      throw error;
    }
    const acceptCount = rows.filter((r) => r.question).length;
    const [saved]: Array<{ id: string; expires_at: Date }> = await this.db.query(
      `INSERT INTO exam_question_imports (created_by, owner_unit_id, file_name, encoding, rows, accept_count, reject_count)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) RETURNING id, expires_at`,
      [principal.userId, owner.id, fileName, encoding, JSON.stringify(rows), acceptCount, rows.length - acceptCount],
    );
    return {
      batchId: saved.id,
      fileName,
      encoding,
      acceptCount,
      rejectCount: rows.length - acceptCount,
      rows,
      expiresAt: saved.expires_at.toISOString(),
    };
  }

  async confirm(principal: Principal, id: string): Promise<QuestionImportResult> {
    return this.db.transaction(async (tx) => {
      const [batch]: BatchRow[] = await tx.query(
        `SELECT id, created_by, owner_unit_id, file_name, encoding, rows, accept_count, reject_count, expires_at, confirmed_at,
                expires_at < now() AS expired
           FROM exam_question_imports WHERE id = $1 FOR UPDATE`,
        [id],
      );
      // Each editor confirms only the previews they made.
      if (!batch || batch.created_by !== principal.userId) throw new NotFoundException('No such import. Upload the file again.');
      if (batch.confirmed_at) {
        throw new ConflictException(
          `This import was already confirmed at ${batch.confirmed_at.toISOString()}; its questions are in the bank. Nothing was added again.`,
        );
      }
      if (batch.expired) {
        throw new GoneException('This preview is more than an hour old. Upload the file again to see what it would import now.');
      }
      await this.scope.unitInScope(principal, batch.owner_unit_id);
      const questions = batch.rows.map((r) => r.question).filter((q): q is QuestionInput => q !== null);
      if (!questions.length) {
        throw new BadRequestException('No row of this file can be imported. Fix the rows the preview lists and upload the file again.');
      }
      // Later rows are a microsecond newer, so the bank (newest first) lists the file's last row first.
      const created: Array<{ id: string }> = await tx.query(
        `WITH added AS (
           INSERT INTO exam_questions (owner_unit_id, kind, stem, options, answer, points, explanation, topic, difficulty, tags,
                                       created_by, created_at, updated_at)
           SELECT $2, r.kind, r.stem, r.options, r.answer, r.points, r.explanation, r.topic, r.difficulty,
                  ARRAY(SELECT jsonb_array_elements_text(r.tags)), $3, now() + r.ord * interval '1 microsecond', now()
             FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (kind text, stem text, options jsonb, answer jsonb, points numeric,
                                                               explanation text, topic text, difficulty smallint, tags jsonb))
                  WITH ORDINALITY AS r(kind, stem, options, answer, points, explanation, topic, difficulty, tags, ord)
           RETURNING id, created_at)
         SELECT id FROM added ORDER BY created_at`,
        [JSON.stringify(questions), batch.owner_unit_id, principal.userId],
      );
      await tx.query(`UPDATE exam_question_imports SET confirmed_at = now() WHERE id = $1`, [id]);
      return { created: created.length, rejected: batch.reject_count, questionIds: created.map((r) => r.id) };
    });
  }
}
