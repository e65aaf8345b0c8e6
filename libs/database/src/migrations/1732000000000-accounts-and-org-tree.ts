import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned: the organisation tree (materialized path), member categories and user accounts. */
export class AccountsAndOrgTree1732000000000 implements MigrationInterface {
  name = 'AccountsAndOrgTree1732000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE org_units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parent_id uuid REFERENCES org_units(id) ON DELETE RESTRICT,
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('committee', 'branch', 'group', 'unit')),
        -- slugs from the root joined by '/', so a subtree is one index range scan
        path text NOT NULL UNIQUE,
        depth int NOT NULL CHECK (depth >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT org_units_root_has_no_parent CHECK ((parent_id IS NULL) = (depth = 0))
      )`);
    await db.query(`CREATE INDEX org_units_path_prefix ON org_units (path text_pattern_ops)`);
    await db.query(`CREATE INDEX org_units_parent ON org_units (parent_id)`);

    await db.query(`
      CREATE TABLE member_categories (
        code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
        name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        builtin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      INSERT INTO member_categories (code, name_zh, name_en, builtin) VALUES
        ('on-the-job', '在职', 'On the job', true),
        ('retired', '离退休', 'Retired', true),
        ('mobile', '流动', 'Mobile / migrant', true),
        ('rural', '农村', 'Rural', true)`);

    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        login text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        password_hash text,
        role text NOT NULL CHECK (role IN ('member', 'editor', 'admin')),
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        category text REFERENCES member_categories(code) ON UPDATE CASCADE,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX users_org_unit ON users (org_unit_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE users`);
    await db.query(`DROP TABLE member_categories`);
    await db.query(`DROP TABLE org_units`);
  }
}
