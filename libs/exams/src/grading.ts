import type { MemberAnswer, QuestionAnswerKey } from '#contracts';
import { fromHundredths, round2, toHundredths } from './numbers.js';
import type { ItemGrade, MultipleScoring, PaperItem } from './types.js';

/** Longest text accepted for one blank of a fill-in-the-blank question. */
export const MAX_BLANK_LENGTH = 500;
/** Longest text accepted for a short answer. */
export const MAX_SHORT_ANSWER_LENGTH = 10_000;

export type AnswerValidation = { ok: true; answer: MemberAnswer } | { ok: false; error: string };

/**
 * The form a blank's text is compared in: Unicode NFKC (full-width letters, digits and punctuation become
 * their half-width forms, so "ＡＢＣ，１" equals "abc,1"), trimmed, inner runs of whitespace collapsed to
 * one space, and lower-cased. Punctuation that NFKC leaves alone (such as "。" and "、") stays distinct.
 */
export function normaliseBlank(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** How many blanks a question's key has (0 for any other kind of key). */
export function blankCount(key: QuestionAnswerKey): number {
  return 'blanks' in key && Array.isArray(key.blanks) ? key.blanks.length : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionList(item: PaperItem): string {
  return item.options.map((option) => option.key).join(', ');
}

/**
 * Checks a member's answer against the shape its question's kind needs and returns a clean copy (only the
 * expected field; multiple-choice keys sorted):
 * - single: `{ keys: [k] }`, exactly one key that is one of the question's options;
 * - multiple: `{ keys: [...] }`, at least one key, no key twice, each one of the question's options;
 * - true_false: `{ value: true | false }`;
 * - fill_blank: `{ blanks: [...] }`, exactly one text per blank of the key, each at most 500 characters;
 * - short_answer: `{ text }`, at most 10,000 characters.
 * Errors are sentences that say what to send instead.
 */
export function validateAnswer(item: PaperItem, answer: unknown): AnswerValidation {
  const fail = (error: string): AnswerValidation => ({ ok: false, error });
  if (!isRecord(answer)) return fail('Send the answer as an object, for example { "keys": ["A"] } for a choice question.');
  switch (item.kind) {
    case 'single': {
      const keys = answer.keys;
      if (!Array.isArray(keys) || keys.length !== 1 || typeof keys[0] !== 'string') {
        return fail(`Send { "keys": [one option key] } with exactly one of the keys ${optionList(item)}.`);
      }
      const chosen = keys[0];
      if (!item.options.some((option) => option.key === chosen)) {
        return fail(`Choose one of the keys ${optionList(item)}; "${chosen}" is not an option of this question.`);
      }
      return { ok: true, answer: { keys: [chosen] } };
    }
    case 'multiple': {
      const keys = answer.keys;
      if (!Array.isArray(keys) || keys.length === 0 || keys.some((key) => typeof key !== 'string')) {
        return fail(`Send { "keys": [...] } with at least one of the keys ${optionList(item)}.`);
      }
      const chosen = keys as string[];
      if (new Set(chosen).size !== chosen.length) {
        return fail('Send each chosen key once; the answer lists a key more than once.');
      }
      const unknown = chosen.find((key) => !item.options.some((option) => option.key === key));
      if (unknown !== undefined) {
        return fail(`Choose among the keys ${optionList(item)}; "${unknown}" is not an option of this question.`);
      }
      return { ok: true, answer: { keys: [...chosen].sort() } };
    }
    case 'true_false': {
      if (typeof answer.value !== 'boolean') return fail('Send { "value": true } or { "value": false }.');
      return { ok: true, answer: { value: answer.value } };
    }
    case 'fill_blank': {
      const expected = blankCount(item.key);
      const blanks = answer.blanks;
      if (!Array.isArray(blanks) || blanks.length !== expected || blanks.some((text) => typeof text !== 'string')) {
        return fail(
          `Send { "blanks": [...] } with exactly ${expected} text${expected === 1 ? '' : 's'}, one per blank (an empty text for a blank left open).`,
        );
      }
      const texts = blanks as string[];
      const tooLong = texts.findIndex((text) => text.length > MAX_BLANK_LENGTH);
      if (tooLong >= 0) {
        return fail(`Shorten blank ${tooLong + 1} to at most ${MAX_BLANK_LENGTH} characters.`);
      }
      return { ok: true, answer: { blanks: [...texts] } };
    }
    case 'short_answer': {
      if (typeof answer.text !== 'string') return fail('Send { "text": "..." } with the answer as text.');
      if (answer.text.length > MAX_SHORT_ANSWER_LENGTH) {
        return fail(`Shorten the answer to at most ${MAX_SHORT_ANSWER_LENGTH.toLocaleString('en')} characters.`);
      }
      return { ok: true, answer: { text: answer.text } };
    }
    default:
      return fail('This question cannot be answered: its kind is unknown.');
  }
}

function keysOf(value: MemberAnswer | QuestionAnswerKey): string[] | null {
  return 'keys' in value && Array.isArray(value.keys) ? value.keys : null;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((key) => right.has(key));
}

const ZERO: ItemGrade = { points: 0, correct: false };

/**
 * Grades one answer. The rules:
 * - no answer: 0 points, not correct; a short answer is never graded here: `{ points: null, correct: null }`
 *   (answered or not), a person grades it;
 * - single and true_false: the item's full points for the right key/value, else 0;
 * - fill_blank: each blank is worth `points / blanks`; a blank is right when its normalised text
 *   ({@link normaliseBlank}) equals the normalised text of any accepted answer of that blank (an empty text is
 *   never right); the total is rounded to 0.01; correct only when every blank is right;
 * - multiple, `all_or_nothing`: full points only for exactly the key's set of keys, else 0;
 * - multiple, `partial`: choosing ANY key that is not in the key gives 0; otherwise
 *   `points × (right keys chosen / keys in the key)`, rounded DOWN to 0.01; correct only for exactly the key's
 *   set (which gives full points).
 * An answer of the wrong shape for the kind scores 0. Points never exceed the item's points nor fall below 0.
 */
export function gradeAnswer(item: PaperItem, answer: MemberAnswer | null, scoring: MultipleScoring): ItemGrade {
  if (item.kind === 'short_answer') return { points: null, correct: null };
  if (answer === null || answer === undefined) return ZERO;
  const full: ItemGrade = { points: Math.max(0, item.points), correct: true };
  switch (item.kind) {
    case 'single': {
      const chosen = keysOf(answer);
      const right = keysOf(item.key);
      if (!chosen || !right || chosen.length !== 1 || right.length === 0) return ZERO;
      return sameSet(chosen, right) ? full : ZERO;
    }
    case 'true_false': {
      if (!('value' in answer) || !('value' in item.key)) return ZERO;
      return answer.value === item.key.value ? full : ZERO;
    }
    case 'fill_blank': {
      if (!('blanks' in answer) || !('blanks' in item.key)) return ZERO;
      const accepted = item.key.blanks;
      const given = answer.blanks;
      if (accepted.length === 0 || !Array.isArray(given)) return ZERO;
      let right = 0;
      accepted.forEach((answers, index) => {
        const text = typeof given[index] === 'string' ? normaliseBlank(given[index]) : '';
        if (text !== '' && answers.some((candidate) => normaliseBlank(candidate) === text)) right += 1;
      });
      if (right === accepted.length) return full;
      return { points: round2((Math.max(0, item.points) * right) / accepted.length), correct: false };
    }
    case 'multiple': {
      const chosen = keysOf(answer);
      const right = keysOf(item.key);
      if (!chosen || !right || chosen.length === 0 || right.length === 0) return ZERO;
      if (sameSet(chosen, right)) return full;
      if (scoring === 'all_or_nothing') return ZERO;
      const keySet = new Set(right);
      const distinct = new Set(chosen);
      if ([...distinct].some((key) => !keySet.has(key))) return ZERO;
      const hundredths = Math.floor((toHundredths(Math.max(0, item.points)) * distinct.size) / keySet.size);
      return { points: fromHundredths(hundredths), correct: false };
    }
    default:
      return ZERO;
  }
}

export interface AttemptScore {
  /** The sum of the automatically graded points, to 0.01. */
  autoScore: number;
  /** The sum of every item's points, to 0.01. */
  maxScore: number;
  /** Indices of the items a person must grade (the short answers). */
  pendingItems: number[];
  /** One grade per item, in paper order. */
  grades: ItemGrade[];
}

/** Grades a whole paper; `answers` maps an item's index to the member's saved answer. */
export function scoreAttempt(
  items: readonly PaperItem[],
  answers: ReadonlyMap<number, MemberAnswer>,
  scoring: MultipleScoring,
): AttemptScore {
  let auto = 0;
  let max = 0;
  const pendingItems: number[] = [];
  const grades = items.map((item, index) => {
    const grade = gradeAnswer(item, answers.get(index) ?? null, scoring);
    max += toHundredths(Math.max(0, item.points));
    if (grade.points === null) pendingItems.push(index);
    else auto += toHundredths(grade.points);
    return grade;
  });
  return { autoScore: fromHundredths(auto), maxScore: fromHundredths(max), pendingItems, grades };
}

/** The attempt's score once a person has graded the short answers: the automatic score plus their points, to 0.01. */
export function finalScore(autoScore: number, graderPoints: readonly number[]): number {
  return fromHundredths(graderPoints.reduce((sum, points) => sum + toHundredths(points), toHundredths(autoScore)));
}

/** `score` as a percentage of `max`, 0..100 to 2 decimals; 0 when nothing could be scored. */
export function percentOf(score: number, max: number): number {
  if (!(max > 0) || !Number.isFinite(score)) return 0;
  return round2(Math.min(100, Math.max(0, (score / max) * 100)));
}

/**
 * Whether `score` out of `maxScore` reaches `passPercent`. Compared in integer hundredths (of points and of
 * percent), so 30 of 50 at 60 % passes exactly: 3000 × 10000 ≥ 6000 × 5000.
 */
export function hasPassed(score: number, maxScore: number, passPercent: number): boolean {
  return toHundredths(score) * 10_000 >= toHundredths(passPercent) * toHundredths(maxScore);
}
