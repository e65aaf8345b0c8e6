import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (notices): what is new for a member, shown on their home page. Notices stay in the app; nothing
 * is sent outside. A notice names its kind and the values its sentence needs, and the page words it in the
 * member's language; `link` is a path inside the app. Reading one sets `read_at`; notices are never deleted by a
 * user action.
 */
export class MemberNotices1732000021000 implements MigrationInterface {
  name = 'MemberNotices1732000021000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE member_notices (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        kind text NOT NULL CHECK (kind ~ '^[a-z][a-z.-]{0,59}$'),
        params jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(params) = 'object'),
        link text CHECK (link IS NULL OR (link ~ '^/[A-Za-z0-9/_.?=&%-]*$' AND length(link) <= 300)),
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await db.query(`CREATE INDEX member_notices_of_user ON member_notices (user_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX member_notices_unread ON member_notices (user_id) WHERE read_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE member_notices`);
  }
}
