import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import type {
  EnrolmentView,
  EnrolResult,
  FilterEnrolResult,
  MemberClassView,
  RosterRejection,
  RosterResult,
  TrainingClassView,
} from '#contracts';
import { User } from '../accounts/user.entity.js';
import { applyMemberFilter } from '../members/member-filter.js';
import { ScopeService } from '../org/scope.service.js';
import { parseRosterCsv, RosterFileError, type RosterRow } from './class-roster-csv.js';
import type {
  CreateClassInput,
  EnrolByFilterInput,
  EnrolInput,
  ListClassesQuery,
  ListEnrolmentsQuery,
  UpdateClassInput,
} from './training-classes.schemas.js';

interface ClassRow {
  id: string;
  ownerPath: string;
  ownerName: string;
  archived: boolean;
}

const CLASS_COLUMNS = `
  c.id, c.name, c.description, json_build_object('id', o.id, 'name', o.name, 'path', o.path) AS "ownerUnit",
  to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn",
  c.archived_at AS "archivedAt", c.created_at AS "createdAt",
  (SELECT count(*)::int FROM training_class_members m WHERE m.class_id = c.id AND m.withdrawn_at IS NULL) AS "enrolledCount",
  (SELECT count(*)::int FROM training_class_members m WHERE m.class_id = c.id AND m.withdrawn_at IS NOT NULL) AS "withdrawnCount"`;

const within = (column: string, param: string) => `(${column} = ${param} OR ${column} LIKE ${param} || '/%')`;

/**
 * Training classes run by a unit, and who is enrolled in them. A class takes people of its own unit's
 * subtree, and an admin reaches only classes and people of their subtree. Enrolments are withdrawn,
 * never deleted; enrolling someone withdrawn enrols them again.
 */
