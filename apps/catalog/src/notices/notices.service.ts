import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '#auth';
import type { NoticeKind, NoticeListView, NoticeParams } from '#contracts';

export interface NewNotice {
  kind: NoticeKind;
  params?: NoticeParams;
  /** A path inside the app, such as `/requests/<id>`. */
  link?: string;
}

const NOTICE_COLUMNS = `id::text, kind, params, link,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "readAt"`;

/**
 * What is new for members, shown on their home page and never sent outside the app. Features add notices in
 * the same transaction as the change they tell of (pass the transaction's manager), so a notice exists exactly
 * when its change does.
 */
@Injectable()
export class NoticesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One notice for each of `userIds` (duplicates and unknown ids skipped); returns how many were added. */
  async notify(manager: EntityManager | DataSource, userIds: readonly string[], notice: NewNotice): Promise<number> {
    if (!userIds.length) return 0;
    const [{ added }] = await manager.query(
      `WITH added AS (
         INSERT INTO member_notices (user_id, kind, params, link)
         SELECT u.id, $2, $3::jsonb, $4 FROM users u WHERE u.id = ANY($1::uuid[])
         RETURNING id)
       SELECT count(*)::int AS added FROM added`,
      [[...new Set(userIds)], notice.kind, JSON.stringify(notice.params ?? {}), notice.link ?? null],
    );
    return added;
  }

  /** The caller's latest notices, newest first, and how many are unread. */
  async list(principal: Principal, limit = 20): Promise<NoticeListView> {
    const [items, [{ unread }]] = await Promise.all([
      this.db.query(`SELECT ${NOTICE_COLUMNS} FROM member_notices WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [
        principal.userId,
        limit,
      ]),
      this.db.query(`SELECT count(*)::int AS unread FROM member_notices WHERE user_id = $1 AND read_at IS NULL`, [principal.userId]),
    ]);
    return { items, unread };
  }

  /** Marks the caller's notices read: those named, or all of them. Returns how many changed. */
  async markRead(principal: Principal, ids?: readonly string[]): Promise<{ marked: number }> {
    const [{ marked }] = await this.db.query(
      `WITH marked AS (
         UPDATE member_notices SET read_at = now()
          WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
          RETURNING id)
       SELECT count(*)::int AS marked FROM marked`,
      [principal.userId, ids ? [...ids] : null],
    );
    return { marked };
  }
}
