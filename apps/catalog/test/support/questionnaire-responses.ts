import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * A questionnaire with its four kinds of question and members' responses, written as submitting them stores
 * them: a respondent row, and a response carrying the member's unit and category at submission (naming the
 * member and the time only when the questionnaire is not anonymous) with its answers.
 */

export const OPTIONS = {
  want: [
    { id: 'yes', label: '希望多参加培训' },
    { id: 'no', label: '目前足够' },
    { id: 'other', label: '其他', other: true },
  ],
  topics: [
    { id: 'policy', label: '政策解读' },
    { id: 'tech', label: '实用技术' },
    { id: 'history', label: '党史' },
  ],
};

export interface SeededQuestionnaire {
  id: string;
  questions: { want: string; rating: string; topics: string; wish: string };
}

export interface SeedAnswer {
  want: 'yes' | 'no' | 'other';
  other?: string;
  rating: number;
  topics: string[];
  wish?: string;
}

export async function createQuestionnaire(
  db: DataSource,
  options: { title: string; anonymous: boolean; ownerPath?: string; audiencePaths?: string[]; status?: string },
): Promise<SeededQuestionnaire> {
  const [owner] = await db.query(`SELECT id FROM org_units WHERE path = $1`, [options.ownerPath ?? 'committee']);
  const [creator] = await db.query(`SELECT id FROM users WHERE login = 'admin'`);
  const [{ id }] = await db.query(
    `INSERT INTO questionnaires (owner_unit_id, title, anonymous, status, opens_at, closes_at, created_by, opened_at)
     VALUES ($1, $2, $3, $4, now() - interval '1 day', now() + interval '10 days', $5, now()) RETURNING id`,
    [owner.id, options.title, options.anonymous, options.status ?? 'open', creator.id],
  );
  for (const path of options.audiencePaths ?? ['committee']) {
    await db.query(`INSERT INTO questionnaire_units (questionnaire_id, org_unit_id) SELECT $1, id FROM org_units WHERE path = $2`, [
      id,
      path,
    ]);
  }
  const questions = { want: randomUUID(), rating: randomUUID(), topics: randomUUID(), wish: randomUUID() };
  const rows: Array<[string, number, string, string, unknown[], number | null, number | null]> = [
    [questions.want, 0, 'single', '您希望多参加培训吗？', OPTIONS.want, null, null],
    [questions.rating, 1, 'rating', '您对目前的学习内容满意吗？', [], 1, 5],
    [questions.topics, 2, 'ranking', '请按需要程度排列这些主题', OPTIONS.topics, null, null],
    [questions.wish, 3, 'text', '您还想学什么？', [], null, null],
  ];
  for (const [qid, position, kind, prompt, opts, min, max] of rows) {
    await db.query(
      `INSERT INTO questionnaire_questions (id, questionnaire_id, position, kind, prompt, options, scale_min, scale_max)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
      [qid, id, position, kind, prompt, JSON.stringify(opts), min, max],
    );
  }
  return { id, questions };
}

/** `login` responds with `answer`, from their unit and category now. */
export async function respond(db: DataSource, questionnaire: SeededQuestionnaire, login: string, answer: SeedAnswer, anonymous: boolean) {
  const [user] = await db.query(`SELECT id, org_unit_id, category FROM users WHERE login = $1`, [login]);
  await db.query(`INSERT INTO questionnaire_respondents (questionnaire_id, user_id, responded_at) VALUES ($1, $2, $3)`, [
    questionnaire.id,
    user.id,
    anonymous ? null : new Date(),
  ]);
  const [{ id: responseId }] = await db.query(
    `INSERT INTO questionnaire_responses (questionnaire_id, org_unit_id, category, user_id, submitted_at)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [questionnaire.id, user.org_unit_id, user.category, anonymous ? null : user.id, anonymous ? null : new Date()],
  );
  const q = questionnaire.questions;
  await db.query(`INSERT INTO questionnaire_answers (response_id, question_id, option_ids, other_text) VALUES ($1, $2, $3, $4)`, [
    responseId,
    q.want,
    [answer.want],
    answer.want === 'other' ? (answer.other ?? '其他想法') : null,
  ]);
  await db.query(`INSERT INTO questionnaire_answers (response_id, question_id, rating) VALUES ($1, $2, $3)`, [
    responseId,
    q.rating,
    answer.rating,
  ]);
  await db.query(`INSERT INTO questionnaire_answers (response_id, question_id, ranking) VALUES ($1, $2, $3)`, [
    responseId,
    q.topics,
    answer.topics,
  ]);
  if (answer.wish) {
    await db.query(`INSERT INTO questionnaire_answers (response_id, question_id, text) VALUES ($1, $2, $3)`, [
      responseId,
      q.wish,
      answer.wish,
    ]);
  }
}

/** Active members under a unit, by login. */
export const membersUnder = async (
  db: DataSource,
  path: string,
): Promise<Array<{ id: string; login: string; name: string; category: string | null }>> =>
  db.query(
    `SELECT u.id, u.login, u.name, u.category FROM users u JOIN org_units o ON o.id = u.org_unit_id
      WHERE u.role = 'member' AND u.active AND (o.path = $1 OR o.path LIKE $1 || '/%') ORDER BY u.login`,
    [path],
  );
