// Questionnaires on learning needs: authoring, filling in and results.

export type QuestionnaireStatus = 'draft' | 'open' | 'closed' | 'archived';
export type QuestionnaireQuestionKind = 'single' | 'multiple' | 'rating' | 'ranking' | 'text';

/** Length limits, shared by the server's checks and the pages' counters. */
export const QUESTIONNAIRE_LIMITS = {
  title: 200,
  intro: 2000,
  prompt: 500,
  optionLabel: 200,
  otherText: 200,
  scaleLabel: 50,
  text: 2000,
  questions: 200,
  options: 30,
} as const;

/** A choice of a single, multiple or ranking question. `other` makes it "other: ____", taking a line of text. */
export interface QuestionnaireOption {
  /** Unique within its question: letters, digits, `_` and `-`, at most 40. */
  id: string;
  label: string;
  other?: boolean;
}

/** Show a question only when an earlier single or multiple question was answered with one of these options. */
export interface QuestionCondition {
  questionId: string;
  optionIds: string[];
}

export interface QuestionnaireQuestion {
  /** A uuid; a page makes one for a new question so that later questions' conditions can name it. */
  id: string;
  kind: QuestionnaireQuestionKind;
  prompt: string;
  required: boolean;
  /** Single, multiple and ranking: at least two; empty for rating and text. Ranking takes no "other". */
  options: QuestionnaireOption[];
  /** Rating only: the scale, 0 or 1 up to 2..10, with optional words for its ends. */
  scale: { min: number; max: number; minLabel: string; maxLabel: string } | null;
  showIf: QuestionCondition | null;
}

export interface QuestionnaireAudience {
  unitIds: string[];
  categories: string[];
  positions: string[];
  classIds: string[];
}

/** What an editor sends to create (`POST /api/questionnaires`) or change (`PUT /api/questionnaires/:id`) one. */
export interface QuestionnaireInput {
  title: string;
  intro: string;
  anonymous: boolean;
  opensAt: string;
  closesAt: string;
  audience: QuestionnaireAudience;
  questions: QuestionnaireQuestion[];
}

/** A questionnaire as its editors see it (`GET /api/questionnaires/:id`). */
export interface QuestionnaireView extends QuestionnaireInput {
  id: string;
  status: QuestionnaireStatus;
  ownerUnit: { id: string; name: string };
  /** Members who have submitted. Once there is one, questions and anonymity are fixed. */
  respondentCount: number;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
  closedAt: string | null;
  archivedAt: string | null;
}

/** A row of the editors' list (`GET /api/questionnaires`), scoped to their subtree. */
export interface QuestionnaireSummary {
  id: string;
  title: string;
  anonymous: boolean;
  status: QuestionnaireStatus;
  opensAt: string;
  closesAt: string;
  ownerUnit: { id: string; name: string };
  questionCount: number;
  respondentCount: number;
  updatedAt: string;
}

export type QuestionnaireAction = 'open' | 'close' | 'archive';

// ---- filling in ------------------------------------------------------------------------------

/**
 * One answer. Single and multiple: `optionIds` (and `otherText` when the "other" option is chosen); rating:
 * `rating`; ranking: `ranking`, every option id, most wanted first; text: `text`.
 */
export interface QuestionnaireAnswer {
  optionIds?: string[];
  otherText?: string;
  rating?: number;
  ranking?: string[];
  text?: string;
}

/** Answers by question id. */
export type QuestionnaireAnswers = Record<string, QuestionnaireAnswer>;

export type MyQuestionnaireState = 'new' | 'draft' | 'submitted';

/** A row of `GET /api/my/questionnaires`: open questionnaires the member is in the audience of. */
export interface MyQuestionnaireView {
  id: string;
  title: string;
  closesAt: string;
  anonymous: boolean;
  state: MyQuestionnaireState;
}

/** `GET /api/my/questionnaires/:id`: the questionnaire to fill in, with the member's draft. */
export interface QuestionnaireToFill {
  id: string;
  title: string;
  intro: string;
  anonymous: boolean;
  opensAt: string;
  closesAt: string;
  questions: QuestionnaireQuestion[];
  /** Whether it takes answers now: open, and inside its window. */
  open: boolean;
  state: MyQuestionnaireState;
  /** The saved draft, or {} */
  answers: QuestionnaireAnswers;
  savedAt: string | null;
}

/** `PUT /api/my/questionnaires/:id/draft` and `POST /api/my/questionnaires/:id/submit` take `{ answers }`. */
export interface QuestionnaireAnswersInput {
  answers: QuestionnaireAnswers;
}

