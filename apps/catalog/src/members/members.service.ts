import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type Repository } from 'typeorm';
import { ACCOUNT_CHECK, isWithinScope, type Principal } from '#auth';
import type { ActiveAccounts } from '../accounts/active-accounts.js';
import { hashPassword } from '../accounts/passwords.js';
import { User } from '../accounts/user.entity.js';
import { toUserView, type UserView } from '../accounts/user.view.js';
import { OrgUnit } from '../org/org-unit.entity.js';
import { endLiveSession } from '../playback/playback-sessions.js';
import { ScopeService } from '../org/scope.service.js';
import { CsvFileError, parseMemberCsv, type CsvRowError } from './member-csv.js';
import { MemberCategory } from './member-category.entity.js';
import type { CreateCategoryInput, CreateMemberInput, ListMembersQuery, UpdateMemberInput } from './member.schemas.js';

export interface ImportReport {
  created: number;
  updated: number;
  rejected: number;
  errors: CsvRowError[];
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

  async list(principal: Principal, query: ListMembersQuery): Promise<{ items: UserView[]; total: number }> {
    const root = query.unitId ? await this.scope.unitInScope(principal, query.unitId) : await this.scope.rootOf(principal);
    const qb = this.users.createQueryBuilder('user').innerJoinAndSelect('user.orgUnit', 'unit');
    ScopeService.whereWithin(qb, 'unit.path', root.path);
    if (query.q) {
      qb.andWhere('(user.name ILIKE :q OR user.login ILIKE :q)', { q: `%${query.q.replace(/[\\%_]/g, '\\$&')}%` });
    }
    if (query.category) qb.andWhere('user.category = :category', { category: query.category });
    if (query.role) qb.andWhere('user.role = :role', { role: query.role });
    if (query.active !== undefined) qb.andWhere('user.active = :active', { active: query.active });
    const [users, total] = await qb
      .orderBy('unit.path', 'ASC')
      .addOrderBy('user.name', 'ASC')
      .addOrderBy('user.login', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items: users.map(toUserView), total };
  }

  async get(principal: Principal, id: string): Promise<UserView> {
    return toUserView(await this.userInScope(principal, id));
  }

  async create(principal: Principal, input: CreateMemberInput): Promise<UserView> {
    const unit = await this.scope.unitInScope(principal, input.orgUnitId);
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

  async update(principal: Principal, id: string, input: UpdateMemberInput): Promise<UserView> {
    const user = await this.userInScope(principal, id);
    if (user.id === principal.userId && (input.active === false || (input.role && input.role !== user.role))) {
      throw new ConflictException('You cannot deactivate your own account or change your own role.');
    }
    const changes: Partial<User> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.role !== undefined) changes.role = input.role;
    if (input.active !== undefined) changes.active = input.active;
    if (input.orgUnitId !== undefined) changes.orgUnitId = (await this.scope.unitInScope(principal, input.orgUnitId)).id;
    if (input.category !== undefined) {
      if (input.category) await this.assertCategory(input.category);
      changes.category = input.category;
    }
    if (input.password !== undefined) changes.passwordHash = await hashPassword(input.password);
    await this.db.transaction(async (tx) => {
      await tx.getRepository(User).update({ id }, changes);
      // A deactivated member's open lecture stops earning study time now, not when its page closes.
      if (input.active === false) await endLiveSession(tx, id, 'deactivated');
    });
    this.accounts.forget(id);
    return this.get(principal, id);
  }

  listCategories(): Promise<MemberCategory[]> {
    return this.categories.find({ order: { builtin: 'DESC', code: 'ASC' } });
  }

  async createCategory(input: CreateCategoryInput): Promise<MemberCategory> {
    try {
      return await this.categories.save(this.categories.create({ ...input, builtin: false }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`The category "${input.code}" already exists.`);
      throw error;
    }
  }

  /** Imports a member list: good rows are created or updated in one transaction, each bad row says why. */
  async import(principal: Principal, data: Buffer): Promise<ImportReport> {
    let parsed: ReturnType<typeof parseMemberCsv>;
    try {
      parsed = parseMemberCsv(data);
    } catch (error) {
      if (error instanceof CsvFileError) throw new BadRequestException(error.message);
      throw error;
    }
    const root = await this.scope.rootOf(principal);
    const errors = [...parsed.errors];
    const units = new Map(
      (await ScopeService.whereWithin(this.db.getRepository(OrgUnit).createQueryBuilder('unit'), 'unit.path', root.path).getMany()).map(
        (unit) => [unit.path, unit],
      ),
    );
    const categoryCodes = new Set((await this.categories.find()).map((c) => c.code));
    const existing = new Map(
      (await this.users.find({ where: { login: In(parsed.rows.map((r) => r.login)) }, relations: { orgUnit: true } })).map((u) => [
        u.login,
        u,
      ]),
    );

    const accepted: Array<{ row: (typeof parsed.rows)[number]; unit: OrgUnit; current?: User }> = [];
    for (const row of parsed.rows) {
      const unit = units.get(row.unitPath);
      const current = existing.get(row.login);
      const reject = (reason: string) => errors.push({ line: row.line, login: row.login, reason });
      if (!unit) reject(`unit "${row.unitPath}" does not exist in your organisation; check the path (e.g. ${root.path}/...)`);
      else if (row.category && !categoryCodes.has(row.category)) {
        reject(`category "${row.category}" is unknown; use one of: ${[...categoryCodes].join(', ')}`);
      } else if (current && !isWithinScope(current.orgUnit.path, root.path)) {
        reject(`login "${row.login}" belongs to someone outside your units; choose another login`);
      } else if (current && current.role !== 'member') {
        reject(`login "${row.login}" is an ${current.role} account; change it on its own page`);
      } else accepted.push({ row, unit, current });
    }
    errors.sort((a, b) => a.line - b.line);
    if (accepted.length === 0 && errors.length > 0) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        message: `No row could be imported: ${errors.length} row(s) have problems. Fix them and upload the file again.`,
        created: 0,
        updated: 0,
        rejected: errors.length,
        errors,
      });
    }

    const hashes = await Promise.all(accepted.map(({ row }) => (row.password ? hashPassword(row.password) : null)));
    let created = 0;
    let updated = 0;
    await this.db.transaction(async (tx) => {
      for (const [i, { row, unit, current }] of accepted.entries()) {
        const fields = { name: row.name, orgUnitId: unit.id, category: row.category, ...(hashes[i] ? { passwordHash: hashes[i] } : {}) };
        if (current) {
          await tx.update(User, { id: current.id }, fields);
          updated++;
        } else {
          await tx.insert(User, { login: row.login, role: 'member', passwordHash: null, ...fields });
          created++;
        }
      }
    });
    return { created, updated, rejected: errors.length, errors };
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
