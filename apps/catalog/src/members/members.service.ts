import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { ACCOUNT_CHECK, isWithinScope, type Principal, type Role } from '#auth';
import type { MemberListItem } from '#contracts';
import type { ActiveAccounts } from '../accounts/active-accounts.js';
import { hashPassword } from '../accounts/passwords.js';
import { mayAddSharedCategory, mayManageAccount, type Caller } from '../courses/access-rules.js';
import { User } from '../accounts/user.entity.js';
import type { UserView } from '../accounts/user.view.js';
import { endLiveSession } from '../playback/playback-sessions.js';
import { ScopeService } from '../org/scope.service.js';
import { MemberCategory } from './member-category.entity.js';
import { applyMemberFilter } from './member-filter.js';
import { oneTimePassword } from './one-time-password.js';
import type { CreateCategoryInput, CreateMemberInput, ListMembersQuery, MemberSort, UpdateMemberInput } from './member.schemas.js';

interface MemberRow {
  id: string;
  login: string;
  name: string;
  role: Role;
  category: string | null;
  active: boolean;
  must_change_password: boolean;
  created_at: Date;
  unit_id: string;
  unit_name: string;
  unit_path: string;
  unit_names: string[] | null;
  positions: string[];
}

const toMemberListItem = (row: MemberRow): MemberListItem => ({
  id: row.id,
  login: row.login,
  name: row.name,
  role: row.role,
  category: row.category,
  active: row.active,
  mustChangePassword: row.must_change_password,
  createdAt: new Date(row.created_at).toISOString(),
  orgUnit: { id: row.unit_id, name: row.unit_name, path: row.unit_path },
  unitNames: row.unit_names ?? [row.unit_name],
  positions: row.positions,
});

