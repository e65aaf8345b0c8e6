import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ACCOUNT_CHECK, isWithinScope, type Principal } from '#auth';
import type { DestinationView, TransferHistory, TransferStatus, TransferView, UnitPeriodView } from '#contracts';
import type { ActiveAccounts } from '../accounts/active-accounts.js';
import { ScopeService } from '../org/scope.service.js';
import { endSessionsExcludedForMember } from '../playback/playback-sessions.js';
import { STUDY_OPTIONS, type StudyOptions } from '../study/study-options.js';
import type {
  AcceptTransferInput,
  CreateTransferInput,
  DestinationsQuery,
  ListTransfersQuery,
  RejectTransferInput,
} from './transfer.schemas.js';

interface TransferRow {
  id: string;
  user_id: string;
  user_name: string;
  user_login: string;
  from_unit_id: string;
  from_name: string;
  from_path: string;
  to_unit_id: string;
  to_name: string;
  to_path: string;
  effective_on: string;
  reason: string;
  status: TransferStatus;
  requested_by_name: string | null;
  requested_at: Date;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_note: string;
}

const TRANSFER_SELECT = `
  SELECT t.id, t.user_id, u.name AS user_name, u.login AS user_login,
         t.from_unit_id, fo.name AS from_name, fo.path AS from_path,
         t.to_unit_id, tu.name AS to_name, tu.path AS to_path,
         to_char(t.effective_on, 'YYYY-MM-DD') AS effective_on, t.reason, t.status,
         rb.name AS requested_by_name, t.requested_at, db.name AS decided_by_name, t.decided_at, t.decision_note
    FROM member_transfers t
    JOIN users u ON u.id = t.user_id
    JOIN org_units fo ON fo.id = t.from_unit_id
    JOIN org_units tu ON tu.id = t.to_unit_id
    LEFT JOIN users rb ON rb.id = t.requested_by
    LEFT JOIN users db ON db.id = t.decided_by`;

const within = (column: string, param: string) => `(${column} = ${param} OR ${column} LIKE ${param} || '/%')`;
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Moves of members between units. Inside an admin's own subtree a move takes effect at once; to a unit
 * outside it (another branch) it is a request that the receiving side accepts or rejects, and the
 * sending side may cancel while it waits. A move is dated: the member's unit periods change on that
 * day, so reports for a period attribute each day's study to the unit of that day.
 */
