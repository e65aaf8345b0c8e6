import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { AttemptAudit, AttemptSummary, ExtraAttemptView } from '#contracts';
import { ScopeService } from '../../org/scope.service.js';
import type { ListAttemptsQuery } from './taking.schemas.js';

const within = (column: string, param: string) => `(${column} = ${param} OR ${column} LIKE ${param} || '/%')`;

const SUMMARY = `
  a.id AS "attemptId", a.exam_id AS "examId",
  json_build_object('id', u.id, 'name', u.name, 'login', u.login, 'unitName', o.name) AS member,
  a.number, a.status, a.started_at AS "startedAt", a.submitted_at AS "submittedAt", a.submit_reason AS "submitReason",
  a.score::float8 AS score, a.max_score::float8 AS "maxScore", a.passed, a.void_reason AS "voidReason"
  FROM exam_attempts a JOIN users u ON u.id = a.user_id JOIN org_units o ON o.id = u.org_unit_id`;

const EXTRA = `
  x.id, x.exam_id AS "examId", x.user_id AS "userId", json_build_object('id', g.id, 'name', g.name) AS "grantedBy",
  x.reason, x.granted_at AS "grantedAt"
  FROM exam_extra_attempts x JOIN users g ON g.id = x.granted_by`;

/** A page position: the last row's start and id, so paging holds while attempts are added. */
const encodeCursor = (startedAt: string | Date, id: string) =>
  Buffer.from(JSON.stringify([new Date(startedAt).toISOString(), id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return [at, id];
  } catch {
    throw new BadRequestException('This page position is not valid. Reload the list from its first page.');
  }
}

/**
 * An exam's integrity, for the admins of the members' subtree: the attempts, an attempt's audit trail with
 * who did what, voiding an attempt with a reason (it then counts neither toward the attempts used nor toward
 * results) and granting a member an extra attempt with a reason. Nothing is deleted.
 */
@Injectable()
export class IntegrityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  private async examExists(examId: string) {
    const [exam] = await this.db.query(`SELECT id FROM exams WHERE id = $1`, [examId]);
    if (!exam) throw new NotFoundException('No such exam.');
  }

  async attempts(
    principal: Principal,
    examId: string,
    query: ListAttemptsQuery,
  ): Promise<{ items: AttemptSummary[]; nextCursor: string | null }> {
    await this.examExists(examId);
    const unit = query.unitId ? await this.scope.unitInScope(principal, query.unitId) : await this.scope.rootOf(principal);
    const where = ['a.exam_id = $1', within('o.path', '$2')];
    const params: unknown[] = [examId, unit.path];
    if (query.status) {
      params.push(query.status);
      where.push(`a.status = $${params.length}`);
    }
    if (query.userId) {
      params.push(query.userId);
      where.push(`a.user_id = $${params.length}`);
    }
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      params.push(at, id);
      where.push(`(a.started_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows: AttemptSummary[] = await this.db.query(
      `SELECT ${SUMMARY} WHERE ${where.join(' AND ')} ORDER BY a.started_at DESC, a.id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.startedAt, last.attemptId) : null };
  }

  /** The attempt if its member lies in the caller's subtree; otherwise 404. */
  private async summary(principal: Principal, attemptId: string): Promise<AttemptSummary> {
    const root = await this.scope.rootOf(principal);
    const [found]: AttemptSummary[] = await this.db.query(`SELECT ${SUMMARY} WHERE a.id = $1 AND ${within('o.path', '$2')}`, [
      attemptId,
      root.path,
    ]);
    if (!found) throw new NotFoundException('No such attempt of a member in your organisation.');
    return found;
  }

  async audit(principal: Principal, attemptId: string): Promise<AttemptAudit> {
    const attempt = await this.summary(principal, attemptId);
    const [events, extraAttempts] = await Promise.all([
      this.db.query(
        `SELECT ev.at, ev.kind, CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name) END AS actor, ev.detail
           FROM exam_attempt_events ev LEFT JOIN users u ON u.id = ev.actor_id
          WHERE ev.attempt_id = $1 ORDER BY ev.id`,
        [attemptId],
      ),
      this.db.query(`SELECT ${EXTRA} WHERE x.exam_id = $1 AND x.user_id = $2 ORDER BY x.granted_at, x.id`, [
        attempt.examId,
        attempt.member.id,
      ]),
    ]);
    return { attempt, events, extraAttempts };
  }

  async void(principal: Principal, attemptId: string, reason: string): Promise<AttemptSummary> {
    await this.summary(principal, attemptId);
    await this.db.transaction(async (m) => {
      const [row]: Array<{ status: string }> = await m.query(`SELECT status FROM exam_attempts WHERE id = $1 FOR UPDATE`, [attemptId]);
      if (row!.status === 'voided') throw new ConflictException('This attempt is already voided.');
      await m.query(`UPDATE exam_attempts SET status = 'voided', voided_at = now(), voided_by = $2, void_reason = $3 WHERE id = $1`, [
        attemptId,
        principal.userId,
        reason,
      ]);
      await m.query(`INSERT INTO exam_attempt_events (attempt_id, kind, actor_id, detail) VALUES ($1, 'voided', $2, $3)`, [
        attemptId,
        principal.userId,
        { reason, previousStatus: row!.status },
      ]);
    });
    return this.summary(principal, attemptId);
  }

  async grantExtra(principal: Principal, examId: string, userId: string, reason: string): Promise<ExtraAttemptView> {
    await this.examExists(examId);
    const root = await this.scope.rootOf(principal);
    const [member] = await this.db.query(
      `SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1 AND ${within('o.path', '$2')}`,
      [userId, root.path],
    );
    if (!member) throw new NotFoundException('No such member in your organisation.');
    const [{ id }] = await this.db.query(
      `INSERT INTO exam_extra_attempts (exam_id, user_id, granted_by, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
      [examId, userId, principal.userId, reason],
    );
    const [view] = await this.db.query(`SELECT ${EXTRA} WHERE x.id = $1`, [id]);
    return view;
  }
}