// ---- rules shared by the server and the pages -------------------------------------------------

type Conditional = Pick<QuestionnaireQuestion, 'id' | 'showIf'>;

/**
 * The questions shown for these answers, in order: a question with a condition shows when the question it
 * names is itself shown and was answered with one of the condition's options.
 */
export function visibleQuestionIds(questions: readonly Conditional[], answers: QuestionnaireAnswers): Set<string> {
  const shown = new Set<string>();
  for (const q of questions) {
    const c = q.showIf;
    if (!c) {
      shown.add(q.id);
      continue;
    }
    if (!shown.has(c.questionId)) continue;
    const chosen = answers[c.questionId]?.optionIds ?? [];
    if (chosen.some((id) => c.optionIds.includes(id))) shown.add(q.id);
  }
  return shown;
}

/** Whether an answer holds anything. */
export function isAnswered(answer: QuestionnaireAnswer | undefined): boolean {
  if (!answer) return false;
  return (
    (answer.optionIds?.length ?? 0) > 0 ||
    answer.rating !== undefined ||
    (answer.ranking?.length ?? 0) > 0 ||
    (answer.text?.trim().length ?? 0) > 0 ||
    (answer.otherText?.trim().length ?? 0) > 0
  );
}

/** Why one answer cannot be submitted, as a code the pages word and the server explains. */
export type AnswerProblem =
  | 'unknown_question'
  | 'hidden_answered'
  | 'required'
  | 'wrong_shape'
  | 'one_option'
  | 'unknown_option'
  | 'repeated_option'
  | 'other_text_missing'
  | 'other_text_unexpected'
  | 'other_text_too_long'
  | 'rating_out_of_scale'
  | 'ranking_incomplete'
  | 'text_too_long';

export interface AnswerIssue {
  questionId: string;
  problem: AnswerProblem;
}

const uniq = (xs: readonly string[]) => new Set(xs).size === xs.length;

function answerIssue(q: QuestionnaireQuestion, a: QuestionnaireAnswer): AnswerProblem | null {
  const fields = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const allowed: Record<QuestionnaireQuestionKind, string[]> = {
    single: ['optionIds', 'otherText'],
    multiple: ['optionIds', 'otherText'],
    rating: ['rating'],
    ranking: ['ranking'],
    text: ['text'],
  };
  if (fields.some((f) => !allowed[q.kind].includes(f))) return 'wrong_shape';
  const optionIds = new Set(q.options.map((o) => o.id));
  if (q.kind === 'single' || q.kind === 'multiple') {
    const chosen = a.optionIds ?? [];
    if (chosen.length === 0) return 'wrong_shape';
    if (q.kind === 'single' && chosen.length !== 1) return 'one_option';
    if (!uniq(chosen)) return 'repeated_option';
    if (chosen.some((id) => !optionIds.has(id))) return 'unknown_option';
    const other = q.options.find((o) => o.other);
    const otherChosen = other !== undefined && chosen.includes(other.id);
    const otherText = a.otherText?.trim() ?? '';
    if (otherChosen && !otherText) return 'other_text_missing';
    if (!otherChosen && a.otherText !== undefined) return 'other_text_unexpected';
    if (otherText.length > QUESTIONNAIRE_LIMITS.otherText) return 'other_text_too_long';
    return null;
  }
  if (q.kind === 'rating') {
    const r = a.rating;
    if (typeof r !== 'number' || !Number.isInteger(r) || !q.scale || r < q.scale.min || r > q.scale.max) {
      return 'rating_out_of_scale';
    }
    return null;
  }
  if (q.kind === 'ranking') {
    const ranking = a.ranking ?? [];
    if (!uniq(ranking)) return 'repeated_option';
    if (ranking.some((id) => !optionIds.has(id))) return 'unknown_option';
    if (ranking.length !== optionIds.size) return 'ranking_incomplete';
    return null;
  }
  const text = a.text?.trim() ?? '';
  if (!text) return 'wrong_shape';
  if (text.length > QUESTIONNAIRE_LIMITS.text) return 'text_too_long';
  return null;
}

/**
 * What stops these answers being submitted: answers to questions not in the questionnaire or hidden by their
 * conditions, required shown questions left empty, and answers that do not fit their question. Empty when
 * they may be submitted.
 */
