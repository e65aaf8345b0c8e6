import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { ReflectionsReportRow } from '#contracts';
import { ScopeService } from '../org/scope.service.js';
import { countColumn } from '../reports/report-columns.js';
import type { Column } from '../reports/report-table.js';

const round1 = (value: number | string | null) => (value === null ? null : Math.round(Number(value) * 10) / 10);

/** Hours to one decimal, as the screen and the files show them ("—" when there is nothing to measure). */
const hoursColumn = (
  key: string,
  zh: string,
  en: string,
  get: (row: ReflectionsReportRow) => number | null,
): Column<ReflectionsReportRow> => ({
  key,
  zh,
  en,
  text: (r) => {
    const value = get(r);
    return value === null ? '—' : value.toFixed(1);
  },
  number: get,
  format: '0.0',
});

/** The reflections report's table, as the page shows it. */
export const reflectionsReportColumns = (unitTrail: (path: string) => string): Column<ReflectionsReportRow>[] => [
  { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.name },
  { key: 'unitPath', zh: '单位路径', en: 'Unit path', text: (r) => unitTrail(r.path) },
  countColumn('written', '已提交心得', 'Reflections sent', (r) => r.written),
  countColumn('reviewed', '已审阅次数', 'Reviews given', (r) => r.reviewed),
  countColumn('accepted', '已通过', 'Accepted', (r) => r.accepted),
  countColumn('returned', '退回修改次数', 'Times returned', (r) => r.returned),
  countColumn('pending', '待审阅', 'Waiting for review', (r) => r.pending),
  hoursColumn('medianWaitHours', '审阅等待中位数（小时）', 'Median wait for review (hours)', (r) => r.medianWaitHours),
  hoursColumn('p90WaitHours', '审阅等待90分位（小时）', '90th percentile wait (hours)', (r) => r.p90WaitHours),
  hoursColumn('oldestPendingHours', '最久待审（小时）', 'Longest waiting now (hours)', (r) => r.oldestPendingHours),
];

/**
 * Reflections per unit of the caller's subtree (or of `unitId`'s), each row counting the unit and the units below
 * it. A reflection counts for the unit its author belonged to when it was last sent; drafts are not counted.
 */
@Injectable()
export class ReflectionsReportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async report(principal: Principal, unitId?: string) {
    const root = unitId ? await this.scope.unitInScope(principal, unitId) : await this.scope.rootOf(principal);
    const rows: Array<{
      id: string;
      name: string;
      path: string;
      depth: number;
      written: number;
      reviewed: number;
      accepted: number;
      returned: number;
      pending: number;
      median: string | null;
      p90: string | null;
      oldest: string | null;
    }> = await this.db.query(
      `WITH rf AS (
         SELECT r.id, r.status, r.submitted_at, o.path
           FROM reflections r JOIN org_units o ON o.id = r.org_unit_id
          WHERE r.version > 0 AND (o.path = $1 OR o.path LIKE $1 || '/%')
       ), rv AS (
         SELECT w.verdict, extract(epoch FROM w.reviewed_at - w.submitted_at) / 3600 AS hours, rf.path
           FROM reflection_reviews w JOIN rf ON rf.id = w.reflection_id
       )
       SELECT u.id, u.name, u.path, u.depth, a.written, a.accepted, a.pending, a.oldest, b.reviewed, b.returned, b.median, b.p90
         FROM org_units u
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS written,
                  count(*) FILTER (WHERE rf.status IN ('read', 'excellent'))::int AS accepted,
                  count(*) FILTER (WHERE rf.status = 'submitted')::int AS pending,
                  extract(epoch FROM now() - min(rf.submitted_at) FILTER (WHERE rf.status = 'submitted')) / 3600 AS oldest
             FROM rf WHERE rf.path = u.path OR rf.path LIKE u.path || '/%') a
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS reviewed,
                  count(*) FILTER (WHERE rv.verdict = 'returned')::int AS returned,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY rv.hours) AS median,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY rv.hours) AS p90
             FROM rv WHERE rv.path = u.path OR rv.path LIKE u.path || '/%') b
        WHERE u.path = $1 OR u.path LIKE $1 || '/%'
        ORDER BY u.path`,
      [root.path],
    );
    return {
      unit: { id: root.id, name: root.name, path: root.path },
      rows: rows.map((r): ReflectionsReportRow => ({
        unitId: r.id,
        name: r.name,
        path: r.path,
        depth: r.depth,
        written: r.written,
        reviewed: r.reviewed,
        accepted: r.accepted,
        returned: r.returned,
        pending: r.pending,
        medianWaitHours: round1(r.median),
        p90WaitHours: round1(r.p90),
        oldestPendingHours: round1(r.oldest),
      })),
    };
  }
}
