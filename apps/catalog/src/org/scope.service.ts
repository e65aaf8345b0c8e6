import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository, SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import { OrgUnit } from './org-unit.entity.js';

/** Resolves an admin's subtree from the database, so renaming a unit never widens or narrows a token's reach. */
@Injectable()
export class ScopeService {
  constructor(@InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>) {}

  async rootOf(principal: Principal): Promise<OrgUnit> {
    const root = await this.units.findOneBy({ id: principal.orgUnitId });
    if (!root) throw new ForbiddenException('Your unit no longer exists. Ask your administrator.');
    return root;
  }

  /** The unit if it lies in the caller's subtree; otherwise 404, so foreign units are not even confirmed. */
  async unitInScope(principal: Principal, unitId: string): Promise<OrgUnit> {
    const [root, unit] = await Promise.all([this.rootOf(principal), this.units.findOneBy({ id: unitId })]);
    if (!unit || !isWithinScope(unit.path, root.path)) throw new NotFoundException('No such unit in your organisation.');
    return unit;
  }

  async unitByPath(principal: Principal, path: string): Promise<OrgUnit | null> {
    const root = await this.rootOf(principal);
    if (!isWithinScope(path, root.path)) return null;
    return this.units.findOneBy({ path });
  }

  /** Restricts a query to rows whose unit path (the given alias) lies under `path`. */
  static whereWithin<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, pathColumn: string, path: string, param = 'scopePath') {
    return query.andWhere(`(${pathColumn} = :${param} OR ${pathColumn} LIKE :${param}Prefix)`, {
      [param]: path,
      [`${param}Prefix`]: `${path}/%`,
    });
  }
}
