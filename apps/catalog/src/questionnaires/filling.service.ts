import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '#auth';
import {
  answerIssues,
  type MyQuestionnaireState,
  type MyQuestionnaireView,
  type QuestionnaireAnswer,
  type QuestionnaireAnswers,
  type QuestionnaireQuestion,
  type QuestionnaireToFill,
} from '#contracts';
import { inQuestionnaireAudience } from './questionnaire-audience.sql.js';
import { answerMessages } from './questionnaire-messages.js';
import { questionsOf } from './questionnaires.service.js';

interface MineRow {
  id: string;
  title: string;
  intro: string;
  anonymous: boolean;
  status: string;
  opens_at: Date;
  closes_at: Date;
  responded: boolean;
  saved_at: Date | null;
  answers: QuestionnaireAnswers | null;
}

/** Questionnaires of `$1` (the member) they are in the audience of, with their draft and whether they responded. */
const MINE = `
  SELECT q.id, q.title, q.intro, q.anonymous, q.status, q.opens_at, q.closes_at,
         EXISTS (SELECT 1 FROM questionnaire_respondents r WHERE r.questionnaire_id = q.id AND r.user_id = u.id) AS responded,
         d.saved_at, d.answers
    FROM users u JOIN org_units o ON o.id = u.org_unit_id
    CROSS JOIN questionnaires q
    LEFT JOIN questionnaire_drafts d ON d.questionnaire_id = q.id AND d.user_id = u.id
   WHERE u.id = $1 AND u.active AND ${inQuestionnaireAudience('q.id', 'u', 'o')}`;

const stateOf = (row: MineRow): MyQuestionnaireState => (row.responded ? 'submitted' : row.saved_at ? 'draft' : 'new');
const isOpen = (row: MineRow, now = Date.now()) => row.status === 'open' && row.opens_at.getTime() <= now && now < row.closes_at.getTime();

/**
 * Members filling questionnaires in: their open questionnaires, a draft saved and resumed, and one submission
 * each. An anonymous questionnaire's response keeps no member id and no time, and its respondents are
 * rewritten in member-id order on every submission so that nothing in the database orders them by when they
 * answered (see the questionnaires migration). The draft is deleted in the same transaction.
 */
