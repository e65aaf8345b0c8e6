import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: member imports waiting for the admin's confirmation.
 *
 * `member_import_batches` holds an uploaded member list between its preview and its confirmation: the rows
 * as read (`rows`: each with its row number, original cells, the values and what the preview decided), the
 * counts shown, and who may confirm it (`created_by`, within `root_unit_id`'s subtree). Nothing reaches
 * `users` before `confirmed_at` is set; a batch is good for an hour (`expires_at`). Batches are small
 * records of what was imported, when and by whom, and are kept.
 */
export class MemberImports1732000012000 implements MigrationInterface {
  name = 'MemberImports1732000012000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE member_import_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        root_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        encoding text NOT NULL CHECK (encoding IN ('utf-8', 'utf-8-bom', 'gb18030', 'xlsx')),
        header jsonb NOT NULL,
        rows jsonb NOT NULL,
        create_count int NOT NULL CHECK (create_count >= 0),
        update_count int NOT NULL CHECK (update_count >= 0),
        unchanged_count int NOT NULL CHECK (unchanged_count >= 0),
        reject_count int NOT NULL CHECK (reject_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL DEFAULT now() + interval '1 hour',
        confirmed_at timestamptz
      )`);
    await db.query(`CREATE INDEX member_import_batches_creator ON member_import_batches (created_by, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE member_import_batches`);
  }
}
