import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (programs on demand): members' requests for programs, their votes and editors' answers.
 *
 * - A request keeps who asked, and their unit and member category when they asked, so demand reports stay
 *   true after a transfer. Requests are never deleted: a member withdraws theirs (`withdrawn_at`), an editor
 *   merges a duplicate into another (`merged_into`, status `withdrawn`).
 * - Each member votes once per request (primary key); the requester's own request is their vote. Taking a
 *   vote back or moving it in a merge sets `withdrawn_at` on the row instead of deleting it.
 * - `search_vector` holds CJK bigrams and lower-cased words of the title and detail (see search-terms.ts),
 *   so "电商补贴" finds "农村电商补贴怎么申请" without a Chinese word splitter.
 * - `first_answered_at` is when the first answer (planned, a course or declined) was published: the
 *   time-to-answer report reads it; `answered_at` is the latest answer.
 */
export class ProgramRequests1732000024000 implements MigrationInterface {
  name = 'ProgramRequests1732000024000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE program_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
        detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 500),
        category_id uuid REFERENCES course_categories(id),
        requested_by uuid NOT NULL REFERENCES users(id),
        org_unit_id uuid NOT NULL REFERENCES org_units(id),
        member_category text REFERENCES member_categories(code) ON UPDATE CASCADE,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'planned', 'answered', 'declined', 'withdrawn')),
        answer_note text CHECK (answer_note IS NULL OR length(answer_note) BETWEEN 1 AND 500),
        course_id uuid REFERENCES courses(id),
        decline_reason text CHECK (decline_reason IS NULL OR length(decline_reason) BETWEEN 1 AND 500),
        answered_by uuid REFERENCES users(id),
        answered_at timestamptz,
        first_answered_at timestamptz,
        merged_into uuid REFERENCES program_requests(id),
        withdrawn_at timestamptz,
        search_vector tsvector NOT NULL DEFAULT ''::tsvector,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT program_requests_answered_has_course CHECK ((status = 'answered') = (course_id IS NOT NULL)),
        CONSTRAINT program_requests_declined_has_reason CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
        CONSTRAINT program_requests_withdrawn_when CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
        CONSTRAINT program_requests_answer_when CHECK (
          (status IN ('planned', 'answered', 'declined')) <= (answered_at IS NOT NULL AND answered_by IS NOT NULL)),
        CONSTRAINT program_requests_not_into_itself CHECK (merged_into IS DISTINCT FROM id)
      )`);
    await db.query(`CREATE INDEX program_requests_search ON program_requests USING gin (search_vector)`);
    await db.query(`CREATE INDEX program_requests_by_requester ON program_requests (requested_by, created_at DESC)`);
    await db.query(`CREATE INDEX program_requests_by_unit ON program_requests (org_unit_id)`);
    await db.query(`CREATE INDEX program_requests_by_status ON program_requests (status, created_at)`);

    await db.query(`
      CREATE TABLE program_request_votes (
        request_id uuid NOT NULL REFERENCES program_requests(id),
        user_id uuid NOT NULL REFERENCES users(id),
        org_unit_id uuid NOT NULL REFERENCES org_units(id),
        member_category text REFERENCES member_categories(code) ON UPDATE CASCADE,
        voted_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        PRIMARY KEY (request_id, user_id)
      )`);
    await db.query(`CREATE INDEX program_request_votes_by_user ON program_request_votes (user_id) WHERE withdrawn_at IS NULL`);
    await db.query(`CREATE INDEX program_request_votes_by_unit ON program_request_votes (org_unit_id) WHERE withdrawn_at IS NULL`);
    // Requests and votes are withdrawn, never removed: what members asked for stays on record.
    await db.query(`
      CREATE FUNCTION program_requests_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are kept: withdraw a request or a vote instead of deleting it', TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    for (const table of ['program_requests', 'program_request_votes']) {
      await db.query(`CREATE TRIGGER ${table}_keep BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION program_requests_keep()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE program_request_votes`);
    await db.query(`DROP TABLE program_requests`);
    await db.query(`DROP FUNCTION program_requests_keep()`);
  }
}
