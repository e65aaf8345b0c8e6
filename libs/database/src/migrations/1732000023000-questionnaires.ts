import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (questionnaires): questionnaires on learning needs, their audience, questions, drafts and
 * responses.
 *
 * - `questionnaires`: title, intro, window and status (draft, open, closed, archived), owned by the creator's
 *   unit. Never deleted: archived instead. `anonymous` cannot change once anyone has responded.
 * - `questionnaire_units`, `_categories`, `_positions`, `_classes`: the audience, targeted as plans and exams.
 * - `questionnaire_questions`: kind, prompt, options (each `{ id, label, other? }`, an "other" option takes a
 *   line of text), rating scale, and `show_if` naming an earlier choice question and the options that show it.
 * - `questionnaire_drafts`: a member's half-filled answers, deleted when they submit (drafts are not records).
 * - `questionnaire_respondents`: who has responded, so each member answers once. For an anonymous
 *   questionnaire it has no time at all, and each submission rewrites the questionnaire's rows in member-id
 *   order in one transaction, so neither their physical order nor their transaction ids tell who came when.
 * - `questionnaire_responses` and `questionnaire_answers`: what was answered, with the member's unit and
 *   category at submission (for breakdowns). For an anonymous questionnaire a trigger refuses a member id or
 *   a submission time on a response, even from raw SQL. Ids are random; there is no sequence.
 */
