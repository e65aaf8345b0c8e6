import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import type { DeleteBlocker, OrgUnitSearchHit, OrgUnitView } from '#contracts';
import { OrgUnit } from './org-unit.entity.js';
import type { CreateOrgUnitInput, MoveOrgUnitInput, UpdateOrgUnitInput } from './org.schemas.js';
import { ScopeService } from './scope.service.js';
import { namesAlong, searchUnits } from './unit-search.js';

export type { DeleteBlocker, OrgUnitSearchHit, OrgUnitView };

/** Transaction-scoped lock taken by every move, so two concurrent moves cannot make a cycle. */
const MOVE_LOCK = 0x4f524755; // "ORGU"

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

@Injectable()
export class OrgUnitsService {
  constructor(
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  /**
   * The caller's subtree in path order (parents before children), in one statement: direct and subtree
   * counts of active members, sub-unit counts and the current secretary of every unit. Subtree counts add
   * each unit's direct count to every prefix of its path, so the work grows with units times depth.
   */
  async subtree(principal: Principal): Promise<OrgUnitView[]> {
    const root = await this.scope.rootOf(principal);
    const rows: Array<Omit<OrgUnitView, 'secretary'> & { secretaryId: string | null; secretaryName: string | null }> =
      await this.db.transaction(async (tx) => {
        // The row estimates of the path prefixes are far too high and would have the planner compile the
        // query (JIT) for longer than it runs: about a second wasted on every request for 5,000 units.
        await tx.query(`SET LOCAL jit = off`);
        return tx.query(
          `WITH sub AS MATERIALIZED (
         SELECT id, parent_id, slug, name, kind, path, depth FROM org_units WHERE path = $1 OR path LIKE $2
       ),
       direct AS (
         SELECT m.org_unit_id AS id, count(*)::int AS n
           FROM users m
          WHERE m.role = 'member' AND m.active AND m.org_unit_id IN (SELECT id FROM sub)
          GROUP BY m.org_unit_id
       ),
       rolled AS (
         SELECT array_to_string(parts[1:k], '/') AS path, sum(d.n)::int AS n
           FROM direct d
           JOIN sub s ON s.id = d.id
          CROSS JOIN LATERAL string_to_array(s.path, '/') AS parts
          CROSS JOIN LATERAL generate_series(1, cardinality(parts)) AS k
          GROUP BY 1
       ),
       children AS (
         SELECT parent_id AS id, count(*)::int AS n FROM sub WHERE parent_id IS NOT NULL GROUP BY parent_id
       ),
       secretaries AS (
         SELECT DISTINCT ON (p.org_unit_id) p.org_unit_id AS id, p.user_id
           FROM member_positions p
          WHERE p.position_code = 'secretary' AND p.ended_on IS NULL AND p.org_unit_id IN (SELECT id FROM sub)
          ORDER BY p.org_unit_id, p.started_on, p.created_at, p.id
       )
       SELECT s.id, s.parent_id AS "parentId", s.slug, s.name, s.kind, s.path, s.depth,
              coalesce(d.n, 0) AS "memberCount", coalesce(r.n, 0) AS "subtreeMemberCount", coalesce(c.n, 0) AS "childCount",
              sec.user_id AS "secretaryId", (SELECT m.name FROM users m WHERE m.id = sec.user_id) AS "secretaryName"
         FROM sub s
         LEFT JOIN direct d ON d.id = s.id
         LEFT JOIN rolled r ON r.path = s.path
         LEFT JOIN children c ON c.id = s.id
         LEFT JOIN secretaries sec ON sec.id = s.id
        ORDER BY s.path`,
          [root.path, `${root.path}/%`],
        );
      });
    return rows.map(({ secretaryId, secretaryName, ...unit }) => ({
      ...unit,
      secretary: secretaryId ? { id: secretaryId, name: secretaryName ?? '' } : null,
    }));
  }

  /**
   * Units of the caller's subtree matching `q` by name, pinyin initials or full pinyin, short name or
   * path; at most `limit`, best first, each with the names along its path.
   */
  async search(principal: Principal, q: string, limit = 50): Promise<OrgUnitSearchHit[]> {
    const root = await this.scope.rootOf(principal);
    const units: Array<Omit<OrgUnitSearchHit, 'names'>> = await this.db.query(
      `SELECT id, parent_id AS "parentId", slug, name, kind, path, depth FROM org_units WHERE path = $1 OR path LIKE $2`,
      [root.path, `${root.path}/%`],
    );
    const nameByPath = new Map(units.map((u) => [u.path, u.name]));
    return searchUnits(units, q, limit).map(({ unit }) => ({ ...unit, names: namesAlong(unit.path, root.path, nameByPath) }));
  }

  async create(principal: Principal, input: CreateOrgUnitInput): Promise<OrgUnit> {
    const found = await this.scope.unitInScope(principal, input.parentId);
    try {
      return await this.db.transaction(async (tx) => {
        // The parent's path read under the moves' lock: a move meanwhile would leave the new unit behind.
        await tx.query(`SELECT pg_advisory_xact_lock($1)`, [MOVE_LOCK]);
        const parent = await tx.findOneBy(OrgUnit, { id: found.id });
        const root = await this.scope.rootOf(principal);
        if (!parent || !isWithinScope(parent.path, root.path)) throw new NotFoundException('No such unit in your organisation.');
        return tx.save(
          tx.create(OrgUnit, {
            parentId: parent.id,
            slug: input.slug,
            name: input.name,
            kind: input.kind,
            path: `${parent.path}/${input.slug}`,
            depth: parent.depth + 1,
          }),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(`"${found.name}" already has a unit with the short name "${input.slug}". Choose another short name.`);
      }
      throw error;
    }
  }

  /** Renaming a slug rewrites the paths of the whole subtree in one statement. */
  async update(principal: Principal, id: string, input: UpdateOrgUnitInput): Promise<OrgUnit> {
    await this.scope.unitInScope(principal, id);
    return this.db.transaction(async (tx) => {
      if (input.name !== undefined) await tx.update(OrgUnit, { id }, { name: input.name });
      // The same lock as moves, and the path read under it: a move meanwhile would otherwise be undone.
      if (input.slug !== undefined) await tx.query(`SELECT pg_advisory_xact_lock($1)`, [MOVE_LOCK]);
      const unit = await tx.findOneByOrFail(OrgUnit, { id });
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
          if (isUniqueViolation(error)) {
            throw new ConflictException(
              `Another unit under the same parent already uses the short name "${input.slug}". Choose another short name.`,
            );
          }
          throw error;
        }
      }
      return tx.findOneByOrFail(OrgUnit, { id });
    });
  }

  /**
   * Moves a unit, with everything below it, under another parent in the caller's subtree: `parent_id`,
   * then the `path` and `depth` of the whole subtree in one statement. The `org_units_report_move`
   * trigger marks every open plan's rollup for rebuilding; closed plans' results follow the unit by id.
   */
  async move(principal: Principal, id: string, input: MoveOrgUnitInput): Promise<OrgUnit> {
    // 404 for units outside the caller's subtree comes first, so a refusal never confirms they exist.
    await Promise.all([this.scope.unitInScope(principal, id), this.scope.unitInScope(principal, input.parentId)]);
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1)`, [MOVE_LOCK]);
      // Read again under the lock: another move may have changed either path meanwhile.
      const unit = await tx.findOneBy(OrgUnit, { id });
      const parent = await tx.findOneBy(OrgUnit, { id: input.parentId });
      const root = await this.scope.rootOf(principal);
      if (!unit || !parent || !isWithinScope(unit.path, root.path) || !isWithinScope(parent.path, root.path)) {
        throw new NotFoundException('No such unit in your organisation.');
      }
      if (unit.parentId === null) throw new ConflictException('The top unit of the organisation cannot be moved.');
      if (unit.id === principal.orgUnitId) {
        throw new ConflictException('You cannot move your own top unit. Ask an administrator of the unit above it.');
      }
      if (parent.id === unit.id || isWithinScope(parent.path, unit.path)) {
        throw new BadRequestException(`"${unit.name}" cannot be moved under itself or one of its own sub-units. Choose a unit outside it.`);
      }
      if (parent.id === unit.parentId) return unit;
      const [clash] = await tx.query(`SELECT name FROM org_units WHERE parent_id = $1 AND slug = $2`, [parent.id, unit.slug]);
      if (clash) {
        throw new ConflictException(
          `"${parent.name}" already has a unit with the short name "${unit.slug}" ("${clash.name}"). Change the short name of one of them first, then move.`,
        );
      }
      const newPath = `${parent.path}/${unit.slug}`;
      await tx.query(`UPDATE org_units SET parent_id = $2, updated_at = now() WHERE id = $1`, [id, parent.id]);
      await tx.query(
        `UPDATE org_units SET path = $2 || substr(path, length($1) + 1), depth = depth + $3::int, updated_at = now()
          WHERE path = $1 OR path LIKE $1 || '/%'`,
        [unit.path, newPath, parent.depth + 1 - unit.depth],
      );
      return tx.findOneByOrFail(OrgUnit, { id });
    });
  }

  /**
   * Deletes an empty unit. Refused with 409, naming every reason, while anything still stands in it or
   * refers to it: sub-units, people, courses it owns, courses shown only to it (they would open to
   * everyone), study plans that it owns or that cover it, and closed plans' results frozen in it.
   */
  async remove(principal: Principal, id: string): Promise<void> {
    const unit = await this.scope.unitInScope(principal, id);
    if (unit.id === principal.orgUnitId) throw new ConflictException('You cannot delete your own top unit.');
    type Uses = Record<
      'children' | 'members' | 'staff' | 'courses' | 'audiences' | 'results' | 'positions' | 'classes' | 'transfers' | 'history' | 'kinds',
      number
    > & { plans: string[] };
    const [uses]: Uses[] = await this.db.query(
      `SELECT (SELECT count(*) FROM org_units WHERE parent_id = $1)::int AS children,
              (SELECT count(*) FROM users WHERE org_unit_id = $1 AND role = 'member')::int AS members,
              (SELECT count(*) FROM users WHERE org_unit_id = $1 AND role <> 'member')::int AS staff,
              (SELECT count(*) FROM courses WHERE owner_unit_id = $1)::int AS courses,
              (SELECT count(*) FROM course_visibility v WHERE v.org_unit_id = $1
                  AND NOT EXISTS (SELECT 1 FROM course_visibility w WHERE w.course_id = v.course_id AND w.org_unit_id <> $1))::int AS audiences,
              (SELECT count(*) FROM study_plan_results WHERE org_unit_id = $1)::int AS results,
              (SELECT count(*) FROM member_positions WHERE org_unit_id = $1)::int AS positions,
              (SELECT count(*) FROM training_classes WHERE owner_unit_id = $1)::int AS classes,
              (SELECT count(*) FROM member_transfers WHERE from_unit_id = $1 OR to_unit_id = $1)::int AS transfers,
              (SELECT count(DISTINCT user_id) FROM member_unit_periods p WHERE p.org_unit_id = $1
                  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id AND u.org_unit_id = $1))::int AS history,
              (SELECT count(*) FROM position_kinds WHERE owner_unit_id = $1)::int AS kinds,
              ARRAY(SELECT p.name FROM study_plans p
                     WHERE p.owner_unit_id = $1 OR EXISTS (SELECT 1 FROM study_plan_units pu WHERE pu.plan_id = p.id AND pu.org_unit_id = $1)
                     ORDER BY p.name) AS plans`,
      [id],
    );
    // Each reason with its count (and the plans by name), for clients that word them in their own language.
    const reasons: Array<[DeleteBlocker['code'], number, string]> = [
      ['subUnits', uses.children, `${uses.children} sub-units (move or delete them first)`],
      ['members', uses.members, `${uses.members} members (move them to another unit first)`],
      ['staff', uses.staff, `${uses.staff} administrator, editor or inspector accounts (move them to another unit first)`],
      [
        'plans',
        uses.plans.length,
        `${uses.plans.length} study plans that it owns or that cover it (${uses.plans.map((name) => `"${name}"`).join(', ')}), which keep their units`,
      ],
      ['courses', uses.courses, `${uses.courses} courses it owns`],
      [
        'audiences',
        uses.audiences,
        `${uses.audiences} courses shown only to it (change their audience first, or they would be shown to everyone)`,
      ],
      ['results', uses.results, `the frozen results of ${uses.results} members in closed plans, which are kept`],
      ['positions', uses.positions, `${uses.positions} positions held in it, past or present, which are kept`],
      ['classes', uses.classes, `${uses.classes} training classes it runs`],
      ['transfers', uses.transfers, `${uses.transfers} transfers into or out of it, which are kept`],
      ['history', uses.history, `the history of ${uses.history} people who belonged to it, which is kept`],
      ['kinds', uses.kinds, `${uses.kinds} position kinds it added`],
    ];
    const standing = reasons.filter(([, count]) => count > 0);
    if (standing.length) {
      throw new ConflictException({
        statusCode: 409,
        message: `"${unit.name}" cannot be deleted: it still has ${standing.map(([, , text]) => text).join('; ')}. A unit that has records can be renamed or moved instead.`,
        blockers: standing.map(([code, count]): DeleteBlocker => (code === 'plans' ? { code, count, names: uses.plans } : { code, count })),
      });
    }
    try {
      await this.units.delete({ id });
    } catch (error) {
      // Something came to refer to the unit meanwhile.
      if ((error as { code?: string }).code === '23503') {
        throw new ConflictException(
          `"${unit.name}" is in use by other records and cannot be deleted. Reload the page to see what it holds.`,
        );
      }
      throw error;
    }
  }
}
