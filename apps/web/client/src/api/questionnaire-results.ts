import { request } from './api.js';
import type {
  BreakdownBy,
  BreakdownGroup,
  NonRespondent,
  NonRespondentPage,
  QuestionnaireResults,
  QuestionTally,
  ReminderResult,
  ResponseRates,
  QuestionnaireResultQuestion,
  TextAnswer,
  TextAnswerPage,
  UnitResponseRate,
} from '#contracts';

export type {
  BreakdownBy,
  BreakdownGroup,
  NonRespondent,
  NonRespondentPage,
  QuestionnaireResults,
  QuestionTally,
  ReminderResult,
  ResponseRates,
  QuestionnaireResultQuestion,
  TextAnswer,
  TextAnswerPage,
  UnitResponseRate,
};

/** Words searched for in written answers: the server takes at most this many characters. */
export const SEARCH_MAX = 50;
export const TEXT_PAGE_SIZE = 20;
export const PENDING_PAGE_SIZE = 50;

const base = (id: string) => `/api/questionnaire-results/${encodeURIComponent(id)}`;

const withQuery = (path: string, params: Record<string, string | number | undefined>) => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
};

/** The endpoints, also used for the CSV and XLSX files (the export buttons add `format` and `lang`). */
export const questionnaireResultPaths = {
  results: (id: string, by: BreakdownBy, unitId?: string) => withQuery(base(id), { by, unitId }),
  answers: (id: string, questionId: string, filter: { unitId?: string; q?: string }) =>
    withQuery(`${base(id)}/questions/${encodeURIComponent(questionId)}/answers`, { unitId: filter.unitId, q: filter.q }),
  rates: (id: string, unitId?: string) => withQuery(`${base(id)}/rates`, { unitId }),
  pending: (id: string, unitId?: string) => withQuery(`${base(id)}/pending`, { unitId }),
};

const withLang = (path: string, lang: string, extra: Record<string, string | number> = {}) => {
  const url = new URL(path, location.origin);
  url.searchParams.set('lang', lang);
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, String(value));
  return url.pathname + url.search;
};

export function questionnaireResults(id: string, by: BreakdownBy, lang: string, unitId?: string): Promise<QuestionnaireResults> {
  return request('GET', withLang(questionnaireResultPaths.results(id, by, unitId), lang));
}

export function textAnswers(
  id: string,
  questionId: string,
  filter: { unitId?: string; q?: string },
  lang: string,
  page = 1,
): Promise<TextAnswerPage> {
  return request('GET', withLang(questionnaireResultPaths.answers(id, questionId, filter), lang, { page, limit: TEXT_PAGE_SIZE }));
}

export function responseRates(id: string, lang: string, unitId?: string): Promise<ResponseRates> {
  return request('GET', withLang(questionnaireResultPaths.rates(id, unitId), lang));
}

export function nonRespondents(id: string, lang: string, unitId?: string, page = 1): Promise<NonRespondentPage> {
  return request('GET', withLang(questionnaireResultPaths.pending(id, unitId), lang, { page, limit: PENDING_PAGE_SIZE }));
}

/** One in-app notice to each member under the unit who has not answered yet. */
export function sendReminders(id: string, unitId?: string): Promise<ReminderResult> {
  return request('POST', `${base(id)}/reminders`, unitId ? { unitId } : {});
}
