import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: exams after training.
 *
 * - `exam_questions`: the question bank. A question is retired, never deleted, once a paper used it; an
 *   attempt keeps its own copy of every question it was given (`exam_attempts.paper`), so editing or
 *   retiring a question never changes a past attempt.
 * - `exams`: a fixed paper (`exam_fixed_items`) or one drawn from the bank by rules (`exam_draw_rules`), with
 *   its window, time limit, pass mark, attempts and audience (units, categories, positions, classes, as
 *   plans target). A post-test names its pre-test (`pre_exam_id`).
 * - `exam_attempts` and `exam_answers`: one member's sitting and the answers saved as they went. Attempts,
 *   answers, the audit trail (`exam_attempt_events`) and granted extra attempts are never deleted: a trigger
 *   refuses it. An attempt is voided, with a reason, instead.
 * - `study_plan_exams`: exams a plan requires passing; closing a plan freezes each member's exam results
 *   with their hours (`study_plan_results.exams`).
 */
export class Exams1732000016000 implements MigrationInterface {
  name = 'Exams1732000016000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE exam_images (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
        bytes bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 2097152),
        sha256 text NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE exam_questions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- the unit whose editors own the question; exams inside its subtree may use it
        owner_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        kind text NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false', 'fill_blank', 'short_answer')),
        stem text NOT NULL CHECK (length(stem) BETWEEN 1 AND 4000),
        -- [{ "key": "A", "text": "..." }] for single and multiple choice; [] otherwise
        options jsonb NOT NULL DEFAULT '[]',
        -- the correct answer, by kind (see QuestionAnswerKey in #contracts); never sent to a member before grading
        answer jsonb NOT NULL,
        points numeric(6, 2) NOT NULL DEFAULT 1 CHECK (points > 0 AND points <= 100),
        explanation text NOT NULL DEFAULT '' CHECK (length(explanation) <= 4000),
        topic text CHECK (length(topic) BETWEEN 1 AND 100),
        course_id uuid REFERENCES courses(id) ON DELETE RESTRICT,
        lecture_id uuid REFERENCES lectures(id) ON DELETE RESTRICT,
        difficulty smallint CHECK (difficulty BETWEEN 1 AND 5),
        tags text[] NOT NULL DEFAULT '{}',
        image_id uuid REFERENCES exam_images(id) ON DELETE RESTRICT,
        retired_at timestamptz,
        retired_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX exam_questions_owner ON exam_questions (owner_unit_id, created_at DESC)`);
    await db.query(`CREATE INDEX exam_questions_draw ON exam_questions (kind, topic, difficulty) WHERE retired_at IS NULL`);

    await db.query(`
      CREATE TABLE exam_question_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        owner_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        encoding text NOT NULL CHECK (encoding IN ('utf-8', 'utf-8-bom', 'gb18030', 'xlsx')),
        rows jsonb NOT NULL,
        accept_count int NOT NULL CHECK (accept_count >= 0),
        reject_count int NOT NULL CHECK (reject_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL DEFAULT now() + interval '1 hour',
        confirmed_at timestamptz
      )`);

    await db.query(`
      CREATE TABLE exams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
        paper_kind text NOT NULL CHECK (paper_kind IN ('fixed', 'drawn')),
        time_limit_min int NOT NULL CHECK (time_limit_min BETWEEN 1 AND 600),
        pass_percent numeric(5, 2) NOT NULL CHECK (pass_percent > 0 AND pass_percent <= 100),
        max_attempts int NOT NULL DEFAULT 1 CHECK (max_attempts BETWEEN 1 AND 20),
        shuffle_questions boolean NOT NULL DEFAULT true,
        shuffle_options boolean NOT NULL DEFAULT true,
        -- how a multiple-choice question scores a partly right answer (see gradeAnswer in #exams)
        multiple_scoring text NOT NULL DEFAULT 'partial' CHECK (multiple_scoring IN ('all_or_nothing', 'partial')),
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        -- after grading, the member sees the correct answers and explanations
        show_answers boolean NOT NULL DEFAULT false,
        -- hours a passed exam adds to each plan that requires it
        credit_hours numeric(5, 2) CHECK (credit_hours > 0 AND credit_hours <= 100),
        -- "may sit once this share of the compulsory lectures of the course or plan are done"
        requires_course_id uuid REFERENCES courses(id) ON DELETE RESTRICT,
        requires_plan_id uuid REFERENCES study_plans(id) ON DELETE RESTRICT,
        requires_share real CHECK (requires_share > 0 AND requires_share <= 1),
        -- set on a post-test: the pre-test it is compared with
        pre_exam_id uuid REFERENCES exams(id) ON DELETE RESTRICT,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        archived_at timestamptz,
        CHECK (closes_at > opens_at),
        CHECK (pre_exam_id IS NULL OR pre_exam_id <> id),
        CHECK ((requires_course_id IS NULL AND requires_plan_id IS NULL) = (requires_share IS NULL))
      )`);
    await db.query(`CREATE INDEX exams_owner ON exams (owner_unit_id, opens_at DESC)`);

    await db.query(`
      CREATE TABLE exam_fixed_items (
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
        question_id uuid NOT NULL REFERENCES exam_questions(id) ON DELETE RESTRICT,
        position int NOT NULL CHECK (position >= 0),
        -- overrides the question's own points on this paper
        points numeric(6, 2) CHECK (points > 0 AND points <= 100),
        PRIMARY KEY (exam_id, question_id)
      )`);
    await db.query(`
      CREATE TABLE exam_draw_rules (
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 0),
        kind text NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false', 'fill_blank', 'short_answer')),
        topic text,
        course_id uuid REFERENCES courses(id) ON DELETE RESTRICT,
        difficulty smallint CHECK (difficulty BETWEEN 1 AND 5),
        count int NOT NULL CHECK (count BETWEEN 1 AND 200),
        points numeric(6, 2) CHECK (points > 0 AND points <= 100),
        PRIMARY KEY (exam_id, position)
      )`);
    await db.query(`
      CREATE TABLE exam_units (
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        PRIMARY KEY (exam_id, org_unit_id)
      )`);
    await db.query(`
      CREATE TABLE exam_categories (
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
        category text NOT NULL REFERENCES member_categories(code) ON UPDATE CASCADE ON DELETE RESTRICT,
        PRIMARY KEY (exam_id, category)
      )`);
    await db.query(`
      CREATE TABLE exam_positions (
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
        position_code text NOT NULL REFERENCES position_kinds(code) ON DELETE RESTRICT,
        PRIMARY KEY (exam_id, position_code)
      )`);
    await db.query(`
      CREATE TABLE exam_classes (
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
        class_id uuid NOT NULL REFERENCES training_classes(id) ON DELETE RESTRICT,
        PRIMARY KEY (exam_id, class_id)
      )`);

    await db.query(`
      CREATE TABLE exam_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        number int NOT NULL CHECK (number >= 1),
        -- SHA-256 of the device key that started the attempt; saves and submits from any other are refused
        device_hash text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        -- the server's clock: start + time limit, or the window's close if sooner
        deadline_at timestamptz NOT NULL,
        -- the questions as given, in the member's order, with their answers (server side only)
        paper jsonb NOT NULL,
        max_score numeric(8, 2) NOT NULL CHECK (max_score > 0),
        status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'grading', 'graded', 'voided')),
        submitted_at timestamptz,
        submit_reason text CHECK (submit_reason IN ('member', 'time_out')),
        -- objective questions' points, set at submission
        auto_score numeric(8, 2),
        -- the final score, once every short answer is graded
        score numeric(8, 2),
        passed boolean,
        graded_at timestamptz,
        voided_at timestamptz,
        voided_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        void_reason text CHECK (length(void_reason) BETWEEN 1 AND 1000),
        UNIQUE (exam_id, user_id, number),
        CHECK ((status = 'voided') = (voided_at IS NOT NULL)),
        CHECK (status = 'in_progress' OR status = 'voided' OR submitted_at IS NOT NULL)
      )`);
    await db.query(`CREATE UNIQUE INDEX exam_attempts_one_open ON exam_attempts (exam_id, user_id) WHERE status = 'in_progress'`);
    await db.query(`CREATE INDEX exam_attempts_deadline ON exam_attempts (deadline_at) WHERE status = 'in_progress'`);
    await db.query(`CREATE INDEX exam_attempts_user ON exam_attempts (user_id, exam_id)`);
    await db.query(`CREATE INDEX exam_attempts_grading ON exam_attempts (exam_id) WHERE status = 'grading'`);

    await db.query(`
      CREATE TABLE exam_answers (
        attempt_id uuid NOT NULL REFERENCES exam_attempts(id) ON DELETE RESTRICT,
        -- the question's index in the attempt's paper
        item int NOT NULL CHECK (item >= 0),
        answer jsonb NOT NULL,
        -- how many times this answer was saved; a save names the revision it replaces, so a late retry never wins
        revision int NOT NULL DEFAULT 1 CHECK (revision >= 1),
        saved_at timestamptz NOT NULL DEFAULT now(),
        points numeric(6, 2),
        grader_comment text CHECK (length(grader_comment) <= 2000),
        graded_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        graded_at timestamptz,
        PRIMARY KEY (attempt_id, item)
      )`);

    await db.query(`
      CREATE TABLE exam_attempt_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        attempt_id uuid NOT NULL REFERENCES exam_attempts(id) ON DELETE RESTRICT,
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL CHECK (kind IN ('started', 'resumed', 'saved', 'refused', 'submitted', 'timed_out', 'graded', 'voided')),
        actor_id uuid REFERENCES users(id) ON DELETE RESTRICT,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX exam_attempt_events_attempt ON exam_attempt_events (attempt_id, id)`);

    await db.query(`
      CREATE TABLE exam_extra_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        granted_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
        granted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX exam_extra_attempts_member ON exam_extra_attempts (exam_id, user_id)`);

    // What people did in an exam is kept: attempts and answers may change as the sitting goes on and is
    // graded, but never disappear; the audit trail and the grants are written once.
    await db.query(`
      CREATE FUNCTION exam_records_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are kept: void an attempt instead of deleting it', TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    for (const table of ['exam_attempts', 'exam_answers']) {
      await db.query(`CREATE TRIGGER ${table}_keep BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION exam_records_keep()`);
    }
    for (const table of ['exam_attempt_events', 'exam_extra_attempts']) {
      await db.query(`CREATE TRIGGER ${table}_keep BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION exam_records_keep()`);
    }

    await db.query(`
      CREATE TABLE study_plan_exams (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        exam_id uuid NOT NULL REFERENCES exams(id) ON DELETE RESTRICT,
        PRIMARY KEY (plan_id, exam_id)
      )`);
    await db.query(`CREATE INDEX study_plan_exams_exam ON study_plan_exams (exam_id)`);
    // A closed plan's exam results, frozen with its hours: [{ examId, title, passed, score, maxScore, percent }].
    await db.query(`ALTER TABLE study_plan_results ADD COLUMN exams jsonb NOT NULL DEFAULT '[]'`);
    await db.query(`ALTER TABLE study_plan_results ADD COLUMN exams_missing integer NOT NULL DEFAULT 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE study_plan_results DROP COLUMN exams_missing`);
    await db.query(`ALTER TABLE study_plan_results DROP COLUMN exams`);
    for (const table of [
      'study_plan_exams',
      'exam_extra_attempts',
      'exam_attempt_events',
      'exam_answers',
      'exam_attempts',
      'exam_classes',
      'exam_positions',
      'exam_categories',
      'exam_units',
      'exam_draw_rules',
      'exam_fixed_items',
      'exams',
      'exam_question_imports',
      'exam_questions',
      'exam_images',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP FUNCTION exam_records_keep()`);
  }
}