export function answerIssues(questions: readonly QuestionnaireQuestion[], answers: QuestionnaireAnswers): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const shown = visibleQuestionIds(questions, answers);
  for (const id of Object.keys(answers)) {
    if (!byId.has(id)) issues.push({ questionId: id, problem: 'unknown_question' });
  }
  for (const q of questions) {
    const a = answers[q.id];
    if (!shown.has(q.id)) {
      if (isAnswered(a)) issues.push({ questionId: q.id, problem: 'hidden_answered' });
      continue;
    }
    if (!isAnswered(a)) {
      if (q.required) issues.push({ questionId: q.id, problem: 'required' });
      continue;
    }
    const problem = answerIssue(q, a!);
    if (problem) issues.push({ questionId: q.id, problem });
  }
  return issues;
}

/**
 * The answers to submit from what a member has entered: those of shown questions that hold anything, with
 * text trimmed; answers to questions a later change of mind has hidden are dropped.
 */
export function answersToSubmit(questions: readonly QuestionnaireQuestion[], answers: QuestionnaireAnswers): QuestionnaireAnswers {
  const shown = visibleQuestionIds(questions, answers);
  const out: QuestionnaireAnswers = {};
  for (const q of questions) {
    const a = answers[q.id];
    if (!shown.has(q.id) || !isAnswered(a)) continue;
    const kept: QuestionnaireAnswer = {};
    if (a!.optionIds?.length) kept.optionIds = a!.optionIds;
    if (a!.otherText !== undefined) {
      const other = q.options.find((o) => o.other);
      if (other && a!.optionIds?.includes(other.id)) kept.otherText = a!.otherText.trim();
    }
    if (a!.rating !== undefined) kept.rating = a!.rating;
    if (a!.ranking?.length) kept.ranking = a!.ranking;
    if (a!.text !== undefined && a!.text.trim()) kept.text = a!.text.trim();
    out[q.id] = kept;
  }
  return out;
}

/** Why the questions cannot be saved, as a code and the question's place (0-based). */
export type QuestionProblem =
  | 'too_few_options'
  | 'too_many_options'
  | 'options_not_allowed'
  | 'option_repeated'
  | 'option_label_repeated'
  | 'other_twice'
  | 'other_on_ranking'
  | 'scale_missing'
  | 'scale_not_allowed'
  | 'scale_inverted'
  | 'question_repeated'
  | 'condition_unknown'
  | 'condition_not_earlier'
  | 'condition_not_choice'
  | 'condition_no_options'
  | 'condition_unknown_option';

export interface QuestionIssue {
  index: number;
  problem: QuestionProblem;
}

/** What is wrong with a questionnaire's questions as a whole; empty when they may be saved. */
export function questionIssues(questions: readonly QuestionnaireQuestion[]): QuestionIssue[] {
  const issues: QuestionIssue[] = [];
  const seen = new Map<string, number>();
  questions.forEach((q, index) => {
    const add = (problem: QuestionProblem) => issues.push({ index, problem });
    if (seen.has(q.id)) add('question_repeated');
    const choice = q.kind === 'single' || q.kind === 'multiple' || q.kind === 'ranking';
    if (choice) {
      if (q.options.length < 2) add('too_few_options');
      if (q.options.length > QUESTIONNAIRE_LIMITS.options) add('too_many_options');
      if (!uniq(q.options.map((o) => o.id))) add('option_repeated');
      if (!uniq(q.options.map((o) => o.label.trim().toLowerCase()))) add('option_label_repeated');
      const others = q.options.filter((o) => o.other).length;
      if (q.kind === 'ranking' && others > 0) add('other_on_ranking');
      else if (others > 1) add('other_twice');
    } else if (q.options.length > 0) {
      add('options_not_allowed');
    }
    if (q.kind === 'rating') {
      if (!q.scale) add('scale_missing');
      else if (q.scale.max <= q.scale.min) add('scale_inverted');
    } else if (q.scale) {
      add('scale_not_allowed');
    }
    if (q.showIf) {
      const target = seen.get(q.showIf.questionId);
      const later = questions.findIndex((x) => x.id === q.showIf!.questionId);
      if (target === undefined) add(later >= 0 ? 'condition_not_earlier' : 'condition_unknown');
      else {
        const earlier = questions[target]!;
        if (earlier.kind !== 'single' && earlier.kind !== 'multiple') add('condition_not_choice');
        else if (q.showIf.optionIds.length === 0) add('condition_no_options');
        else if (q.showIf.optionIds.some((id) => !earlier.options.some((o) => o.id === id))) add('condition_unknown_option');
      }
    }
    if (!seen.has(q.id)) seen.set(q.id, index);
  });
  return issues;
}
