import type { MemberAnswer, QuestionAnswerKey, QuestionOption } from '#contracts';
import type { Language } from '../../i18n/index.js';

/** A moment in the reader's language and time zone: "2026年12月4日 14:30". */
export function dateTime(iso: string, lang: Language): string {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(value);
}

/** Time left as "mm:ss", or "h:mm:ss" from an hour up. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** Options are labelled A, B, C by their place on the member's paper, whatever their stored keys. */
export const positionLetter = (index: number) => String.fromCharCode(65 + index);

/** The position letters of `keys` on this paper, in paper order: "A、C". */
export function keysText(options: QuestionOption[], keys: string[], separator: string): string {
  return options
    .map((option, index) => (keys.includes(option.key) ? `${positionLetter(index)}. ${option.text}` : null))
    .filter((text): text is string => text !== null)
    .join(separator);
}

export interface AnswerWords {
  true: string;
  false: string;
  separator: string;
}

/** A member's answer as words; null when nothing was given. */
export function answerText(options: QuestionOption[], answer: MemberAnswer | null, words: AnswerWords): string | null {
  if (!answer) return null;
  if ('keys' in answer) return answer.keys.length ? keysText(options, answer.keys, words.separator) : null;
  if ('value' in answer) return answer.value ? words.true : words.false;
  if ('blanks' in answer) return answer.blanks.some((b) => b.trim()) ? answer.blanks.map((b) => b || '—').join(words.separator) : null;
  return answer.text.trim() ? answer.text : null;
}

/** The correct answer as words (the first accepted text of each blank; the others in `alternatives`). */
export function keyText(options: QuestionOption[], key: QuestionAnswerKey, words: AnswerWords): string {
  if ('keys' in key) return keysText(options, key.keys, words.separator);
  if ('value' in key) return key.value ? words.true : words.false;
  if ('blanks' in key) return key.blanks.map((accepted) => accepted[0] ?? '').join(words.separator);
  return key.reference;
}
