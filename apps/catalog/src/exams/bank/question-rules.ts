import type { QuestionAnswerKey, QuestionInput, QuestionKind, QuestionOption } from '#contracts';

/** Option letters, in order: a choice question has at most eight options. */
export const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

export const KIND_NAMES: Record<QuestionKind, string> = {
  single: 'single-choice',
  multiple: 'multiple-choice',
  true_false: 'true/false',
  fill_blank: 'fill-in-the-blank',
  short_answer: 'short-answer',
};

/**
 * A blank in a fill-in-the-blank stem: four or more underscores, or empty brackets, full-width "（ ）" or
 * ASCII "( )" (spaces inside are allowed, nothing else).
 */
const BLANK = /_{4,}|（[ \u3000]*）|\([ \u3000]*\)/g;

/** How many blanks the stem has (see `BLANK`). */
export function countBlanks(stem: string): number {
  return stem.match(BLANK)?.length ?? 0;
}

/** What a question may arrive as before its kind is checked: the answer's fields of every kind are optional. */
export interface RawQuestion extends Omit<QuestionInput, 'answer'> {
  answer: { keys?: string[]; value?: boolean; blanks?: string[][]; reference?: string };
}

export type Checked = { question: QuestionInput; errors: [] } | { question: null; errors: string[] };

const list = (keys: readonly string[]) => keys.join(', ');

/**
 * Checks a question by its kind and returns it tidied (texts trimmed, topic blank → null, tags trimmed
 * and without repeats, answer keys upper-cased in option order, the answer holding only its kind's field),
 * or every problem found, each naming the field and what to do.
 */