@Injectable()
export class FillingService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Open questionnaires the member is in the audience of, soonest closing first. */
  async mine(principal: Principal): Promise<MyQuestionnaireView[]> {
    const rows: MineRow[] = await this.db.query(
      `${MINE} AND q.status = 'open' AND q.opens_at <= now() AND q.closes_at > now() ORDER BY q.closes_at, q.id`,
      [principal.userId],
    );
    return rows.map((r) => ({ id: r.id, title: r.title, closesAt: r.closes_at.toISOString(), anonymous: r.anonymous, state: stateOf(r) }));
  }

  async one(principal: Principal, id: string): Promise<QuestionnaireToFill> {
    const row = await this.row(this.db.manager, principal, id);
    if (row.status === 'draft' || row.status === 'archived') throw notFound();
    const state = stateOf(row);
    return {
      id: row.id,
      title: row.title,
      intro: row.intro,
      anonymous: row.anonymous,
      opensAt: row.opens_at.toISOString(),
      closesAt: row.closes_at.toISOString(),
      questions: await questionsOf(this.db, id),
      open: isOpen(row),
      state,
      answers: state === 'draft' ? (row.answers ?? {}) : {},
      savedAt: state === 'draft' ? (row.saved_at?.toISOString() ?? null) : null,
    };
  }

  /** Keeps a half-filled questionnaire to come back to; answers are checked only against the questions' ids. */
  async saveDraft(principal: Principal, id: string, answers: QuestionnaireAnswers): Promise<{ savedAt: string }> {
    const row = await this.row(this.db.manager, principal, id);
    assertFillable(row);
    const known = new Set((await questionsOf(this.db, id)).map((q) => q.id));
    const unknown = Object.keys(answers).filter((k) => !known.has(k));
    if (unknown.length) {
      throw new BadRequestException(`answers: ${unknown.length} answer(s) are for questions not in this questionnaire; reload the page.`);
    }
    const [saved]: Array<{ saved_at: Date }> = await this.db.query(
      `INSERT INTO questionnaire_drafts (questionnaire_id, user_id, answers) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (questionnaire_id, user_id) DO UPDATE SET answers = EXCLUDED.answers, saved_at = now()
       RETURNING saved_at`,
      [id, principal.userId, JSON.stringify(answers)],
    );
    return { savedAt: saved!.saved_at.toISOString() };
  }

  /** Records the member's answers once; a second submission is refused with 409. */
  async submit(principal: Principal, id: string, answers: QuestionnaireAnswers): Promise<{ state: 'submitted' }> {
    const questions = await questionsOf(this.db, id);
    const number = new Map(questions.map((q, i) => [q.id, i + 1]));
    const issues = answerIssues(questions, answers);
    await this.db.transaction(async (tx) => {
      // One submission at a time per questionnaire: the anonymous rewrite of its respondents needs it, and the
      // status and window are judged under the lock.
      await tx.query(`SELECT 1 FROM questionnaires WHERE id = $1 FOR NO KEY UPDATE`, [id]);
      const row = await this.row(tx, principal, id);
      if (row.responded) {
        throw new ConflictException('You have already answered this questionnaire. Each member answers once; thank you.');
      }
      assertFillable(row);
      if (issues.length) {
        const errors = answerMessages(issues, (q) => number.get(q));
        throw new BadRequestException({ statusCode: 400, message: errors.join(' '), errors });
      }
      const [member]: Array<{ org_unit_id: string; category: string | null }> = await tx.query(
        `SELECT org_unit_id, category FROM users WHERE id = $1`,
        [principal.userId],
      );
      if (row.anonymous) await addAnonymousRespondent(tx, id, principal.userId);
      else {
        await tx.query(`INSERT INTO questionnaire_respondents (questionnaire_id, user_id, responded_at) VALUES ($1, $2, now())`, [
          id,
          principal.userId,
        ]);
      }
      const [response]: Array<{ id: string }> = await tx.query(
        `INSERT INTO questionnaire_responses (questionnaire_id, org_unit_id, category, user_id, submitted_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [id, member!.org_unit_id, member!.category, row.anonymous ? null : principal.userId, row.anonymous ? null : new Date()],
      );
      await writeAnswers(tx, response!.id, questions, answers);
      // Drafts are not records: once submitted, nothing links the member to what they answered.
      await tx.query(`DELETE FROM questionnaire_drafts WHERE questionnaire_id = $1 AND user_id = $2`, [id, principal.userId]);
    });
    return { state: 'submitted' };
  }

  private async row(db: EntityManager, principal: Principal, id: string): Promise<MineRow> {
    const [row]: MineRow[] = await db.query(`${MINE} AND q.id = $2`, [principal.userId, id]);
    if (!row) throw notFound();
    return row;
  }
}

const notFound = () => new NotFoundException('No such questionnaire for you. It may not be meant for your unit or group.');

function assertFillable(row: MineRow): void {
  if (row.status === 'draft' || row.status === 'archived') throw notFound();
  if (row.responded) throw new ConflictException('You have already answered this questionnaire. Each member answers once; thank you.');
  if (!isOpen(row)) {
    throw new ConflictException(
      row.status === 'open' && Date.now() < row.opens_at.getTime()
        ? 'This questionnaire is not open yet. Come back when it opens.'
        : 'This questionnaire is closed and takes no more answers.',
    );
  }
}

/**
 * Adds the member to an anonymous questionnaire's respondents and writes every respondent row again, in
 * member-id order, in this one transaction: afterwards all rows carry the same transaction id and lie in
 * member-id order, so neither tells who answered when (nor which response is whose).
 */
async function addAnonymousRespondent(tx: EntityManager, id: string, userId: string): Promise<void> {
  await tx.query(`SELECT set_config('lectern.respondents_rewrite', 'on', true)`);
  const gone: Array<{ user_id: string }> = await tx.query(`SELECT user_id FROM questionnaire_respondents WHERE questionnaire_id = $1`, [
    id,
  ]);
  await tx.query(`DELETE FROM questionnaire_respondents WHERE questionnaire_id = $1`, [id]);
  await tx.query(`SELECT set_config('lectern.respondents_rewrite', 'off', true)`);
  const all = [...gone.map((r) => r.user_id), userId];
  await tx.query(`INSERT INTO questionnaire_respondents (questionnaire_id, user_id) SELECT $1, u FROM unnest($2::uuid[]) u ORDER BY u`, [
    id,
    all,
  ]);
}

async function writeAnswers(tx: EntityManager, responseId: string, questions: QuestionnaireQuestion[], answers: QuestionnaireAnswers) {
  for (const q of questions) {
    const a: QuestionnaireAnswer | undefined = answers[q.id];
    if (!a) continue;
    const text = a.text?.trim() || null;
    const other = a.otherText?.trim() || null;
    const has = (a.optionIds?.length ?? 0) > 0 || a.rating !== undefined || (a.ranking?.length ?? 0) > 0 || text !== null;
    if (!has) continue;
    await tx.query(
      `INSERT INTO questionnaire_answers (response_id, question_id, option_ids, other_text, rating, ranking, text)
       VALUES ($1, $2, $3::text[], $4, $5, $6::text[], $7)`,
      [responseId, q.id, a.optionIds?.length ? a.optionIds : null, other, a.rating ?? null, a.ranking?.length ? a.ranking : null, text],
    );
  }
}
