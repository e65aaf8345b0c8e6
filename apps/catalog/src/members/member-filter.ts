import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Which people a list, an enrolment by filter or an export means. Every field narrows; none means all. */
export interface MemberFilter {
  /** Name or login contains this (case-insensitive). */
  q?: string;
  category?: string;
  /** Holds this position now (in any unit). */
  position?: string;
  /** Enrolled in this training class now. */
  classId?: string;
  role?: string;
  active?: boolean;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * Adds the filter's conditions on the users alias `user` (a `users` row). The caller adds the scope
 * (the subtree of units) itself, so no filter can reach outside it.
 */
export function applyMemberFilter<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  filter: MemberFilter,
  user = 'user',
): SelectQueryBuilder<T> {
  if (filter.q) qb.andWhere(`(${user}.name ILIKE :filterQ OR ${user}.login ILIKE :filterQ)`, { filterQ: `%${escapeLike(filter.q)}%` });
  if (filter.category) qb.andWhere(`${user}.category = :filterCategory`, { filterCategory: filter.category });
  if (filter.role) qb.andWhere(`${user}.role = :filterRole`, { filterRole: filter.role });
  if (filter.active !== undefined) qb.andWhere(`${user}.active = :filterActive`, { filterActive: filter.active });
  if (filter.position) {
    qb.andWhere(
      `EXISTS (SELECT 1 FROM member_positions mp WHERE mp.user_id = ${user}.id AND mp.position_code = :filterPosition AND mp.ended_on IS NULL)`,
      { filterPosition: filter.position },
    );
  }
  if (filter.classId) {
    qb.andWhere(
      `EXISTS (SELECT 1 FROM training_class_members cm WHERE cm.user_id = ${user}.id AND cm.class_id = :filterClass AND cm.withdrawn_at IS NULL)`,
      { filterClass: filter.classId },
    );
  }
  return qb;
}