/** ORDER BY for a sort on the list's columns (`alias.` prefixed), ending with the id so pages never overlap. */
export function memberOrder(sort: MemberSort, direction: 'asc' | 'desc') {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  const keys: Record<MemberSort, string[]> = {
    name: ['name', 'login'],
    login: ['login'],
    unit: ['unit_path', 'name'],
    category: ['category', 'name'],
    createdAt: ['created_at'],
  };
  return (alias: string) =>
    [...keys[sort], 'id']
      .map((key) => `${alias}.${key} ${dir}${key === 'category' ? ` NULLS ${dir === 'ASC' ? 'LAST' : 'FIRST'}` : ''}`)
      .join(', ');
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** People in an admin's subtree: every read and write is confined to it, and foreign rows answer 404. */
@Injectable()
export class MembersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(MemberCategory) private readonly categories: Repository<MemberCategory>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    @Inject(ACCOUNT_CHECK) private readonly accounts: ActiveAccounts,
  ) {}

  /**
   * One page of the people in the caller's subtree (or the unit `unitId` names inside it), with the
   * total, each with their unit's path of names and the positions they hold now, in one statement:
   * the names and positions are looked up for the page's rows only.
   */
  async list(principal: Principal, query: ListMembersQuery, onlyId?: string): Promise<{ items: MemberListItem[]; total: number }> {
    const root = query.unitId ? await this.scope.unitInScope(principal, query.unitId) : await this.scope.rootOf(principal);
    const matched = this.users
      .createQueryBuilder('user')
      .select([])
      .addSelect('user.id', 'id')
      .addSelect('user.login', 'login')
      .addSelect('user.name', 'name')
      .addSelect('user.role', 'role')
      .addSelect('user.category', 'category')
      .addSelect('user.active', 'active')
      .addSelect('user.must_change_password', 'must_change_password')
      .addSelect('user.created_at', 'created_at')
      .addSelect('unit.id', 'unit_id')
      .addSelect('unit.name', 'unit_name')
      .addSelect('unit.path', 'unit_path')
      .addSelect('unit.depth', 'unit_depth')
      .innerJoin('user.orgUnit', 'unit');
    ScopeService.whereWithin(matched, 'unit.path', root.path);
    applyMemberFilter(matched, query);
    if (onlyId) matched.andWhere('user.id = :onlyId', { onlyId });
    const [matchedSql, params] = matched.getQueryAndParameters();
    const order = memberOrder(query.sort, query.order);
    const limit = `$${params.length + 1}`;
    const offset = `$${params.length + 2}`;
    // The count and the page run side by side: each is one scan, and neither waits for the other.
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT page.*, names.unit_names, held.positions
           FROM (SELECT m.* FROM (${matchedSql}) m ORDER BY ${order('m')} LIMIT ${limit} OFFSET ${offset}) page
           CROSS JOIN LATERAL (
             SELECT array_agg(a.name ORDER BY a.depth) AS unit_names
               FROM generate_series(1, page.unit_depth + 1) AS step(n)
               JOIN org_units a ON a.path = array_to_string((string_to_array(page.unit_path, '/'))[1:step.n], '/')
           ) names
           CROSS JOIN LATERAL (
             SELECT coalesce(array_agg(mp.position_code ORDER BY k.sort_order, mp.position_code), '{}') AS positions
               FROM (SELECT DISTINCT position_code FROM member_positions WHERE user_id = page.id AND ended_on IS NULL) mp
               JOIN position_kinds k ON k.code = mp.position_code
           ) held
          ORDER BY ${order('page')}`,
        [...params, query.limit, query.offset],
      ) as Promise<MemberRow[]>,
      this.db.query(`SELECT count(*)::int AS total FROM (${matchedSql}) m`, params) as Promise<Array<{ total: number }>>,
    ]);
    return { items: rows.map(toMemberListItem), total };
  }

  /** One person of the caller's subtree, as the list shows them (unit names, positions held); 404 outside it. */
  async get(principal: Principal, id: string): Promise<MemberListItem> {
    const [item] = (await this.list(principal, { sort: 'name', order: 'asc', limit: 1, offset: 0 }, id)).items;
    if (!item) throw new NotFoundException('No such person in your organisation.');
    return item;
  }

  async create(principal: Principal, input: CreateMemberInput): Promise<UserView> {
    const unit = await this.scope.unitInScope(principal, input.orgUnitId);
    if (!mayManageAccount(await this.callerOf(principal), null, input.role)) {
      throw new ForbiddenException(`Only a committee administrator creates ${input.role} accounts. Create a member, or ask them.`);
    }
    if (input.category) await this.assertCategory(input.category);
    try {
      const saved = await this.users.save(
        this.users.create({
          login: input.login,
          name: input.name,
          role: input.role,
          orgUnitId: unit.id,
          category: input.category ?? null,
          passwordHash: input.password ? await hashPassword(input.password) : null,
        }),
      );
      return this.get(principal, saved.id);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`The login "${input.login}" is taken. Choose another.`);
      throw error;
    }
  }

  /**
   * Edits name, role, category or password, and deactivates (`active: false`: the person can no
   * longer sign in, their open lecture stops earning now, every study record stays) or reactivates.
   * The unit is changed by a transfer only, which the schema already refused.
   */
  async update(principal: Principal, id: string, input: UpdateMemberInput): Promise<UserView> {
    const user = await this.userInScope(principal, id);
    if (user.id === principal.userId && (input.active === false || (input.role && input.role !== user.role))) {
      throw new ConflictException('You cannot deactivate your own account or change your own role.');
    }
    // Your own name and password are yours to change; other editor and admin accounts are the committee's.
    if (user.id !== principal.userId) await this.assertMayManage(principal, user, input.role);
    const changes: Partial<User> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.role !== undefined) changes.role = input.role;
    if (input.active !== undefined) changes.active = input.active;
    if (input.category !== undefined) {
      if (input.category) await this.assertCategory(input.category);
      changes.category = input.category;
    }
    if (input.password !== undefined) changes.passwordHash = await hashPassword(input.password);
    if (Object.keys(changes).length > 0) {
      await this.db.transaction(async (tx) => {
        await tx.getRepository(User).update({ id }, changes);
        // A deactivated member's open lecture stops earning study time now, not when its page closes.
        if (input.active === false) await endLiveSession(tx, id, 'deactivated');
      });
    }
    this.accounts.forget(id);
    return this.get(principal, id);
  }

  /**
   * Gives the person a new password made up here and shown once; until they choose their own, it
   * lets them do nothing else. Your own password you change yourself, at "Change password".
   */
  async resetPassword(principal: Principal, id: string): Promise<{ oneTimePassword: string }> {
    const user = await this.userInScope(principal, id);
    if (user.id === principal.userId) {
      throw new ConflictException('You cannot reset your own password. Change it under "Change password" instead.');
    }
    await this.assertMayManage(principal, user, undefined);
    const password = oneTimePassword();
    await this.users.update({ id }, { passwordHash: await hashPassword(password), mustChangePassword: true });
    this.accounts.forget(id);
    return { oneTimePassword: password };
  }

  listCategories(): Promise<MemberCategory[]> {
    return this.categories.find({ order: { builtin: 'DESC', code: 'ASC' } });
  }

  async createCategory(principal: Principal, input: CreateCategoryInput): Promise<MemberCategory> {
    if (!mayAddSharedCategory(await this.callerOf(principal), 'member')) {
      throw new ForbiddenException(
        'Member categories are shared by the whole organisation, so only its committee administrators add them. Ask them to add this one.',
      );
    }
    try {
      return await this.categories.save(this.categories.create({ ...input, builtin: false }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`The category "${input.code}" already exists.`);
      throw error;
    }
  }

  private async assertMayManage(principal: Principal, user: User, newRole: Role | undefined): Promise<void> {
    if (mayManageAccount(await this.callerOf(principal), user, newRole)) return;
    throw new ForbiddenException(
      user.role === 'member'
        ? `Only a committee administrator makes someone an ${newRole}.`
        : `Only a committee administrator changes ${user.role} accounts.`,
    );
  }

  private async callerOf(principal: Principal): Promise<Caller> {
    return { role: principal.role, unitPath: (await this.scope.rootOf(principal)).path };
  }

  private async userInScope(principal: Principal, id: string): Promise<User> {
    const root = await this.scope.rootOf(principal);
    const user = await this.users.findOne({ where: { id }, relations: { orgUnit: true } });
    if (!user || !isWithinScope(user.orgUnit.path, root.path)) throw new NotFoundException('No such person in your organisation.');
    return user;
  }

  private async assertCategory(code: string): Promise<void> {
    if (!(await this.categories.existsBy({ code }))) {
      throw new BadRequestException(`The category "${code}" is unknown. Create it first or choose an existing one.`);
    }
  }
}