@Injectable()
export class TrainingClassesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async list(principal: Principal, query: ListClassesQuery): Promise<{ items: TrainingClassView[]; total: number }> {
    const root = await this.scope.rootOf(principal);
    const where = [within('o.path', '$1')];
    const params: unknown[] = [root.path];
    if (!query.includeArchived) where.push('c.archived_at IS NULL');
    if (query.q) {
      params.push(`%${query.q.replace(/[\\%_]/g, '\\$&')}%`);
      where.push(`c.name ILIKE $${params.length}`);
    }
    const from = `FROM training_classes c JOIN org_units o ON o.id = c.owner_unit_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total ${from}`, params);
    const items = await this.db.query(
      `SELECT ${CLASS_COLUMNS} ${from}
        ORDER BY c.archived_at IS NOT NULL, c.starts_on DESC, c.name, c.id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { items, total };
  }

  async get(principal: Principal, id: string): Promise<TrainingClassView> {
    const root = await this.scope.rootOf(principal);
    const [found] = await this.db.query(
      `SELECT ${CLASS_COLUMNS} FROM training_classes c JOIN org_units o ON o.id = c.owner_unit_id WHERE c.id = $1 AND ${within('o.path', '$2')}`,
      [id, root.path],
    );
    if (!found) throw new NotFoundException('No such training class in your organisation.');
    return found;
  }

  async create(principal: Principal, input: CreateClassInput): Promise<TrainingClassView> {
    const owner = input.ownerUnitId ? await this.scope.unitInScope(principal, input.ownerUnitId) : await this.scope.rootOf(principal);
    const [{ id }] = await this.db.query(
      `INSERT INTO training_classes (name, description, owner_unit_id, starts_on, ends_on, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [input.name, input.description, owner.id, input.startsOn, input.endsOn, principal.userId],
    );
    return this.get(principal, id);
  }

  async update(principal: Principal, id: string, input: UpdateClassInput): Promise<TrainingClassView> {
    const current = await this.get(principal, id);
    this.assertOpen(current);
    const startsOn = input.startsOn ?? current.startsOn;
    const endsOn = input.endsOn ?? current.endsOn;
    if (endsOn < startsOn) throw new BadRequestException(`The end date must be on or after the start date, ${startsOn}.`);
    const owner = input.ownerUnitId ? await this.scope.unitInScope(principal, input.ownerUnitId) : null;
    await this.db.query(
      `UPDATE training_classes
          SET name = $2, description = $3, owner_unit_id = $4, starts_on = $5, ends_on = $6, updated_at = now()
        WHERE id = $1`,
      [id, input.name ?? current.name, input.description ?? current.description, owner?.id ?? current.ownerUnit.id, startsOn, endsOn],
    );
    return this.get(principal, id);
  }

  async archive(principal: Principal, id: string): Promise<TrainingClassView> {
    const current = await this.get(principal, id);
    this.assertOpen(current);
    await this.db.query(`UPDATE training_classes SET archived_at = now(), updated_at = now() WHERE id = $1 AND archived_at IS NULL`, [id]);
    return this.get(principal, id);
  }

  async members(principal: Principal, id: string, query: ListEnrolmentsQuery): Promise<{ items: EnrolmentView[]; total: number }> {
    await this.get(principal, id);
    const status =
      query.status === 'current' ? 'AND m.withdrawn_at IS NULL' : query.status === 'withdrawn' ? 'AND m.withdrawn_at IS NOT NULL' : '';
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM training_class_members m WHERE m.class_id = $1 ${status}`, [
      id,
    ]);
    const items = await this.db.query(
      `SELECT u.id AS "userId", u.login, u.name, u.active,
              json_build_object('id', o.id, 'name', o.name, 'path', o.path) AS "orgUnit",
              m.enrolled_at AS "enrolledAt",
              CASE WHEN b.id IS NULL THEN NULL ELSE json_build_object('id', b.id, 'name', b.name) END AS "enrolledBy",
              m.withdrawn_at AS "withdrawnAt"
         FROM training_class_members m
         JOIN users u ON u.id = m.user_id
         JOIN org_units o ON o.id = u.org_unit_id
         LEFT JOIN users b ON b.id = m.enrolled_by
        WHERE m.class_id = $1 ${status}
        ORDER BY m.withdrawn_at IS NOT NULL, o.path, u.name, u.login
        LIMIT $2 OFFSET $3`,
      [id, query.limit, query.offset],
    );
    return { items, total };
  }

  /** Enrols the people named; every one must be in the caller's subtree and the class's unit. */
  async enrol(principal: Principal, id: string, input: EnrolInput): Promise<EnrolResult> {
    const target = await this.openClass(principal, id);
    const root = await this.scope.rootOf(principal);
    const ids = [...new Set(input.userIds)];
    const people: Array<{ id: string; name: string; path: string }> = await this.db.query(
      `SELECT u.id, u.name, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = ANY($1::uuid[])`,
      [ids],
    );
    const found = new Map(people.map((p) => [p.id, p]));
    const missing = ids.filter((userId) => !found.has(userId) || !isWithinScope(found.get(userId)!.path, root.path));
    if (missing.length > 0) {
      throw new NotFoundException(
        missing.length === 1
          ? 'One of these people is not in your organisation. Choose people from your own units.'
          : `${missing.length} of these people are not in your organisation. Choose people from your own units.`,
      );
    }
    const outside = people.filter((p) => !isWithinScope(p.path, target.ownerPath));
    if (outside.length > 0) {
      throw new BadRequestException(
        `${outside.map((p) => p.name).join(', ')} ${outside.length === 1 ? 'is' : 'are'} not in ${target.ownerName}, which runs this class. ` +
          'Only people of its units can be enrolled.',
      );
    }
    return this.enrolIds(id, ids, principal.userId);
  }

  /** Enrols everyone the member list's filter matches in the class's units, in one statement. */
  async enrolByFilter(principal: Principal, id: string, input: EnrolByFilterInput): Promise<FilterEnrolResult> {
    const target = await this.openClass(principal, id);
    let path = target.ownerPath;
    if (input.unitId) {
      const unit = await this.scope.unitInScope(principal, input.unitId);
      if (!isWithinScope(unit.path, target.ownerPath)) {
        throw new BadRequestException(`${unit.name} is not part of ${target.ownerName}, which runs this class. Choose one of its units.`);
      }
      path = unit.path;
    }
    const qb = this.db.getRepository(User).createQueryBuilder('user').select('user.id', 'id').innerJoin('user.orgUnit', 'unit');
    ScopeService.whereWithin(qb, 'unit.path', path);
    applyMemberFilter(qb, input);
    const [matchSql, matchParams] = qb.getQueryAndParameters();
    const classParam = matchParams.length + 1;
    if (input.preview) {
      const [counts] = await this.db.query(
        `WITH matched AS (${matchSql})
         SELECT (SELECT count(*)::int FROM matched) AS matched,
                (SELECT count(*)::int FROM matched x JOIN training_class_members m
                   ON m.user_id = x.id AND m.class_id = $${classParam} AND m.withdrawn_at IS NULL) AS "alreadyIn"`,
        [...matchParams, id],
      );
      return { matched: counts.matched, alreadyIn: counts.alreadyIn, enrolled: counts.matched - counts.alreadyIn };
    }
    const [counts] = await this.db.query(
      `WITH matched AS (${matchSql}),
            added AS (
              INSERT INTO training_class_members (class_id, user_id, enrolled_by)
              SELECT $${classParam}, id, $${classParam + 1} FROM matched
              ON CONFLICT (class_id, user_id) DO UPDATE
                SET withdrawn_at = NULL, enrolled_at = now(), enrolled_by = EXCLUDED.enrolled_by
                WHERE training_class_members.withdrawn_at IS NOT NULL
              RETURNING 1)
       SELECT (SELECT count(*)::int FROM matched) AS matched, (SELECT count(*)::int FROM added) AS enrolled`,
      [...matchParams, id, principal.userId],
    );
    return { matched: counts.matched, enrolled: counts.enrolled, alreadyIn: counts.matched - counts.enrolled };
  }

  /** Enrols the logins of an uploaded list; each row that cannot be enrolled says why. */
  async importRoster(principal: Principal, id: string, data: Buffer): Promise<RosterResult> {
    const target = await this.openClass(principal, id);
    let rows: RosterRow[];
    try {
      rows = parseRosterCsv(data);
    } catch (error) {
      if (error instanceof RosterFileError) throw new BadRequestException(error.message);
      throw error;
    }
    const root = await this.scope.rootOf(principal);
    const people: Array<{ id: string; login: string; path: string }> = await this.db.query(
      `SELECT u.id, u.login, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = ANY($1::text[])`,
      [[...new Set(rows.map((r) => r.login.toLowerCase()).filter(Boolean))]],
    );
    const byLogin = new Map(people.map((p) => [p.login, p]));
    const seen = new Map<string, number>();
    const rejected: RosterResult['rejected'] = [];
    const ids: string[] = [];
    for (const { row, login } of rows) {
      const key = login.toLowerCase();
      const person = byLogin.get(key);
      const reject = (code: RosterRejection, reason: string) => rejected.push({ row, login, code, reason });
      if (!login) reject('no-login', 'the row has no login');
      else if (seen.has(key)) reject('repeated', `login "${login}" already appears on row ${seen.get(key)}`);
      else if (!person || !isWithinScope(person.path, root.path))
        reject('unknown', `no one with the login "${login}" in your organisation`);
      else if (!isWithinScope(person.path, target.ownerPath)) {
        reject('outside-class', `"${login}" is not in ${target.ownerName}, which runs this class`);
      } else ids.push(person.id);
      if (login && !seen.has(key)) seen.set(key, row);
    }
    const result = ids.length > 0 ? await this.enrolIds(id, ids, principal.userId) : { enrolled: 0, alreadyIn: 0 };
    return { ...result, rejected };
  }

  async withdraw(principal: Principal, id: string, userId: string): Promise<EnrolmentView> {
    await this.openClass(principal, id);
    const [enrolment] = await this.db.query(`SELECT withdrawn_at FROM training_class_members WHERE class_id = $1 AND user_id = $2`, [
      id,
      userId,
    ]);
    if (!enrolment) throw new NotFoundException('This person is not enrolled in this class.');
    if (enrolment.withdrawn_at) throw new ConflictException('This person has already been withdrawn from this class.');
    await this.db.query(
      `UPDATE training_class_members SET withdrawn_at = now() WHERE class_id = $1 AND user_id = $2 AND withdrawn_at IS NULL`,
      [id, userId],
    );
    const [view] = await this.db.query(
      `SELECT u.id AS "userId", u.login, u.name, u.active, json_build_object('id', o.id, 'name', o.name, 'path', o.path) AS "orgUnit",
              m.enrolled_at AS "enrolledAt", NULL AS "enrolledBy", m.withdrawn_at AS "withdrawnAt"
         FROM training_class_members m JOIN users u ON u.id = m.user_id JOIN org_units o ON o.id = u.org_unit_id
        WHERE m.class_id = $1 AND m.user_id = $2`,
      [id, userId],
    );
    return view;
  }

  /** The classes a member of the caller's subtree is or was enrolled in, among the classes the caller sees. */
  async forMember(principal: Principal, userId: string): Promise<MemberClassView[]> {
    const root = await this.scope.rootOf(principal);
    const [member] = await this.db.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`, [userId]);
    if (!member || !isWithinScope(member.path, root.path)) throw new NotFoundException('No such person in your organisation.');
    return this.db.query(
      `SELECT c.id AS "classId", c.name, json_build_object('id', o.id, 'name', o.name, 'path', o.path) AS "ownerUnit",
              to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn",
              c.archived_at AS "archivedAt", m.enrolled_at AS "enrolledAt", m.withdrawn_at AS "withdrawnAt"
         FROM training_class_members m
         JOIN training_classes c ON c.id = m.class_id
         JOIN org_units o ON o.id = c.owner_unit_id
        WHERE m.user_id = $1 AND ${within('o.path', '$2')}
        ORDER BY m.withdrawn_at IS NOT NULL, c.starts_on DESC, c.name`,
      [userId, root.path],
    );
  }

  private async enrolIds(classId: string, ids: string[], by: string): Promise<EnrolResult> {
    const [{ enrolled }] = await this.db.query(
      `WITH added AS (
         INSERT INTO training_class_members (class_id, user_id, enrolled_by)
         SELECT $1, unnest($2::uuid[]), $3
         ON CONFLICT (class_id, user_id) DO UPDATE
           SET withdrawn_at = NULL, enrolled_at = now(), enrolled_by = EXCLUDED.enrolled_by
           WHERE training_class_members.withdrawn_at IS NOT NULL
         RETURNING 1)
       SELECT count(*)::int AS enrolled FROM added`,
      [classId, ids, by],
    );
    return { enrolled, alreadyIn: ids.length - enrolled };
  }

  /** A class of the caller's subtree that is not archived: archived classes keep their enrolments as they were. */
  private async openClass(principal: Principal, id: string): Promise<ClassRow> {
    const found = await this.get(principal, id);
    this.assertOpen(found);
    return { id: found.id, ownerPath: found.ownerUnit.path, ownerName: found.ownerUnit.name, archived: false };
  }

  private assertOpen(found: TrainingClassView): void {
    if (found.archivedAt) throw new ConflictException('This class is archived, so it no longer changes. Create a new class instead.');
  }
}