export function checkQuestion(raw: RawQuestion): Checked {
  const errors: string[] = [];
  const kind = raw.kind;
  const name = KIND_NAMES[kind];
  const stem = raw.stem.trim();
  if (!stem) errors.push('stem: write the question.');
  else if (stem.length > 4000) errors.push('stem: the question is longer than 4000 characters; shorten it.');

  const choice = kind === 'single' || kind === 'multiple';
  const options: QuestionOption[] = raw.options.map((o) => ({ key: o.key.trim().toUpperCase(), text: o.text.trim() }));
  let answer: QuestionAnswerKey | null = null;
  if (choice) {
    if (options.length < 2) errors.push(`options: a ${name} question needs at least 2 options.`);
    if (options.length > OPTION_KEYS.length) errors.push(`options: a question has at most ${OPTION_KEYS.length} options (A to H).`);
    const seen = new Set<string>();
    for (const option of options) {
      if (!(OPTION_KEYS as readonly string[]).includes(option.key)) {
        errors.push(`options: "${option.key.slice(0, 10)}" is not an option letter; use the letters A to H.`);
      } else if (seen.has(option.key)) {
        errors.push(`options: the letter ${option.key} is used twice; give each option its own letter.`);
      }
      seen.add(option.key);
      if (!option.text) errors.push(`options: option ${option.key.slice(0, 10)} has no text; write it or remove the option.`);
      else if (option.text.length > 1000) errors.push(`options: option ${option.key} is longer than 1000 characters; shorten it.`);
    }
    options.sort((a, b) => OPTION_KEYS.indexOf(a.key as never) - OPTION_KEYS.indexOf(b.key as never));
    const given = raw.answer.keys;
    if (!Array.isArray(given)) {
      errors.push(`answer: give the correct option letter${kind === 'single' ? '' : 's'} as { "keys": [...] }.`);
    } else {
      const keys = [...new Set(given.map((k) => k.trim().toUpperCase()))];
      const unknown = keys.filter((k) => !seen.has(k));
      if (kind === 'single' && keys.length !== 1) {
        errors.push(
          `answer: a single-choice question has exactly one correct option, but ${keys.length} are given; choose one (or make it multiple choice).`,
        );
      } else if (kind === 'multiple' && keys.length < 1) {
        errors.push('answer: choose at least one correct option.');
      }
      if (unknown.length) {
        errors.push(
          `answer: ${unknown.map((k) => `"${k.slice(0, 10)}"`).join(', ')} ${unknown.length === 1 ? 'is not one of the options' : 'are not among the options'} (${list([...seen])}); choose from the options' letters.`,
        );
      }
      answer = { keys: keys.sort((a, b) => OPTION_KEYS.indexOf(a as never) - OPTION_KEYS.indexOf(b as never)) };
    }
  } else if (options.length) {
    errors.push(`options: a ${name} question has no options; leave them empty.`);
  }

  if (kind === 'true_false') {
    if (typeof raw.answer.value !== 'boolean') errors.push('answer: say whether the statement is true or false: { "value": true }.');
    else answer = { value: raw.answer.value };
  } else if (kind === 'fill_blank') {
    const blanks = raw.answer.blanks;
    const inStem = countBlanks(stem);
    if (inStem === 0) {
      errors.push('stem: mark each blank in the stem with ____ (four or more underscores) or with empty brackets （ ）.');
    }
    if (!Array.isArray(blanks) || blanks.length === 0) {
      errors.push('answer: give the accepted answers of each blank: { "blanks": [["answer", "other accepted answer"], ...] }.');
    } else {
      const tidy = blanks.map((accepted) => [...new Set(accepted.map((a) => a.trim()).filter(Boolean))]);
      tidy.forEach((accepted, i) => {
        if (!accepted.length) errors.push(`answer: blank ${i + 1} has no accepted answer; give at least one.`);
      });
      if (inStem > 0 && tidy.length !== inStem) {
        errors.push(
          `answer: the stem has ${inStem} blank${inStem === 1 ? '' : 's'} but the answer gives ${tidy.length}; give one list of accepted answers per blank.`,
        );
      }
      answer = { blanks: tidy };
    }
  } else if (kind === 'short_answer') {
    const reference = raw.answer.reference;
    if (reference !== undefined && typeof reference !== 'string') errors.push('answer: the reference answer must be text.');
    else if ((reference ?? '').length > 4000) errors.push('answer: the reference answer is longer than 4000 characters; shorten it.');
    else answer = { reference: (reference ?? '').trim() };
  }

  if (!(raw.points > 0 && raw.points <= 100)) errors.push('points: give the points as a number above 0 and at most 100.');
  else if (Math.abs(Math.round(raw.points * 100) - raw.points * 100) > 1e-6) errors.push('points: use at most two decimals.');
  const explanation = raw.explanation.trim();
  if (explanation.length > 4000) errors.push('explanation: the explanation is longer than 4000 characters; shorten it.');
  const topic = raw.topic?.trim() || null;
  if (topic && topic.length > 100) errors.push('topic: the topic is longer than 100 characters; shorten it.');
  if (raw.difficulty !== null && !(Number.isInteger(raw.difficulty) && raw.difficulty >= 1 && raw.difficulty <= 5)) {
    errors.push('difficulty: give a whole number from 1 (easy) to 5 (hard), or leave it empty.');
  }
  const tags = [...new Set(raw.tags.map((t) => t.trim()).filter(Boolean))];
  if (tags.length > 20) errors.push('tags: give at most 20 tags.');
  if (tags.some((t) => t.length > 40)) errors.push('tags: each tag has at most 40 characters.');

  if (errors.length || !answer) return { question: null, errors: errors.length ? errors : ['answer: give the correct answer.'] };
  return {
    question: {
      kind,
      stem,
      options: choice ? options : [],
      answer,
      points: raw.points,
      explanation,
      topic,
      courseId: raw.courseId,
      lectureId: raw.lectureId,
      difficulty: raw.difficulty,
      tags,
      imageId: raw.imageId,
      ...(raw.ownerUnitId ? { ownerUnitId: raw.ownerUnitId } : {}),
    },
    errors: [],
  };
}
