import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { Principal } from '#auth';
import { OrgUnit } from './org-unit.entity.js';
import type { CreateOrgUnitInput, UpdateOrgUnitInput } from './org.schemas.js';
import { ScopeService } from './scope.service.js';

export interface OrgUnitView {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  kind: string;
  path: string;
  depth: number;
  memberCount: number;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

@Injectable()
export class OrgUnitsService {
  constructor(
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  /** The caller's subtree in path order (parents before children), with direct member counts. */
  async subtree(principal: Principal): Promise<OrgUnitView[]> {
    const root = await this.scope.rootOf(principal);
    const rows: Array<OrgUnit & { member_count: string }> = await this.db.query(
      `SELECT u.id, u.parent_id AS "parentId", u.slug, u.name, u.kind, u.path, u.depth,
              (SELECT count(*) FROM users m WHERE m.org_unit_id = u.id AND m.role = 'member') AS member_count
         FROM org_units u
        WHERE u.path = $1 OR u.path LIKE $2
        ORDER BY u.path`,
      [root.path, `${root.path}/%`],
    );
    return rows.map(({ member_count, ...unit }) => ({ ...unit, memberCount: Number(member_count) }));
  }

  async create(principal: Principal, input: CreateOrgUnitInput): Promise<OrgUnit> {
    const parent = await this.scope.unitInScope(principal, input.parentId);
    try {
      return await this.units.save(
        this.units.create({
          parentId: parent.id,
          slug: input.slug,
          name: input.name,
          kind: input.kind,
          path: `${parent.path}/${input.slug}`,
          depth: parent.depth + 1,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(`"${parent.name}" already has a unit with the short name "${input.slug}". Choose another.`);
      }
      throw error;
    }
  }

  /** Renaming a slug rewrites the paths of the whole subtree in one statement. */
  async update(principal: Principal, id: string, input: UpdateOrgUnitInput): Promise<OrgUnit> {
    const unit = await this.scope.unitInScope(principal, id);
    return this.db.transaction(async (tx) => {
      if (input.name !== undefined) await tx.update(OrgUnit, { id }, { name: input.name });
      if (input.slug !== undefined && input.slug !== unit.slug) {
        if (unit.id === principal.orgUnitId) throw new ConflictException('You cannot change the short name of your own top unit.');
        const newPath = `${unit.path.slice(0, unit.path.length - unit.slug.length)}${input.slug}`;
        try {
          await tx.query(`UPDATE org_units SET slug = $1 WHERE id = $2`, [input.slug, id]);
          await tx.query(
            `UPDATE org_units SET path = $2 || substr(path, length($1) + 1), updated_at = now()
              WHERE path = $1 OR path LIKE $1 || '/%'`,
            [unit.path, newPath],
          );
        } catch (error) {
          if (isUniqueViolation(error)) throw new ConflictException(`A sibling unit already uses the short name "${input.slug}".`);
          throw error;
        }
      }
      return tx.findOneByOrFail(OrgUnit, { id });
    });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const unit = await this.scope.unitInScope(principal, id);
    if (unit.id === principal.orgUnitId) throw new ConflictException('You cannot delete your own top unit.');
    const [{ children, people }] = await this.db.query(
      `SELECT (SELECT count(*) FROM org_units WHERE parent_id = $1)::int AS children,
              (SELECT count(*) FROM users WHERE org_unit_id = $1)::int AS people`,
      [id],
    );
    if (children > 0 || people > 0) {
      throw new ConflictException(`"${unit.name}" still has ${children} sub-units and ${people} people. Move or delete them first.`);
    }
    await this.units.delete({ id });
  }
}
