import { ApiError } from '../../api/api.js';
import type { ExamQuestionRow } from '../../api/exam-admin.js';
import { errorKey } from '../../i18n/error-key.js';
import type { Language } from '../../i18n/index.js';
import type { useT } from '../../i18n/use-t.js';

type T = ReturnType<typeof useT>['t'];

const id = encodeURIComponent;

/** Addresses of the grading and exam report pages, so links and routes agree. */
export const examAdminPaths = {
  grading: '/grading',
  question: (examId: string, questionId: string) => `/grading/exams/${id(examId)}/questions/${id(questionId)}`,
  reports: '/reports/exams',
  report: (examId: string) => `/reports/exams/${id(examId)}`,
  audit: (attemptId: string, examId?: string) => `/reports/attempts/${id(attemptId)}${examId ? `?exam=${id(examId)}` : ''}`,
};

/** A moment with date and time in the reader's language and time zone: "2026年12月4日 14:05". */
export function dateTime(iso: string | null, lang: Language, seconds = false): string {
  if (!iso) return '';
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' }).format(value);
}

/** Points as a person writes them: "5", "2.5". */
export function pointsText(value: number, lang: Language): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value);
}

/** A 0..100 figure with one decimal. */
export function percent(value: number | null, lang: Language): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)}%`;
}

/** What went wrong, with the server's own sentence when it gives one that says what to do. */
export function failureText(failure: unknown, t: T): string {
  const base = t(errorKey(failure));
  if (failure instanceof ApiError && [400, 403, 409, 422].includes(failure.status) && failure.message) {
    return `${base} ${t('errors.details', { message: failure.message })}`;
  }
  return base;
}

/** A score is whole or half points between 0 and `max`. */
export function parseScore(text: string, max: number): number | null {
  const value = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > max) return null;
  return Math.abs(value * 2 - Math.round(value * 2)) < 1e-9 ? value : null;
}

/** Half of `points`, rounded down to whole or half points. */
export const halfOf = (points: number) => Math.floor(points) / 2;
/** Lowest share of full marks first (then lowest average); questions nobody answered go last. */
export function worstFirst<Row extends Pick<ExamQuestionRow, 'correctShare' | 'averageShare' | 'stem'>>(questions: Row[]): Row[] {
  const rank = (value: number | null) => (value === null ? Number.POSITIVE_INFINITY : value);
  return [...questions].sort(
    (a, b) => rank(a.correctShare) - rank(b.correctShare) || rank(a.averageShare) - rank(b.averageShare) || a.stem.localeCompare(b.stem),
  );
}