@Injectable()
export class TransfersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    @Inject(ACCOUNT_CHECK) private readonly accounts: ActiveAccounts,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {}

  /** Today on the platform's study calendar (YYYY-MM-DD): the day study is counted in. */
  today(now = new Date()): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: this.options.timeZone }).format(now);
  }

  async create(principal: Principal, input: CreateTransferInput): Promise<TransferView> {
    const root = await this.scope.rootOf(principal);
    if (input.effectiveOn > this.today()) {
      throw new BadRequestException('The transfer date is in the future. Record the transfer on or after the day it takes effect.');
    }
    const id = await this.db.transaction(async (tx) => {
      const [member]: Array<{ id: string; role: string; org_unit_id: string; path: string; since: string | null }> = await tx.query(
        `SELECT u.id, u.role, u.org_unit_id, o.path,
                (SELECT to_char(p.from_day, 'YYYY-MM-DD') FROM member_unit_periods p WHERE p.user_id = u.id AND p.to_day IS NULL) AS since
           FROM users u JOIN org_units o ON o.id = u.org_unit_id
          WHERE u.id = $1 FOR UPDATE OF u`,
        [input.userId],
      );
      if (!member || !isWithinScope(member.path, root.path)) throw new NotFoundException('No such person in your organisation.');
      if (member.role !== 'member') {
        throw new BadRequestException(
          'Only members are transferred. A committee administrator changes the unit of staff accounts on their page.',
        );
      }
      const [target]: Array<{ id: string; path: string }> = await tx.query(`SELECT id, path FROM org_units WHERE id = $1`, [
        input.toUnitId,
      ]);
      if (!target) throw new NotFoundException('No such unit. Choose the destination from the list.');
      if (target.id === member.org_unit_id)
        throw new BadRequestException('The member is already in that unit. Choose another destination.');
      if (member.since && input.effectiveOn < member.since) {
        throw new BadRequestException(
          `The member has been in their present unit since ${member.since}. Date the transfer on or after that day.`,
        );
      }
      const [waiting] = await tx.query(`SELECT 1 FROM member_transfers WHERE user_id = $1 AND status = 'pending'`, [member.id]);
      if (waiting) throw pendingConflict();
      const immediate = isWithinScope(target.path, root.path);
      let row: Array<{ id: string }>;
      try {
        row = await tx.query(
          `INSERT INTO member_transfers (user_id, from_unit_id, to_unit_id, effective_on, reason, status, requested_by, decided_by, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $6 = 'done' THEN $7::uuid END, CASE WHEN $6 = 'done' THEN now() END)
           RETURNING id`,
          [member.id, member.org_unit_id, target.id, input.effectiveOn, input.reason, immediate ? 'done' : 'pending', principal.userId],
        );
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw pendingConflict();
        throw error;
      }
      if (immediate) await this.move(tx, member.id, target.id, input.effectiveOn);
      return row[0]!.id;
    });
    this.accounts.forget(input.userId);
    return this.get(principal, id);
  }

  async accept(principal: Principal, id: string, input: AcceptTransferInput): Promise<TransferView> {
    const root = await this.scope.rootOf(principal);
    const userId = await this.db.transaction(async (tx) => {
      const transfer = await this.lockPending(tx, id, root.path, 'receiving');
      const [member]: Array<{ org_unit_id: string; since: string | null }> = await tx.query(
        `SELECT u.org_unit_id,
                (SELECT to_char(p.from_day, 'YYYY-MM-DD') FROM member_unit_periods p WHERE p.user_id = u.id AND p.to_day IS NULL) AS since
           FROM users u WHERE u.id = $1 FOR UPDATE`,
        [transfer.user_id],
      );
      if (!member || member.org_unit_id !== transfer.from_unit_id || (member.since && transfer.effective_on < member.since)) {
        throw new ConflictException(
          'The member has moved to another unit since this transfer was requested. Reject it, and ask the sending side to request it again.',
        );
      }
      await this.decide(tx, id, 'done', principal.userId, input.note);
      await this.move(tx, transfer.user_id, transfer.to_unit_id, transfer.effective_on);
      return transfer.user_id;
    });
    this.accounts.forget(userId);
    return this.get(principal, id);
  }

  async reject(principal: Principal, id: string, input: RejectTransferInput): Promise<TransferView> {
    const root = await this.scope.rootOf(principal);
    await this.db.transaction(async (tx) => {
      await this.lockPending(tx, id, root.path, 'receiving');
      await this.decide(tx, id, 'rejected', principal.userId, input.note);
    });
    return this.get(principal, id);
  }

  async cancel(principal: Principal, id: string): Promise<TransferView> {
    const root = await this.scope.rootOf(principal);
    await this.db.transaction(async (tx) => {
      await this.lockPending(tx, id, root.path, 'sending');
      await this.decide(tx, id, 'cancelled', principal.userId, '');
    });
    return this.get(principal, id);
  }

  /** One transfer the caller's subtree sent or receives; 404 otherwise. */
  async get(principal: Principal, id: string): Promise<TransferView> {
    const root = await this.scope.rootOf(principal);
    const [row]: TransferRow[] = await this.db.query(
      `${TRANSFER_SELECT} WHERE t.id = $1 AND (${within('fo.path', '$2')} OR ${within('tu.path', '$2')})`,
      [id, root.path],
    );
    if (!row) throw new NotFoundException('No such transfer in your organisation.');
    return toView(row, root.path);
  }

  /**
   * Transfers seen from the caller's subtree. Incoming: into it from outside; outgoing: of members who
   * were in it (to anywhere, including moves inside it); all: both. Newest first, pending ones on top.
   */
  async list(principal: Principal, query: ListTransfersQuery): Promise<{ items: TransferView[]; total: number }> {
    const root = await this.scope.rootOf(principal);
    const incoming = `(${within('tu.path', '$1')} AND NOT ${within('fo.path', '$1')})`;
    const outgoing = within('fo.path', '$1');
    const where = [query.direction === 'incoming' ? incoming : query.direction === 'outgoing' ? outgoing : `(${incoming} OR ${outgoing})`];
    const params: unknown[] = [root.path];
    if (query.status === 'decided') where.push(`t.status <> 'pending'`);
    else if (query.status) {
      params.push(query.status);
      where.push(`t.status = $${params.length}`);
    }
    const clause = where.join(' AND ');
    const [rows, [{ total }]]: [TransferRow[], Array<{ total: number }>] = await Promise.all([
      this.db.query(
        `${TRANSFER_SELECT} WHERE ${clause}
          ORDER BY (t.status = 'pending') DESC, coalesce(t.decided_at, t.requested_at) DESC, t.id
          LIMIT ${query.limit} OFFSET ${query.offset}`,
        params,
      ),
      this.db.query(
        `SELECT count(*)::int AS total FROM member_transfers t
           JOIN org_units fo ON fo.id = t.from_unit_id JOIN org_units tu ON tu.id = t.to_unit_id
          WHERE ${clause}`,
        params,
      ),
    ]);
    return { items: rows.map((r) => toView(r, root.path)), total };
  }

  /**
   * A member's transfers and the units they belonged to, by period: for a member of the caller's subtree,
   * or one a pending transfer would bring into it (so the receiving side knows whom it accepts).
   */
  async history(principal: Principal, userId: string): Promise<TransferHistory> {
    const root = await this.scope.rootOf(principal);
    const [member]: Array<{
      id: string;
      name: string;
      login: string;
      role: string;
      unit_id: string;
      unit_name: string;
      unit_path: string;
    }> = await this.db.query(
      `SELECT u.id, u.name, u.login, u.role, o.id AS unit_id, o.name AS unit_name, o.path AS unit_path
           FROM users u JOIN org_units o ON o.id = u.org_unit_id
          WHERE u.id = $1
            AND (${within('o.path', '$2')}
                 OR EXISTS (SELECT 1 FROM member_transfers t JOIN org_units tu ON tu.id = t.to_unit_id
                             WHERE t.user_id = u.id AND t.status = 'pending' AND ${within('tu.path', '$2')}))`,
      [userId, root.path],
    );
    if (!member) throw new NotFoundException('No such person in your organisation.');
    const [transfers, periods]: [
      TransferRow[],
      Array<{ id: string; name: string; path: string; from_day: string; to_day: string | null }>,
    ] = await Promise.all([
      this.db.query(`${TRANSFER_SELECT} WHERE t.user_id = $1 ORDER BY t.requested_at DESC, t.id`, [userId]),
      this.db.query(
        `SELECT o.id, o.name, o.path, to_char(p.from_day, 'YYYY-MM-DD') AS from_day, to_char(p.to_day, 'YYYY-MM-DD') AS to_day
             FROM member_unit_periods p JOIN org_units o ON o.id = p.org_unit_id
            WHERE p.user_id = $1 ORDER BY p.from_day DESC`,
        [userId],
      ),
    ]);
    return {
      member: {
        id: member.id,
        name: member.name,
        login: member.login,
        role: member.role,
        unit: { id: member.unit_id, name: member.unit_name, path: member.unit_path },
        inScope: isWithinScope(member.unit_path, root.path),
        since: periods.find((p) => p.to_day === null)?.from_day ?? null,
      },
      today: this.today(),
      transfers: transfers.map((r) => toView(r, root.path)),
      periods: periods.map((p): UnitPeriodView => ({
        unit: { id: p.id, name: p.name, path: p.path },
        fromDay: p.from_day,
        toDay: p.to_day,
      })),
    };
  }

  /**
   * The organisation's directory of units, by name or path: enough to address a transfer to another
   * branch, and nothing about who is in them. At most 30, in tree order.
   */
  async destinations(principal: Principal, query: DestinationsQuery): Promise<{ items: DestinationView[] }> {
    const root = await this.scope.rootOf(principal);
    const params: unknown[] = [root.path];
    const where: string[] = [];
    if (query.scope === 'inside') where.push(within('o.path', '$1'));
    if (query.q) {
      params.push(`%${likeEscape(query.q)}%`);
      where.push(`(o.name ILIKE $2 OR o.path ILIKE $2)`);
    }
    const rows: Array<{ id: string; name: string; kind: string; path: string; trail: string; in_scope: boolean }> = await this.db.query(
      `SELECT o.id, o.name, o.kind, o.path, ${within('o.path', '$1')} AS in_scope,
              (SELECT string_agg(a.name, ' / ' ORDER BY a.depth) FROM org_units a WHERE ${within('o.path', 'a.path')}) AS trail
         FROM org_units o
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY o.path LIMIT 30`,
      params,
    );
    return { items: rows.map(({ in_scope, ...unit }) => ({ ...unit, inScope: in_scope })) };
  }

  /**
   * Locks a pending transfer for a decision. The receiving side (its destination in the caller's subtree)
   * accepts or rejects; the sending side (its source there) cancels. Anyone else: 404.
   */
  private async lockPending(tx: EntityManager, id: string, rootPath: string, side: 'receiving' | 'sending') {
    const [row]: Array<{
      user_id: string;
      from_unit_id: string;
      to_unit_id: string;
      effective_on: string;
      status: TransferStatus;
      from_path: string;
      to_path: string;
    }> = await tx.query(
      `SELECT t.user_id, t.from_unit_id, t.to_unit_id, to_char(t.effective_on, 'YYYY-MM-DD') AS effective_on, t.status,
              fo.path AS from_path, tu.path AS to_path
         FROM member_transfers t JOIN org_units fo ON fo.id = t.from_unit_id JOIN org_units tu ON tu.id = t.to_unit_id
        WHERE t.id = $1 FOR UPDATE OF t`,
      [id],
    );
    const sending = row !== undefined && isWithinScope(row.from_path, rootPath);
    const receiving = row !== undefined && isWithinScope(row.to_path, rootPath);
    if (!row || (!sending && !receiving)) throw new NotFoundException('No such transfer in your organisation.');
    if (row.status !== 'pending') throw new ConflictException(`This transfer is no longer waiting: it is ${row.status}. Reload the list.`);
    if (side === 'receiving' && !receiving) {
      throw new ForbiddenException(
        "Only the receiving unit's administrators accept or reject a transfer. You can cancel it while it waits.",
      );
    }
    if (side === 'sending' && !sending) {
      throw new ForbiddenException("Only the sending unit's administrators cancel a transfer. Accept or reject it instead.");
    }
    return row;
  }

  private async decide(tx: EntityManager, id: string, status: TransferStatus, by: string, note: string): Promise<void> {
    await tx.query(`UPDATE member_transfers SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4 WHERE id = $1`, [
      id,
      status,
      by,
      note,
    ]);
  }

  /**
   * Moves the member on `day`: the unit-period trigger closes the open period and opens the next on the
   * day in `lectern.unit_change_day` (transaction-local). Their live playback ends if the new unit cannot
   * see its lecture.
   */
  private async move(tx: EntityManager, userId: string, unitId: string, day: string): Promise<void> {
    await tx.query(`SELECT set_config('lectern.unit_change_day', $1, true)`, [day]);
    await tx.query(`UPDATE users SET org_unit_id = $2, updated_at = now() WHERE id = $1`, [userId, unitId]);
    await endSessionsExcludedForMember(tx, userId);
  }
}

const pendingConflict = () =>
  new ConflictException('This member already has a transfer waiting for a decision. Wait for it, or cancel it first.');

function toView(row: TransferRow, rootPath: string): TransferView {
  const pending = row.status === 'pending';
  const receiving = isWithinScope(row.to_path, rootPath);
  const sending = isWithinScope(row.from_path, rootPath);
  return {
    id: row.id,
    member: { id: row.user_id, name: row.user_name, login: row.user_login },
    from: { id: row.from_unit_id, name: row.from_name, path: row.from_path },
    to: { id: row.to_unit_id, name: row.to_name, path: row.to_path },
    effectiveOn: row.effective_on,
    reason: row.reason,
    status: row.status,
    requestedBy: row.requested_by_name,
    requestedAt: new Date(row.requested_at).toISOString(),
    decidedBy: row.decided_by_name,
    decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
    decisionNote: row.decision_note,
    mayAccept: pending && receiving,
    mayReject: pending && receiving,
    mayCancel: pending && sending,
  };
}
