import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decimalHours, type UnitRef, type UnitStudyRow } from '#contracts';
import type { Principal } from '#auth';
import { ScopeService } from '../org/scope.service.js';

export interface UnitStudyQuery {
  from: string;
  to: string;
  unitId?: string;
}

/**
 * Study attributed by unit and period: each day's credited study (`study_daily`) counts for the unit the
 * member belonged to on that day (`member_unit_periods`, `from_day` inclusive, `to_day` exclusive), so a
 * member's move does not carry the study earned before it to the new unit, nor leave later study behind.
 */
@Injectable()
export class UnitStudyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async report(principal: Principal, query: UnitStudyQuery): Promise<{ root: UnitRef; rows: UnitStudyRow[] }> {
    const root = query.unitId ? await this.scope.unitInScope(principal, query.unitId) : await this.scope.rootOf(principal);
    const rows: Array<{
      id: string;
      parent_id: string | null;
      name: string;
      path: string;
      kind: string;
      depth: number;
      own_sec: number | null;
      own_members: number;
      total_sec: number | null;
      total_members: number;
    }> = await this.db.query(
      `WITH attributed AS (
         SELECT p.org_unit_id AS unit_id, o.path, d.user_id, sum(d.credited_sec) AS seconds
           FROM study_daily d
           JOIN member_unit_periods p ON p.user_id = d.user_id AND p.from_day <= d.day AND (p.to_day IS NULL OR d.day < p.to_day)
           JOIN org_units o ON o.id = p.org_unit_id
          WHERE d.day BETWEEN $2::date AND $3::date AND d.credited_sec > 0
            AND (o.path = $1 OR o.path LIKE $1 || '/%')
          GROUP BY p.org_unit_id, o.path, d.user_id
       )
       SELECT u.id, u.parent_id, u.name, u.path, u.kind, u.depth,
              (SELECT sum(a.seconds) FROM attributed a WHERE a.unit_id = u.id)::float8 AS own_sec,
              (SELECT count(DISTINCT a.user_id) FROM attributed a WHERE a.unit_id = u.id)::int AS own_members,
              (SELECT sum(a.seconds) FROM attributed a WHERE a.path = u.path OR a.path LIKE u.path || '/%')::float8 AS total_sec,
              (SELECT count(DISTINCT a.user_id) FROM attributed a WHERE a.path = u.path OR a.path LIKE u.path || '/%')::int AS total_members
         FROM org_units u
        WHERE u.path = $1 OR u.path LIKE $1 || '/%'
        ORDER BY u.path`,
      [root.path, query.from, query.to],
    );
    return {
      root: { id: root.id, name: root.name, path: root.path },
      rows: rows.map((r) => {
        const ownSec = Math.round(Number(r.own_sec) || 0);
        const totalSec = Math.round(Number(r.total_sec) || 0);
        return {
          unitId: r.id,
          parentId: r.parent_id,
          name: r.name,
          path: r.path,
          kind: r.kind,
          depth: r.depth,
          ownSec,
          ownHours: decimalHours(ownSec),
          ownMembers: r.own_members,
          totalSec,
          totalHours: decimalHours(totalSec),
          totalMembers: r.total_members,
        };
      }),
    };
  }
}