export class Questionnaires1732000023000 implements MigrationInterface {
  name = 'Questionnaires1732000023000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE questionnaires (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- the creator's unit: editors and admins over it see and change the questionnaire
        owner_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        intro text NOT NULL DEFAULT '' CHECK (length(intro) <= 2000),
        anonymous boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed', 'archived')),
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        opened_at timestamptz,
        closed_at timestamptz,
        archived_at timestamptz,
        CHECK (closes_at > opens_at)
      )`);
    await db.query(`CREATE INDEX questionnaires_owner ON questionnaires (owner_unit_id, created_at DESC)`);
    await db.query(`CREATE INDEX questionnaires_open ON questionnaires (closes_at) WHERE status = 'open'`);

    await db.query(`
      CREATE TABLE questionnaire_units (
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE CASCADE,
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        PRIMARY KEY (questionnaire_id, org_unit_id)
      )`);
    await db.query(`
      CREATE TABLE questionnaire_categories (
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE CASCADE,
        category text NOT NULL REFERENCES member_categories(code) ON UPDATE CASCADE ON DELETE RESTRICT,
        PRIMARY KEY (questionnaire_id, category)
      )`);
    await db.query(`
      CREATE TABLE questionnaire_positions (
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE CASCADE,
        position_code text NOT NULL REFERENCES position_kinds(code) ON DELETE RESTRICT,
        PRIMARY KEY (questionnaire_id, position_code)
      )`);
    await db.query(`
      CREATE TABLE questionnaire_classes (
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE CASCADE,
        class_id uuid NOT NULL REFERENCES training_classes(id) ON DELETE RESTRICT,
        PRIMARY KEY (questionnaire_id, class_id)
      )`);

    await db.query(`
      CREATE TABLE questionnaire_questions (
        id uuid PRIMARY KEY,
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE RESTRICT,
        position int NOT NULL CHECK (position BETWEEN 0 AND 199),
        kind text NOT NULL CHECK (kind IN ('single', 'multiple', 'rating', 'ranking', 'text')),
        prompt text NOT NULL CHECK (length(prompt) BETWEEN 1 AND 500),
        required boolean NOT NULL DEFAULT false,
        -- [{ "id": "o1", "label": "...", "other": true? }] for single, multiple and ranking; [] otherwise
        options jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
        scale_min smallint CHECK (scale_min BETWEEN 0 AND 1),
        scale_max smallint CHECK (scale_max BETWEEN 2 AND 10),
        min_label text CHECK (length(min_label) <= 50),
        max_label text CHECK (length(max_label) <= 50),
        -- { "questionId": "<an earlier single or multiple question>", "optionIds": ["o1"] } or null
        show_if jsonb CHECK (show_if IS NULL OR jsonb_typeof(show_if) = 'object'),
        UNIQUE (questionnaire_id, position) DEFERRABLE INITIALLY DEFERRED,
        CHECK ((kind = 'rating') = (scale_min IS NOT NULL AND scale_max IS NOT NULL))
      )`);

    await db.query(`
      CREATE TABLE questionnaire_drafts (
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        -- { "<question id>": QuestionnaireAnswer } as in #contracts
        answers jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
        saved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (questionnaire_id, user_id)
      )`);

    await db.query(`
      CREATE TABLE questionnaire_respondents (
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        -- when they responded; always null for an anonymous questionnaire (see the trigger below)
        responded_at timestamptz,
        PRIMARY KEY (questionnaire_id, user_id)
      )`);

    await db.query(`
      CREATE TABLE questionnaire_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE RESTRICT,
        -- the member's unit and category when they submitted, for breakdowns
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        category text REFERENCES member_categories(code) ON UPDATE CASCADE ON DELETE RESTRICT,
        -- set only for a questionnaire that is not anonymous (see the trigger below)
        user_id uuid REFERENCES users(id) ON DELETE RESTRICT,
        submitted_at timestamptz,
        CHECK ((user_id IS NULL) = (submitted_at IS NULL))
      )`);
    await db.query(`CREATE INDEX questionnaire_responses_of ON questionnaire_responses (questionnaire_id, org_unit_id)`);
    await db.query(
      `CREATE UNIQUE INDEX questionnaire_responses_named ON questionnaire_responses (questionnaire_id, user_id) WHERE user_id IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE questionnaire_answers (
        response_id uuid NOT NULL REFERENCES questionnaire_responses(id) ON DELETE RESTRICT,
        question_id uuid NOT NULL REFERENCES questionnaire_questions(id) ON DELETE RESTRICT,
        -- single and multiple: the chosen option ids
        option_ids text[],
        -- the text of a chosen "other" option
        other_text text CHECK (length(other_text) BETWEEN 1 AND 200),
        rating smallint CHECK (rating BETWEEN 0 AND 10),
        -- ranking: every option id, most wanted first
        ranking text[],
        text text CHECK (length(text) BETWEEN 1 AND 2000),
        PRIMARY KEY (response_id, question_id)
      )`);
    await db.query(`CREATE INDEX questionnaire_answers_question ON questionnaire_answers (question_id)`);

    // An anonymous questionnaire's responses name nobody and carry no time; its respondents carry no time.
    await db.query(`
      CREATE FUNCTION questionnaire_responses_anonymity() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE anon boolean;
      BEGIN
        SELECT anonymous INTO anon FROM questionnaires WHERE id = NEW.questionnaire_id;
        IF anon AND (NEW.user_id IS NOT NULL OR NEW.submitted_at IS NOT NULL) THEN
          RAISE EXCEPTION 'questionnaire % is anonymous: a response keeps no member and no time', NEW.questionnaire_id
            USING ERRCODE = 'check_violation';
        END IF;
        IF NOT anon AND NEW.user_id IS NULL THEN
          RAISE EXCEPTION 'questionnaire % is not anonymous: a response names its member', NEW.questionnaire_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER questionnaire_responses_anonymity BEFORE INSERT OR UPDATE ON questionnaire_responses
        FOR EACH ROW EXECUTE FUNCTION questionnaire_responses_anonymity()`);
    await db.query(`
      CREATE FUNCTION questionnaire_respondents_anonymity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.responded_at IS NOT NULL
           AND (SELECT anonymous FROM questionnaires WHERE id = NEW.questionnaire_id) THEN
          RAISE EXCEPTION 'questionnaire % is anonymous: a respondent keeps no time', NEW.questionnaire_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER questionnaire_respondents_anonymity BEFORE INSERT OR UPDATE ON questionnaire_respondents
        FOR EACH ROW EXECUTE FUNCTION questionnaire_respondents_anonymity()`);

    // Anonymity is fixed once anyone has responded.
    await db.query(`
      CREATE FUNCTION questionnaires_anonymity_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.anonymous IS DISTINCT FROM OLD.anonymous
           AND EXISTS (SELECT 1 FROM questionnaire_respondents WHERE questionnaire_id = OLD.id) THEN
          RAISE EXCEPTION 'questionnaire % has responses: whether it is anonymous can no longer change', OLD.id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER questionnaires_anonymity_fixed BEFORE UPDATE OF anonymous ON questionnaires
        FOR EACH ROW EXECUTE FUNCTION questionnaires_anonymity_fixed()`);

    // Responses are kept. Respondents are kept too; only the anonymous rewrite (which puts every row back in
    // the same transaction) may delete them.
    await db.query(`
      CREATE FUNCTION questionnaire_records_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'questionnaire_respondents'
           AND current_setting('lectern.respondents_rewrite', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% rows are kept: archive the questionnaire instead of deleting them', TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    for (const table of ['questionnaires', 'questionnaire_respondents', 'questionnaire_responses', 'questionnaire_answers']) {
      await db.query(`CREATE TRIGGER ${table}_keep BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION questionnaire_records_keep()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'questionnaire_answers',
      'questionnaire_responses',
      'questionnaire_respondents',
      'questionnaire_drafts',
      'questionnaire_questions',
      'questionnaire_classes',
      'questionnaire_positions',
      'questionnaire_categories',
      'questionnaire_units',
      'questionnaires',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    for (const fn of [
      'questionnaire_records_keep',
      'questionnaires_anonymity_fixed',
      'questionnaire_respondents_anonymity',
      'questionnaire_responses_anonymity',
    ]) {
      await db.query(`DROP FUNCTION ${fn}()`);
    }
  }
}
